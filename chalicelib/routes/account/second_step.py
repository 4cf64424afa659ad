"""The second sign-in step: the /login/2fa page and POST /login/2fa (browser-session area)."""

from __future__ import annotations

from typing import Any

from chalice.app import Request, Response

from ...accounts import challenge, sessions
from ...caller import Caller
from ...errors import ServiceError
from ...passkeys import relying_party
from ...responses import json_response, redirect
from ...twofactor import codes
from ..base import client_ip, cookies, is_form, parse_body, user_agent
from ..browser import csrf_from
from ..forms import JSON_OR_FORM, render_page
from . import bp, pages


def caller(request: Request) -> Caller:
    return Caller(client_ip(request), user_agent(request))


def challenge_answer(pending: challenge.Pending, form: bool) -> Response:
    """What POST /login answers when a second factor is still needed."""
    if pending.token is None:  # only a pending sign-in just begun carries its cookie value
        raise challenge.SignInRequired()
    cookie = {"Set-Cookie": challenge.cookie(pending.token)}
    if form:
        return redirect("/login/2fa", cookie)
    return json_response({"mfa_required": True, "csrf_token": pending.csrf_token}, 200, cookie)


def _page(pending: challenge.Pending, error: ServiceError | None = None) -> Response:
    return render_page("login_2fa.html", None, error, csrf_token=pending.csrf_token,
                       passkey_origin=relying_party.origin(), next=pending.next)


@bp.route("/login/2fa", methods=["GET"], html=True)
def page() -> Response:
    try:
        pending = challenge.resolve(cookies(bp.current_request).get(challenge.COOKIE))
    except challenge.SignInRequired:
        return redirect("/login", {"Set-Cookie": challenge.clear_cookie()})
    return _page(pending)


@bp.route("/login/2fa", methods=["POST"], content_types=JSON_OR_FORM)
def verify() -> Response:
    """Like `forms.anonymous_call`, but the caller is the pending sign-in, whose own
    CSRF token a form must carry."""
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
