"""One way to answer a browser request that may come as JSON or as an HTML form.

Every state-changing browser route runs through `signed_in_call` (dashboard and
/account routes) or `anonymous_call` (sign-up and sign-in forms), which check in
the same order everywhere: who is calling (401, or back to sign-in for a form),
then the body (400), then the CSRF token (403), then the action. A JSON caller
gets the action's errors as JSON; a form gets them on the page it came from
(`on_error`), or as a friendly error page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

from chalice.app import Request, Response

from ..accounts import sessions
from ..dashboard import error_page
from ..errors import InvalidRequest, ServiceError, SessionRequired
from ..responses import error_response, html_response, redirect
from ..templating import render
from .base import client_ip, is_form, parse_body, parse_form, user_agent
from .browser import check_pre_session_csrf, csrf_from, current_session

FORM = ["application/x-www-form-urlencoded"]
JSON_OR_FORM = ["application/json", "application/x-www-form-urlencoded"]


@dataclass(frozen=True)
class Call:
    """A parsed browser request: its body and whether it is an HTML form."""

    request: Request
    body: dict[str, Any]
    form: bool

    @property
    def ip(self) -> str:
        return client_ip(self.request)

    @property
    def user_agent(self) -> str:
        return user_agent(self.request)


@dataclass(frozen=True)
class SessionCall(Call):
    """A parsed request from a signed-in browser whose CSRF token was checked."""

    session: sessions.Session


C = TypeVar("C", bound=Call)
Action = Callable[[C], Response]
OnError = Callable[[C, ServiceError], Response]


def to_login(back: str) -> Response:
    return redirect("/login?next=" + quote(back, safe="/"))


def fields(request: Request, repeatable: tuple[str, ...] = ()) -> dict[str, Any]:
    """The body as one dict; checkbox groups (`repeatable`) come as one space-separated string."""
    if not repeatable or not is_form(request):
        return parse_body(request)
    body: dict[str, Any] = {}
    for name, values in parse_form(request).items():
        if len(values) > 1 and name not in repeatable:
            raise InvalidRequest("A form field was sent more than once.")
        body[name] = " ".join(values) if name in repeatable else values[0]
    return body


def _run(call: C, action: Action[C], on_error: OnError[C] | None, pages: bool = True) -> Response:
    try:
        return action(call)
    except ServiceError as exc:
        if not (call.form and pages) or exc.status >= 500:
            raise
        if on_error is None:
            return error_response(exc, html=error_page.render_page)
        return on_error(call, exc)


def signed_in_call(request: Request, action: Action[SessionCall], *, back: str | None,
                   on_error: OnError[SessionCall] | None = None,
                   repeatable: tuple[str, ...] = ()) -> Response:
    """A signed-in, state-changing request. `back` is the page a form came from (sign-in
    returns there; errors are pages); with `back=None` every answer is JSON, forms included."""
    pages = back is not None
    form = is_form(request)
    try:
        session = current_session(request)
    except SessionRequired:
        if form and back is not None:
            return to_login(back)
        raise
    try:
        body = fields(request, repeatable)
        sessions.check_csrf(session, csrf_from(request, body))
    except ServiceError as exc:
        if not (form and pages):
            raise
        return error_response(exc, html=error_page.render_page)  # a 400 or 403 page
    return _run(SessionCall(request, body, form, session), action, on_error, pages)


def anonymous_call(request: Request, action: Action[Call], on_error: OnError[Call]) -> Response:
    """Sign-up and sign-in: a form carries the pre-session (double-submit) CSRF token;
    JSON needs none (a cross-site page cannot send JSON without a preflight)."""
    form = is_form(request)
    call = Call(request, {}, form)
    try:
        call = Call(request, parse_body(request), form)
        if form:
            check_pre_session_csrf(request, call.body)
    except ServiceError as exc:
        if not form:
            raise
        return on_error(call, exc)
    return _run(call, action, on_error)


def page(request: Request, back: str, show: Callable[[sessions.Session], Response]) -> Response:
    """A signed-in GET page; anyone else goes to sign-in and comes back here afterwards.
    A store failure is a 503 page, not a sign-in form (that would not help)."""
    try:
        session = current_session(request)
    except SessionRequired:
        return to_login(back)
    return show(session)


def render_page(template: str, user: Any, error: ServiceError | None = None,
                status: int | None = None, headers: dict[str, Any] | None = None,
                **context: Any) -> Response:
    """A page, or the same page again showing `error` with its status and headers (Retry-After)."""
    merged: dict[str, Any] = dict(error.headers) if error else {}
    merged.update(headers or {})
    body = render(template, user=user, error=error.description if error else None, **context)
    return html_response(body, status or (error.status if error else 200), merged)


def query(request: Request, name: str) -> str | None:
    value = (request.query_params or {}).get(name)  # type: ignore[call-overload]
    return value if isinstance(value, str) else None
