"""Passkeys: JSON routes for the page's script and API callers, form posts for Settings → Security.

/account/passkeys*           add (options, then the browser's answer), list, rename, remove
/login/passkey*              passwordless sign-in (no CSRF token, like JSON /login)
/login/2fa/passkey/options   a passkey as the second factor; the answer goes to POST /login/2fa
/settings/security/passkeys/{id}/rename|remove   the page's forms (no JavaScript needed)
"""

from __future__ import annotations

from typing import Any

from chalice.app import Request, Response

from .. import ratelimit, tokens
from ..accounts import sessions, users
from ..accounts.sessions import Session
from ..dashboard import passkeys as context
from ..errors import ServiceError
from ..passkeys import assertion, challenges, manage, registration
from ..ratelimit import Lockout
from ..responses import json_response, no_content, redirect
from ..settings import get_settings
from ..twofactor import challenge
from ..twofactor.caller import Caller
from . import forms, security
from .base import Area, client_ip, cookies, parse_json, user_agent
from .browser import csrf_from, safe_next, signed_in

bp = Area(__name__)
JSON = ["application/json"]
FORM_PATH = security.PATH + "/passkeys"


def _caller(request: Request) -> Caller:
    return Caller(client_ip(request), user_agent(request))


def _ip_lock() -> Lockout:
    """Failed passkey sign-ins per source IP share the password sign-in's threshold."""
    return Lockout("passkey-ip", get_settings().login_ip_limit, 900)


@bp.route("/account/passkeys/options", methods=["POST"], content_types=JSON)
def registration_options() -> Response:
    request = bp.current_request
    session = signed_in(request, parse_json(request))
    user = users.profile(session.user_id)
    return json_response(registration.options(user, session.digest))


@bp.route("/account/passkeys", methods=["POST"], content_types=JSON)
def add() -> Response:
    request = bp.current_request
    body = parse_json(request)
    session = signed_in(request, body)
    user = users.profile(session.user_id)
    return json_response(registration.add(user, session.digest, body, _caller(request)), 201)


@bp.route("/account/passkeys", methods=["GET"])
def list_passkeys() -> Response:
    session = signed_in(bp.current_request)
    return json_response({"passkeys": manage.list_passkeys(session.user_id)})


@bp.route("/account/passkeys/{passkey_id}", methods=["PATCH"], content_types=JSON)
def rename(passkey_id: str) -> Response:
    request = bp.current_request
    body = parse_json(request)
    session = signed_in(request, body)
    return json_response(manage.rename(session.user_id, passkey_id, body.get("name")))


@bp.route("/account/passkeys/{passkey_id}", methods=["DELETE"])
def remove(passkey_id: str) -> Response:
    request = bp.current_request
    session = signed_in(request)
    manage.remove(users.profile(session.user_id), passkey_id, _caller(request))
    return no_content()


@bp.route("/login/passkey/options", methods=["POST"], content_types=JSON)
def sign_in_options() -> Response:
    request = bp.current_request
    parse_json(request)
    ip = client_ip(request)
    _ip_lock().check(ip)
    # Anyone may ask, and each answer stores a challenge: at most TASKFORGE_LOGIN_IP_LIMIT a minute per IP.
    ratelimit.consume(f"passkey-options#{tokens.digest(ip)}", get_settings().login_ip_limit)
    token, binding = challenges.new_cookie_token()
    options = assertion.options(binding, challenges.SIGN_IN)
    return json_response(options, 200, {"Set-Cookie": challenges.cookie(token)})


@bp.route("/login/passkey", methods=["POST"], content_types=JSON)
def sign_in() -> Response:
    request = bp.current_request
    body = parse_json(request)
    ip, caller = client_ip(request), _caller(request)
    _ip_lock().check(ip)
    binding = challenges.binding_of(cookies(request).get(challenges.COOKIE))
    try:
        user = assertion.verify(body, binding, challenges.SIGN_IN, caller)
    except ServiceError as exc:
        if exc.status in (400, 401):
            _ip_lock().fail(ip)
        raise
    # A passkey with user verification is two factors in one: no /login/2fa step.
    token, session = sessions.create(user, ip, caller.user_agent)
    next_url = safe_next(body.get("next") if isinstance(body.get("next"), str) else None)
    return json_response({"csrf_token": session.csrf_token, "next": next_url}, 200,
                         {"Set-Cookie": sessions.cookie(token)})


@bp.route("/login/2fa/passkey/options", methods=["POST"], content_types=JSON)
def second_factor_options() -> Response:
    request = bp.current_request
    body = parse_json(request)
    pending = challenge.resolve(cookies(request).get(challenge.COOKIE))
    challenge.check_csrf(pending, csrf_from(request, body), required=False)
    return json_response(assertion.options(pending.digest, challenges.SECOND_FACTOR, pending.user_id))


def _error(session: Session, error: ServiceError, form: dict[str, Any]) -> Response:
    return security.page(session, error=error)


def _done(notice: str) -> Response:
    return redirect(f"{security.PATH}?notice={notice}#passkeys")


@bp.route(FORM_PATH + "/{passkey_id}/rename", methods=["POST"], html=True, content_types=forms.FORM)
def rename_form(passkey_id: str) -> Response:
    def action(session: Session, form: dict[str, Any]) -> Response:
        manage.rename(session.user_id, passkey_id, form.get("name"))
        return _done("passkey_renamed")

    return forms.post(bp.current_request, security.PATH, action, _error)


@bp.route(FORM_PATH + "/{passkey_id}/remove", methods=["POST"], html=True, content_types=forms.FORM)
def remove_form(passkey_id: str) -> Response:
    request = bp.current_request

    def action(session: Session, form: dict[str, Any]) -> Response:
        user = users.profile(session.user_id)
        if form.get("confirm") != "yes" and context.needs_confirmation(user, passkey_id):
            return security.page(session, confirm_passkey=passkey_id)
        manage.remove(user, passkey_id, _caller(request))
        return _done("passkey_removed")

    return forms.post(request, security.PATH, action, _error)

