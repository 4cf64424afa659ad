"""The second sign-in step: the /login/2fa page and POST /login/2fa (browser-session area)."""

from __future__ import annotations

from typing import Any

from chalice.app import Request, Response

from ..accounts import sessions
from ..errors import ServiceError
from ..passkeys import relying_party
from ..responses import html_response, json_response, redirect
from ..templating import render
from ..twofactor import challenge, codes
from ..twofactor.caller import Caller
from . import pages
from .base import Area, client_ip, cookies, is_form, parse_body, user_agent
from .browser import csrf_from

bp = Area(__name__)


def caller(request: Request) -> Caller:
    return Caller(client_ip(request), user_agent(request))


def challenge_answer(pending: challenge.Pending, form: bool) -> Response:
    """What POST /login answers when a second factor is still needed."""
    assert pending.token is not None
    cookie = {"Set-Cookie": challenge.cookie(pending.token)}
    if form:
        return redirect("/login/2fa", cookie)
    return json_response({"mfa_required": True, "csrf_token": pending.csrf_token}, 200, cookie)


def _page(pending: challenge.Pending, error: ServiceError | None = None) -> Response:
    status, headers = (error.status, dict(error.headers)) if error else (200, {})
    body = render("login_2fa.html", csrf_token=pending.csrf_token, user=None,
                  error=error.description if error else None, passkey_origin=relying_party.origin(),
                  next=pending.next)
    return html_response(body, status, headers)


@bp.route("/login/2fa", methods=["GET"], html=True)
def page() -> Response:
    try:
        pending = challenge.resolve(cookies(bp.current_request).get(challenge.COOKIE))
    except challenge.SignInRequired:
        return redirect("/login", {"Set-Cookie": challenge.clear_cookie()})
    return _page(pending)


@bp.route("/login/2fa", methods=["POST"], content_types=["application/json",
          "application/x-www-form-urlencoded"])
def verify() -> Response:
    request = bp.current_request
    form = is_form(request)
    pending: challenge.Pending | None = None
    try:
        pending = challenge.resolve(cookies(request).get(challenge.COOKIE))
        body: dict[str, Any] = parse_body(request)
        challenge.check_csrf(pending, csrf_from(request, body), required=form)
        if "credential" in body:  # a passkey (JSON, from the page's script)
            token, session = challenge.complete_with_passkey(pending, body, caller(request))
        else:
            token, session = challenge.complete(pending, codes.parse(body.get("code")), caller(request))
    except ServiceError as exc:
        if form and isinstance(exc, challenge.SignInRequired):
            return pages.login_page(request, exc)
        if form and pending is not None:
            return _page(pending, exc)
        raise
    # One Set-Cookie only: the spent tf_pending cookie names a deleted record and expires by itself.
    cookie = {"Set-Cookie": sessions.cookie(token)}
    if form:
        return redirect(pending.next, cookie)
    return json_response({"csrf_token": session.csrf_token}, 200, cookie)
