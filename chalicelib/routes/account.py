"""Sign-up, sign-in, sign-out and the account summary (browser-session area)."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from ..accounts import sessions, signin, users, verification
from ..errors import ServiceError, SignupDisabled
from ..responses import json_response, no_content, redirect
from ..settings import get_settings
from ..twofactor import challenge
from ..validation import required_text
from . import pages
from . import signin as second_step
from .base import Area, client_ip, is_form, parse_body, user_agent
from .browser import check_pre_session_csrf, safe_next, signed_in

bp = Area(__name__)


def _signup_fields(body: dict[str, Any]) -> tuple[str, str, str]:
    return (required_text(body, "email", max_len=254),
            required_text(body, "password", max_len=1024),
            required_text(body, "workspace", max_len=100))


def _login_fields(body: dict[str, Any]) -> tuple[str, str]:
    return required_text(body, "email", max_len=10_000), required_text(body, "password", max_len=10_000)


@bp.route("/signup", methods=["POST"], content_types=["application/json",
          "application/x-www-form-urlencoded"])
def signup() -> Response:
    request = bp.current_request
    form = is_form(request)
    try:
        if not get_settings().allow_signup:
            raise SignupDisabled()
        body = parse_body(request)
        if form:
            check_pre_session_csrf(request, body)
        account = users.signup(*_signup_fields(body))
    except ServiceError as exc:
        if form:
            return pages.signup_page(request, exc)
        raise
    verification.after_signup(account.user_id, second_step.caller(request))
    if not form:
        return json_response({"user_id": account.user_id, "workspace_id": account.workspace_id}, 201)
    user = {"user_id": account.user_id, "workspace_id": account.workspace_id,
            "email": str(body.get("email", "")).strip()}
    token, _ = sessions.create(user, client_ip(request), user_agent(request))
    return redirect("/settings/api", {"Set-Cookie": sessions.cookie(token)})


@bp.route("/login", methods=["POST"], content_types=["application/json",
          "application/x-www-form-urlencoded"])
def login() -> Response:
    request = bp.current_request
    form = is_form(request)
    body: dict[str, Any] = {}
    try:
        body = parse_body(request)
        if form:
            check_pre_session_csrf(request, body)
        user = signin.sign_in(*_login_fields(body), client_ip(request), user_agent(request))
    except ServiceError as exc:
        if form:
            return pages.login_page(request, exc, next_url=body.get("next"), email=body.get("email"))
        raise
    pending = challenge.begin(user, safe_next(body.get("next")), second_step.caller(request))
    if pending is not None:  # 2FA on: no session until /login/2fa
        return second_step.challenge_answer(pending, form)
    token, session = sessions.create(user, client_ip(request), user_agent(request))
    cookie = {"Set-Cookie": sessions.cookie(token)}
    if form:
        return redirect(safe_next(body.get("next")), cookie)
    return json_response({"mfa_required": False, "csrf_token": session.csrf_token}, 200, cookie)


@bp.route("/logout", methods=["POST"], content_types=["application/json",
          "application/x-www-form-urlencoded"])
def logout() -> Response:
    request = bp.current_request
    body = parse_body(request) if is_form(request) else None
    session = signed_in(request, body)
    sessions.revoke(session)
    cookie = {"Set-Cookie": sessions.clear_cookie()}
    return redirect("/login", cookie) if body is not None else no_content(cookie)


@bp.route("/account", methods=["GET"])
def account() -> Response:
    session = signed_in(bp.current_request)
    user = users.profile(session.user_id)
    return json_response({"user_id": session.user_id, "email": user["email"],
                          "workspace_id": session.workspace_id,
                          "two_factor_enabled": bool(user.get("totp_enabled")),
                          "email_verified": verification.is_verified(user),
                          "csrf_token": session.csrf_token})
