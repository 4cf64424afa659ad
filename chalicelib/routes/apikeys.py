"""API keys: `/account/api-keys` for the signed-in dashboard user (session + CSRF)
and `/v1/api-keys` for an admin-scoped bearer credential. Same answers on both.
"""

from __future__ import annotations

from chalice.app import Request, Response

from .. import logs
from ..accounts import sessions
from ..apikeys import bounds, manage, rolling
from ..principal import Principal
from ..responses import json_response, no_content
from .base import Area, client_ip, parse_body, parse_json, user_agent
from .browser import csrf_from, current_session, signed_in
from .gate import bearer, require

bp = Area(__name__)
FORM_TYPES = ["application/json", "application/x-www-form-urlencoded"]
BODY_TYPES = [*FORM_TYPES, "text/plain"]


def _session_caller(request: Request, session: sessions.Session | None = None) -> manage.Caller:
    session = session or signed_in(request)
    return manage.Caller(session.workspace_id, session.user_id, session.user_id,
                         client_ip(request), user_agent(request))


def _bearer_caller(request: Request, principal: Principal, minting: bool = False) -> manage.Caller:
    actor = principal.user_id or principal.credential_id
    limits = bounds.of(principal, logs.now()) if minting else None  # 403 for OAuth tokens
    return manage.Caller(principal.workspace_id, actor, principal.user_id,
                         client_ip(request), user_agent(request), limits)


@bp.route("/account/api-keys", methods=["GET"])
def account_keys() -> Response:
    caller = _session_caller(bp.current_request)
    return json_response({"api_keys": manage.listing(caller.workspace_id)})


@bp.route("/account/api-keys", methods=["POST"], content_types=FORM_TYPES)
def account_create_key() -> Response:
    request = bp.current_request
    session = current_session(request)  # 401 before anything else about the request
    body = parse_body(request)
    sessions.check_csrf(session, csrf_from(request, body))  # the token may be a form field
    return json_response(manage.issue(_session_caller(request, session),
                                      manage.parse_request(body)), 201)


@bp.route("/account/api-keys/{key_id}", methods=["DELETE"])
def account_revoke_key(key_id: str) -> Response:
    manage.revoke(_session_caller(bp.current_request), key_id)
    return no_content()


@bp.route("/account/api-keys/{key_id}/roll", methods=["POST"], content_types=FORM_TYPES)
def account_roll_key(key_id: str) -> Response:
    request = bp.current_request
    session = current_session(request)
    body = parse_body(request)
    sessions.check_csrf(session, csrf_from(request, body))
    created = rolling.roll(_session_caller(request, session), key_id, rolling.parse_expiry(body))
    return json_response(created, 201)


@bp.route("/v1/api-keys", methods=["GET"], authorizer=bearer)
def v1_keys() -> Response:
    return json_response({"api_keys": manage.listing(require("admin").workspace_id)})


@bp.route("/v1/api-keys", methods=["POST"], authorizer=bearer, content_types=BODY_TYPES)
def v1_create_key() -> Response:
    request = bp.current_request
    caller = _bearer_caller(request, require("admin"), minting=True)
    return json_response(manage.issue(caller, manage.parse_request(parse_json(request))), 201)


@bp.route("/v1/api-keys/{key_id}/roll", methods=["POST"], authorizer=bearer, content_types=BODY_TYPES)
def v1_roll_key(key_id: str) -> Response:
    request = bp.current_request
    caller = _bearer_caller(request, require("admin"), minting=True)
    return json_response(rolling.roll(caller, key_id, rolling.parse_expiry(parse_json(request))), 201)


@bp.route("/v1/api-keys/{key_id}", methods=["DELETE"], authorizer=bearer)
def v1_revoke_key(key_id: str) -> Response:
    request = bp.current_request
    manage.revoke(_bearer_caller(request, require("admin")), key_id)
    return no_content()
