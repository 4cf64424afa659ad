"""Settings → Security: one page, one section per feature (two-factor first)."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from ..accounts import sessions, users
from ..errors import ServiceError
from ..responses import html_response, redirect
from ..templating import render
from ..twofactor import summary
from .base import Area
from .browser import optional_session

bp = Area(__name__)
PATH = "/settings/security"


def page(session: sessions.Session, *, error: ServiceError | None = None,
         notice: str | None = None, backup_codes: list[str] | None = None) -> Response:
    """The page for this session; an error keeps its status and headers (e.g. Retry-After)."""
    user = users.profile(session.user_id)
    status, headers = (error.status, dict(error.headers)) if error else (200, {})
    context: dict[str, Any] = {
        "two_factor": summary.summary(user, backup_codes),
    }
    body = render("security.html", user=session, notice=notice,
                  error=error.description if error else None, **context)
    return html_response(body, status, headers)


@bp.route(PATH, methods=["GET"], html=True)
def security() -> Response:
    session = optional_session(bp.current_request)
    if session is None:
        return redirect(f"/login?next={PATH}")
    return page(session)
