"""Settings → Security → Activity: the audit log as a page (newest first, paginated,
filtered by kind). The JSON API stays `/account/audit-events` (routes/activity.py)."""

from __future__ import annotations

from chalice.app import Response

from ..accounts.sessions import Session
from ..dashboard import activity
from ..responses import html_response
from ..templating import render
from . import forms
from .base import Area

bp = Area(__name__)


@bp.route(activity.PATH, methods=["GET"], html=True)
def activity_page() -> Response:
    request = bp.current_request

    def show(session: Session) -> Response:
        context = activity.page(session, forms.query(request, "type"), forms.query(request, "cursor"))
        return html_response(render("security_activity.html", user=session, **context))

    return forms.page(request, activity.PATH, show)
