"""The sign-in and sign-up pages, each carrying a pre-session CSRF token (double-submit cookie)."""

from __future__ import annotations

from typing import Any

from chalice.app import Request, Response

from ...accounts import presession
from ...errors import ServiceError
from ...passkeys import relying_party
from ...responses import redirect
from ...settings import get_settings
from ..base import cookies
from ..browser import PRE_SESSION_COOKIE, optional_session, pre_session_cookie, safe_next
from ..forms import render_page
from . import bp


def form_page(request: Request, template: str, error: ServiceError | None = None,
              **context: Any) -> Response:
    """A sign-in or sign-up page; a fresh pre-session token when the browser has none."""
    token = cookies(request).get(PRE_SESSION_COOKIE)
    headers: dict[str, Any] = {}
    if not presession.valid(token):  # none yet, expired, or not ours: issue a signed one
        token = presession.issue()
        headers["Set-Cookie"] = pre_session_cookie(token)
    return render_page(template, None, error, headers=headers, csrf_token=token, **context)


def login_page(request: Request, error: ServiceError | None = None,
               next_url: Any = None, email: Any = None) -> Response:
    return form_page(request, "login.html", error,
                     email=email if isinstance(email, str) and len(email) <= 254 else None,
                     next=safe_next(next_url if isinstance(next_url, str) else None, ""),
                     allow_signup=get_settings().allow_signup,
                     passkey_origin=relying_party.origin())


def signup_page(request: Request, error: ServiceError | None = None) -> Response:
    return form_page(request, "signup.html", error)


@bp.route("/login", methods=["GET"], html=True)
def login() -> Response:
    request = bp.current_request
    next_url = (request.query_params or {}).get("next")  # type: ignore[call-overload]
    if optional_session(request):
        return redirect(safe_next(next_url))
    return login_page(request, next_url=next_url)


@bp.route("/signup", methods=["GET"], html=True)
def signup() -> Response:
    if not get_settings().allow_signup:
        return redirect("/login")
    return signup_page(bp.current_request)
