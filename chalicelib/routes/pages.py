"""HTML pages: sign-in, sign-up, friendly errors, and the stylesheet."""

from __future__ import annotations

from typing import Any

from chalice.app import Request, Response

from ..accounts import presession
from ..dashboard import error_page
from ..errors import NotFound, ServiceError
from ..responses import html_response, redirect, set_html_renderer
from ..settings import get_settings
from ..templating import render, static_file
from .base import Area, cookies
from .browser import PRE_SESSION_COOKIE, optional_session, pre_session_cookie, safe_next

bp = Area(__name__)


def _error_page(status: int, error: str, description: str) -> str:
    return render("error.html", user=None, **error_page.context(status, error, description))


set_html_renderer(_error_page)


def form_page(request: Request, template: str, status: int = 200,
              error: ServiceError | None = None, **context: Any) -> Response:
    """A page carrying a pre-session CSRF token (double-submit cookie), and an error's headers."""
    token = cookies(request).get(PRE_SESSION_COOKIE)
    headers: dict[str, Any] = dict(error.headers) if error else {}
    if not presession.valid(token):  # none yet, expired, or not ours: issue a signed one
        token = presession.issue()
        headers["Set-Cookie"] = pre_session_cookie(token)
    message = error.description if error else None
    return html_response(render(template, csrf_token=token, user=None, error=message, **context),
                         status, headers)


def login_page(request: Request, error: ServiceError | None = None,
               next_url: Any = None, email: Any = None) -> Response:
    status = error.status if error else 200
    return form_page(request, "login.html", status, error,
                     email=email if isinstance(email, str) and len(email) <= 254 else None,
                     next=safe_next(next_url if isinstance(next_url, str) else None, ""),
                     allow_signup=get_settings().allow_signup)


def signup_page(request: Request, error: ServiceError | None = None) -> Response:
    return form_page(request, "signup.html", error.status if error else 200, error)


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


@bp.route("/", methods=["GET"], html=True)
def home() -> Response:
    return redirect("/settings/api" if optional_session(bp.current_request) else "/login")


@bp.route("/static/{name}", methods=["GET"], html=True)
def static(name: str) -> Response:
    text = static_file(name)
    if text is None or not name.endswith((".css", ".js")):
        return html_response(_error_page(404, "not_found", "No such file."), 404)
    kind = "text/css" if name.endswith(".css") else "text/javascript"
    return Response(body=text, status_code=200,
                    headers={"Content-Type": f"{kind}; charset=utf-8",
                             "Cache-Control": "public, max-age=3600"})


@bp.route("/settings/{name}", methods=["GET"], html=True)
def unknown_settings_page(name: str) -> Response:
    """A mistyped settings address gets a friendly 404 page (the known pages match first)."""
    raise NotFound("There is no settings page at this address.")
