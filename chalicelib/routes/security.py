"""Settings → Security: one page, one section per feature (two-factor, Active Sessions)."""

from __future__ import annotations

from chalice.app import Response

from ..accounts import sessions
from ..dashboard import security as context
from ..errors import ServiceError
from ..responses import html_response
from ..templating import render
from . import forms
from .base import Area

bp = Area(__name__)
PATH = context.PATH


def page(session: sessions.Session, *, error: ServiceError | None = None,
         notice: str | None = None, backup_codes: list[str] | None = None,
         notice_key: str | None = None, confirm_passkey: str | None = None) -> Response:
    """The page for this session; an error keeps its status and headers (e.g. Retry-After)."""
    status, headers = (error.status, dict(error.headers)) if error else (200, {})
    body = render("security.html", user=session, error=error.description if error else None,
                  **context.page(session, backup_codes, notice, notice_key, confirm_passkey))
    return html_response(body, status, headers)


@bp.route(PATH, methods=["GET"], html=True)
def security() -> Response:
    request = bp.current_request
    return forms.page(request, PATH, lambda s: page(s, notice_key=forms.query(request, "notice")))
