"""HTML form posts from the dashboard pages, all handled alike: signed in (else
back to sign-in), CSRF checked (else a 403 page), and an action's own errors
shown on the page the form came from, with the error's status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from chalice.app import Request, Response

from ..accounts import sessions
from ..errors import InvalidRequest, ServiceError, SessionRequired
from ..responses import redirect
from .base import is_form, parse_body, parse_form
from .browser import csrf_from, current_session

FORM = ["application/x-www-form-urlencoded"]
Action = Callable[[sessions.Session, dict[str, Any]], Response]
OnError = Callable[[sessions.Session, ServiceError, dict[str, Any]], Response]


def to_login(back: str) -> Response:
    return redirect("/login?next=" + quote(back, safe="/"))


def fields(request: Request, repeatable: tuple[str, ...] = ()) -> dict[str, Any]:
    """The form's fields; checkbox groups (`repeatable`) come as one space-separated string."""
    if not repeatable or not is_form(request):
        return parse_body(request)
    body: dict[str, Any] = {}
    for name, values in parse_form(request).items():
        if len(values) > 1 and name not in repeatable:
            raise InvalidRequest("A form field was sent more than once.")
        body[name] = " ".join(values) if name in repeatable else values[0]
    return body


def post(request: Request, back: str, action: Action, on_error: OnError,
         repeatable: tuple[str, ...] = ()) -> Response:
    """Run `action` for a signed-in form post; `back` is where sign-in returns to."""
    try:
        session = current_session(request)
    except SessionRequired:
        return to_login(back)
    body = fields(request, repeatable)  # malformed: a 400 page (the route is html=True)
    sessions.check_csrf(session, csrf_from(request, body))  # missing or wrong: a 403 page
    try:
        return action(session, body)
    except ServiceError as exc:
        if exc.status >= 500:
            raise
        return on_error(session, exc, body)


def page(request: Request, back: str,
         render: Callable[[sessions.Session], Response]) -> Response:
    """A signed-in GET page; anyone else goes to sign-in and comes back here afterwards.
    A store failure is a 503 page, not a sign-in form (that would not help)."""
    try:
        session = current_session(request)
    except SessionRequired:
        return to_login(back)
    return render(session)


def query(request: Request, name: str) -> str | None:
    value = (request.query_params or {}).get(name)  # type: ignore[call-overload]
    return value if isinstance(value, str) else None
