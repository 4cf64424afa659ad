"""API keys as JSON: `/account/api-keys` for the signed-in dashboard user (session +
CSRF) and `/v1/api-keys` for an admin-scoped bearer credential. Same answers on both."""

from __future__ import annotations

from chalice.app import Request, Response

from ... import clock
from ...accounts import sessions, verification
from ...apikeys import bounds, manage, rolling
from ...principal import Principal
from ...responses import json_response, no_content
from ..base import client_ip, parse_json, user_agent
from ..browser import signed_in
from ..forms import JSON_OR_FORM, SessionCall, signed_in_call
from ..gate import bearer, require
from . import bp

# A JSON API, but `curl -d '{...}'` sends form or text types: read the body as JSON.
BEARER_BODY_TYPES = [*JSON_OR_FORM, "text/plain"]


def _session_caller(request: Request, session: sessions.Session) -> manage.Caller:
    return manage.Caller(session.workspace_id, session.user_id, session.user_id,
                         client_ip(request), user_agent(request))


def _bearer_caller(request: Request, principal: Principal, minting: bool = False) -> manage.Caller:
    actor = principal.user_id or principal.credential_id
    limits = bounds.of(principal, clock.now()) if minting else None  # 403 for OAuth tokens
    return manage.Caller(principal.workspace_id, actor, principal.user_id,
                         client_ip(request), user_agent(request), limits)


def _page(request: Request, workspace_id: str) -> Response:
    """`?limit=&cursor=`: one page of keys and its `next_cursor`."""
    query = request.query_params
    limit, cursor = (query.get("limit"), query.get("cursor")) if query else (None, None)
    return json_response(manage.page(workspace_id, limit, cursor))


@bp.route("/account/api-keys", methods=["GET"])
def account_keys() -> Response:
    return _page(bp.current_request, signed_in(bp.current_request).workspace_id)


@bp.route("/account/api-keys", methods=["POST"], content_types=JSON_OR_FORM)
def account_create_key() -> Response:
    def create(call: SessionCall) -> Response:
        verification.require_verified(call.session.user_id)
        caller = _session_caller(call.request, call.session)
        return json_response(manage.issue(caller, manage.parse_request(call.body)), 201)

    return signed_in_call(bp.current_request, create, back=None)


@bp.route("/account/api-keys/{key_id}", methods=["DELETE"])
def account_revoke_key(key_id: str) -> Response:
    request = bp.current_request
    manage.revoke(_session_caller(request, signed_in(request)), key_id)
    return no_content()


@bp.route("/account/api-keys/{key_id}/roll", methods=["POST"], content_types=JSON_OR_FORM)
def account_roll_key(key_id: str) -> Response:
    def roll(call: SessionCall) -> Response:
        caller = _session_caller(call.request, call.session)
        return json_response(rolling.roll(caller, key_id, rolling.parse_expiry(call.body)), 201)

    return signed_in_call(bp.current_request, roll, back=None)


@bp.route("/v1/api-keys", methods=["GET"], authorizer=bearer)
def v1_keys() -> Response:
    return _page(bp.current_request, require("admin").workspace_id)


@bp.route("/v1/api-keys", methods=["POST"], authorizer=bearer, content_types=BEARER_BODY_TYPES)
def v1_create_key() -> Response:
    request = bp.current_request
    caller = _bearer_caller(request, require("admin"), minting=True)
    return json_response(manage.issue(caller, manage.parse_request(parse_json(request))), 201)


@bp.route("/v1/api-keys/{key_id}/roll", methods=["POST"], authorizer=bearer,
          content_types=BEARER_BODY_TYPES)
def v1_roll_key(key_id: str) -> Response:
    request = bp.current_request
    caller = _bearer_caller(request, require("admin"), minting=True)
    return json_response(rolling.roll(caller, key_id, rolling.parse_expiry(parse_json(request))), 201)


@bp.route("/v1/api-keys/{key_id}", methods=["DELETE"], authorizer=bearer)
def v1_revoke_key(key_id: str) -> Response:
    request = bp.current_request
    manage.revoke(_bearer_caller(request, require("admin")), key_id)
    return no_content()
