"""The audit log: `/account/audit-events` for the signed-in user's workspace,
`/v1/audit-events` for an admin-scoped bearer credential, and Settings → Security →
Activity, the same events as sentences a person reads. Newest first, paginated."""

from __future__ import annotations

from chalice.app import Response

from ... import audit
from ...accounts.sessions import Session
from ...dashboard import activity
from ...responses import json_response
from ...validation import integer, text
from ..browser import signed_in
from ..forms import page, query, render_page
from ..gate import bearer, require
from . import bp


def _events(workspace_id: str) -> Response:
    params = dict(bp.current_request.query_params or {})
    limit = integer(params, "limit", 1, 200) or 50
    cursor = text(params, "cursor", max_len=2000, required=False)
    return json_response(audit.events(workspace_id, limit, cursor))


@bp.route("/account/audit-events", methods=["GET"])
def audit_events() -> Response:
    return _events(signed_in(bp.current_request).workspace_id)


@bp.route("/v1/audit-events", methods=["GET"], authorizer=bearer)
def v1_audit_events() -> Response:
    return _events(require("admin").workspace_id)


@bp.route(activity.PATH, methods=["GET"], html=True)
def activity_page() -> Response:
    request = bp.current_request

    def show(session: Session) -> Response:
        context = activity.page(session, query(request, "type"), query(request, "cursor"))
        return render_page("security_activity.html", session, **context)

    return page(request, activity.PATH, show)
