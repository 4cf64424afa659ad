"""Signing in with a passkey: passwordless (`/login/passkey*`, no CSRF token, like JSON /login),
or as the second factor (`/login/2fa/passkey/options`; the answer goes to POST /login/2fa)."""

from __future__ import annotations

from chalice.app import Response

from ... import ratelimit, tokens
from ...accounts import challenge, sessions
from ...errors import ServiceError
from ...passkeys import assertion, challenges
from ...ratelimit import Lockout
from ...responses import json_response
from ...settings import get_settings
from ..base import client_ip, cookies, parse_json
from ..browser import csrf_from, safe_next
from . import bp
from .second_step import caller

JSON = ["application/json"]


def _ip_lock() -> Lockout:
    """Failed passkey sign-ins per source IP share the password sign-in's threshold."""
    return Lockout("passkey-ip", get_settings().login_ip_limit, 900)


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
    ip, who = client_ip(request), caller(request)
    _ip_lock().check(ip)
    binding = challenges.binding_of(cookies(request).get(challenges.COOKIE))
    try:
        user = assertion.verify(body, binding, challenges.SIGN_IN, who)
    except ServiceError as exc:
        if exc.status in (400, 401):
            _ip_lock().fail(ip)
        raise
    # A passkey with user verification is two factors in one: no /login/2fa step.
    token, session = sessions.create(user, ip, who.user_agent)
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
