"""Pages for accounts and email: Settings → Account (change password or email, resend
verification, delete the account after a confirmation), /password-reset and
/verify-email. Forms post here (or to the JSON routes' paths, which hand them over)."""

from __future__ import annotations

from typing import Any

from chalice.app import Request, Response

from ..accounts import deletion, email_change, password_change, sessions, verification
from ..accounts.sessions import Session
from ..dashboard import account as context
from ..errors import ServiceError
from ..responses import html_response, redirect
from ..templating import render
from ..twofactor.caller import Caller
from ..validation import required_text, text
from . import forms
from .base import Area, client_ip, parse_body, user_agent

bp = Area(__name__)
PATH = context.PATH


def _caller(request: Request) -> Caller:
    return Caller(client_ip(request), user_agent(request))


def page(session: Session, status: int = 200, error: ServiceError | None = None,
         notice_key: str | None = None) -> Response:
    body = render("settings_account.html", user=session, error=error.description if error else None,
                  **context.page(session.user_id, notice_key))
    return html_response(body, status, dict(error.headers) if error else {})


def _failed(session: Session, error: ServiceError, form: dict[str, Any]) -> Response:
    return page(session, error.status, error)


@bp.route(PATH, methods=["GET"], html=True)
def settings_account() -> Response:
    request = bp.current_request
    return forms.page(request, PATH, lambda s: page(s, notice_key=forms.query(request, "notice")))


@bp.route(PATH + "/password", methods=["POST"], html=True, content_types=forms.FORM)
def change_password() -> Response:
    request = bp.current_request

    def action(session: Session, form: dict[str, Any]) -> Response:
        password_change.change(session, required_text(form, "current_password", max_len=1024),
                               required_text(form, "new_password", max_len=1024), _caller(request))
        return redirect(PATH + "?notice=password_changed")

    return forms.post(request, PATH, action, _failed)


@bp.route(PATH + "/email", methods=["POST"], html=True, content_types=forms.FORM)
def change_email() -> Response:
    request = bp.current_request

    def action(session: Session, form: dict[str, Any]) -> Response:
        email_change.request(session, required_text(form, "new_email", max_len=254),
                             required_text(form, "password", max_len=1024), _caller(request))
        return redirect(PATH + "?notice=email_requested")

    return forms.post(request, PATH, action, _failed)


@bp.route(PATH + "/verification", methods=["POST"], html=True, content_types=forms.FORM)
def resend_verification() -> Response:
    request = bp.current_request

    def action(session: Session, form: dict[str, Any]) -> Response:
        verification.resend(session.user_id, _caller(request))
        return redirect(PATH + "?notice=verification_sent")

    return forms.post(request, PATH, action, _failed)


@bp.route(PATH + "/confirm-email", methods=["GET"], html=True)
def confirm_email_page() -> Response:
    request = bp.current_request
    token = forms.query(request, "token") or ""
    back = PATH + "/confirm-email?token=" + token if len(token) <= 64 else PATH
    return forms.page(request, back, lambda s: html_response(render(
        "account/confirm_email.html", user=s, token=token, error=None)))


@bp.route(PATH + "/confirm-email", methods=["POST"], html=True, content_types=forms.FORM)
def confirm_email() -> Response:
    request = bp.current_request

    def action(session: Session, form: dict[str, Any]) -> Response:
        email_change.confirm(session, form.get("token"), _caller(request))
        return redirect(PATH + "?notice=email_changed")

    return forms.post(request, PATH, action, _failed)


def _delete_page(session: Session, status: int = 200, error: ServiceError | None = None) -> Response:
    body = render("account/delete.html", user=session, error=error.description if error else None,
                  **context.delete_page(session.user_id))
    return html_response(body, status, dict(error.headers) if error else {})


@bp.route(PATH + "/delete", methods=["GET"], html=True)
def confirm_delete() -> Response:
    return forms.page(bp.current_request, PATH + "/delete", _delete_page)


@bp.route(PATH + "/delete", methods=["POST"], html=True, content_types=forms.FORM)
def delete() -> Response:
    request = bp.current_request

    def action(session: Session, form: dict[str, Any]) -> Response:
        deletion.delete(session, required_text(form, "password", max_len=1024),
                        text(form, "code", max_len=64, required=False), _caller(request))
        return redirect("/login", {"Set-Cookie": sessions.clear_cookie()})

    return forms.post(request, PATH + "/delete",
                      action, lambda s, e, f: _delete_page(s, e.status, e))


def _token_page(template: str, status: int = 200, error: ServiceError | None = None,
                **values: Any) -> Response:
    headers = dict(error.headers) if error else {}
    headers["Referrer-Policy"] = "no-referrer"  # the token is in this page's URL
    return html_response(render(template, user=None, error=error.description if error else None,
                                **values), status, headers)


def _token(request: Request) -> str | None:
    token = forms.query(request, "token")
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
