"""Sign-up, sign-in, sign-out and the account summary (browser-session area)."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from ...accounts import challenge, sessions, signin, users, verification
from ...errors import SignupDisabled
from ...responses import json_response, no_content, redirect
from ...settings import get_settings
from ...validation import required_text
from ..browser import safe_next, signed_in
from ..forms import JSON_OR_FORM, Call, SessionCall, anonymous_call, signed_in_call
from . import bp, pages, second_step


def _signup_fields(body: dict[str, Any]) -> tuple[str, str, str]:
    return (required_text(body, "email", max_len=254),
            required_text(body, "password", max_len=1024),
            required_text(body, "workspace", max_len=100))


def _login_fields(body: dict[str, Any]) -> tuple[str, str]:
    return required_text(body, "email", max_len=10_000), required_text(body, "password", max_len=10_000)


def _signup(call: Call) -> Response:
    if not get_settings().allow_signup:
        raise SignupDisabled()
    email, password, workspace = _signup_fields(call.body)
    account = users.signup(email, password, workspace, call.ip, call.user_agent)
    verification.after_signup(account.user_id, second_step.caller(call.request))
    if not call.form:
        return json_response({"user_id": account.user_id, "workspace_id": account.workspace_id}, 201)
    user = {"user_id": account.user_id, "workspace_id": account.workspace_id, "email": email.strip()}
    token, _ = sessions.create(user, call.ip, call.user_agent)
    return redirect("/settings/api", {"Set-Cookie": sessions.cookie(token)})


@bp.route("/signup", methods=["POST"], content_types=JSON_OR_FORM)
def signup() -> Response:
    request = bp.current_request
    return anonymous_call(request, _signup,
                          lambda call, exc: pages.signup_page(request, exc))


def _login(call: Call) -> Response:
    user = signin.sign_in(*_login_fields(call.body), call.ip, call.user_agent)
    next_url = safe_next(call.body.get("next"))
    pending = challenge.begin(user, next_url, second_step.caller(call.request))
    if pending is not None:  # 2FA on: no session until /login/2fa
        return second_step.challenge_answer(pending, call.form)
    token, session = sessions.create(user, call.ip, call.user_agent)
    cookie = {"Set-Cookie": sessions.cookie(token)}
    if call.form:
        return redirect(next_url, cookie)
    return json_response({"mfa_required": False, "csrf_token": session.csrf_token}, 200, cookie)


@bp.route("/login", methods=["POST"], content_types=JSON_OR_FORM)
def login() -> Response:
    request = bp.current_request
    return anonymous_call(request, _login, lambda call, exc: pages.login_page(
        request, exc, next_url=call.body.get("next"), email=call.body.get("email")))


def _logout(call: SessionCall) -> Response:
    sessions.revoke(call.session)
    cookie = {"Set-Cookie": sessions.clear_cookie()}
    return redirect("/login", cookie) if call.form else no_content(cookie)


@bp.route("/logout", methods=["POST"], content_types=JSON_OR_FORM)
def logout() -> Response:
    return signed_in_call(bp.current_request, _logout, back="/login")


@bp.route("/account", methods=["GET"])
def account() -> Response:
    session = signed_in(bp.current_request)
    user = users.profile(session.user_id)
    return json_response({"user_id": session.user_id, "email": user["email"],
                          "workspace_id": session.workspace_id,
                          "two_factor_enabled": bool(user.get("totp_enabled")),
                          "email_verified": verification.is_verified(user),
                          "csrf_token": session.csrf_token})
