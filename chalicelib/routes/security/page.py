"""Settings → Security (HTML): one page, one section per feature (two-factor, Active Sessions)."""

from __future__ import annotations

from chalice.app import Response

from ...accounts import sessions
from ...dashboard import security as context
from ...errors import ServiceError
from ..forms import page as signed_in_page
from ..forms import query, render_page
from . import bp

PATH = context.PATH


def page(session: sessions.Session, *, error: ServiceError | None = None,
         notice: str | None = None, backup_codes: list[str] | None = None,
         notice_key: str | None = None, confirm_passkey: str | None = None) -> Response:
    """The page for this session; an error keeps its status and headers (e.g. Retry-After)."""
    return render_page("security.html", session, error,
                       **context.page(session, backup_codes, notice, notice_key, confirm_passkey))


@bp.route(PATH, methods=["GET"], html=True)
def security() -> Response:
    request = bp.current_request
    return signed_in_page(request, PATH, lambda s: page(s, notice_key=query(request, "notice")))
