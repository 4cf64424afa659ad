"""Pages for accounts and email: Settings → Account (change password or email, resend
verification, delete the account after a confirmation), /password-reset and
/verify-email. Forms post here (or to the JSON routes' paths, which hand them over)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice.app import Request, Response

from ...accounts import deletion, email_change, password_change, sessions, verification
from ...accounts.sessions import Session
from ...caller import Caller
from ...dashboard import account as context
from ...errors import ServiceError
from ...responses import html_response, redirect
from ...templating import render
from ...validation import required_text, text
from ..base import client_ip, parse_body, user_agent
from ..forms import FORM, SessionCall, query, render_page, signed_in_call
from ..forms import page as signed_in_page
from . import bp

PATH = context.PATH


def _caller(request: Request) -> Caller:
    return Caller(client_ip(request), user_agent(request))


def page(session: Session, error: ServiceError | None = None,
         notice_key: str | None = None) -> Response:
    return render_page("settings_account.html", session, error,
                       **context.page(session.user_id, notice_key))


def _failed(call: SessionCall, error: ServiceError) -> Response:
    return page(call.session, error)


def _post(action: Callable[[SessionCall], Response], back: str = PATH) -> Response:
    return signed_in_call(bp.current_request, action, back=back, on_error=_failed)


@bp.route(PATH, methods=["GET"], html=True)
def settings_account() -> Response:
    request = bp.current_request
    return signed_in_page(request, PATH, lambda s: page(s, notice_key=query(request, "notice")))


@bp.route(PATH + "/password", methods=["POST"], html=True, content_types=FORM)
def change_password() -> Response:
    def action(call: SessionCall) -> Response:
        password_change.change(call.session, required_text(call.body, "current_password", max_len=1024),
                               required_text(call.body, "new_password", max_len=1024),
                               _caller(call.request))
        return redirect(PATH + "?notice=password_changed")

    return _post(action)


@bp.route(PATH + "/email", methods=["POST"], html=True, content_types=FORM)
def change_email() -> Response:
    def action(call: SessionCall) -> Response:
        email_change.request(call.session, required_text(call.body, "new_email", max_len=254),
                             required_text(call.body, "password", max_len=1024), _caller(call.request))
        return redirect(PATH + "?notice=email_requested")

    return _post(action)


@bp.route(PATH + "/verification", methods=["POST"], html=True, content_types=FORM)
def resend_verification() -> Response:
    def action(call: SessionCall) -> Response:
        verification.resend(call.session.user_id, _caller(call.request))
        return redirect(PATH + "?notice=verification_sent")

    return _post(action)


@bp.route(PATH + "/confirm-email", methods=["GET"], html=True)
def confirm_email_page() -> Response:
    request = bp.current_request
    token = query(request, "token") or ""
    back = PATH + "/confirm-email?token=" + token if len(token) <= 64 else PATH
    return signed_in_page(request, back, lambda s: render_page("account/confirm_email.html", s,
                                                               token=token))


@bp.route(PATH + "/confirm-email", methods=["POST"], html=True, content_types=FORM)
def confirm_email() -> Response:
    def action(call: SessionCall) -> Response:
        email_change.confirm(call.session, call.body.get("token"), _caller(call.request))
        return redirect(PATH + "?notice=email_changed")

    return _post(action)


def _delete_page(session: Session, error: ServiceError | None = None) -> Response:
    return render_page("account/delete.html", session, error, **context.delete_page(session.user_id))


@bp.route(PATH + "/delete", methods=["GET"], html=True)
def confirm_delete() -> Response:
    return signed_in_page(bp.current_request, PATH + "/delete", _delete_page)


@bp.route(PATH + "/delete", methods=["POST"], html=True, content_types=FORM)
def delete() -> Response:
    def action(call: SessionCall) -> Response:
        deletion.delete(call.session, required_text(call.body, "password", max_len=1024),
                        text(call.body, "code", max_len=64, required=False), _caller(call.request))
        return redirect("/login", {"Set-Cookie": sessions.clear_cookie()})

    return signed_in_call(bp.current_request, action, back=PATH + "/delete",
                          on_error=lambda call, error: _delete_page(call.session, error))


def _token_page(template: str, status: int = 200, error: ServiceError | None = None,
                **values: Any) -> Response:
    headers = dict(error.headers) if error else {}
    headers["Referrer-Policy"] = "no-referrer"  # the token is in this page's URL
    return html_response(render(template, user=None, error=error.description if error else None,
                                **values), status, headers)


def _token(request: Request) -> str | None:
    token = query(request, "token")
    return token if token and len(token) <= 64 else None


@bp.route("/password-reset", methods=["GET"], html=True)
def password_reset_page() -> Response:
    return _token_page("password_reset.html", token=_token(bp.current_request), done=None)


@bp.route("/verify-email", methods=["GET"], html=True)
def verify_email_page() -> Response:
    return _token_page("verify_email.html", token=_token(bp.current_request), done=False)


def reset_form(request: Request) -> Response:
    """POST /password-reset from the page."""
    try:
        email = required_text(parse_body(request), "email", max_len=10_000)
        password_change.request_reset(email, _caller(request))
    except ServiceError as exc:
        if exc.status >= 500:
            raise
        return _token_page("password_reset.html", exc.status, exc, token=None, done=None)
    return _token_page("password_reset.html", 202, token=None, done="requested")


def reset_confirm_form(request: Request) -> Response:
    """POST /password-reset/confirm from the page."""
    body: dict[str, Any] = {}
    try:
        body = parse_body(request)
        password_change.confirm_reset(body.get("token"), required_text(body, "new_password", max_len=1024),
                                      _caller(request))
    except ServiceError as exc:
        if exc.status >= 500:
            raise
        token = body.get("token") if isinstance(body.get("token"), str) else None
        return _token_page("password_reset.html", exc.status, exc,
                           token=token if exc.error != "invalid_token" else None, done=None)
    return _token_page("password_reset.html", token=None, done="reset")


def verify_form(request: Request) -> Response:
    """POST /verify-email from the page."""
    body: dict[str, Any] = {}
    try:
        body = parse_body(request)
        verification.verify(body.get("token"), _caller(request))
    except ServiceError as exc:
        if exc.status >= 500:
            raise
        return _token_page("verify_email.html", exc.status, exc, token=None, done=False)
    return _token_page("verify_email.html", token=None, done=True)
