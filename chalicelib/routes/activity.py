"""Active sessions and the audit log (browser-session area and the admin Bearer API)."""

from __future__ import annotations

from chalice.app import Response

from .. import audit
from ..accounts import active_sessions
from ..responses import json_response, no_content
from ..validation import integer, text
from .base import Area, client_ip, user_agent
from .browser import signed_in
from .gate import bearer, require

bp = Area(__name__)


@bp.route("/account/sessions", methods=["GET"])
def sessions() -> Response:
    session = signed_in(bp.current_request)
    return json_response({"sessions": active_sessions.list_sessions(session)})


@bp.route("/account/sessions/{session_id}", methods=["DELETE"])
def revoke_session(session_id: str) -> Response:
    request = bp.current_request
    session = signed_in(request)
    active_sessions.revoke(session, session_id, client_ip(request), user_agent(request))
    return no_content()


@bp.route("/account/sessions/revoke-others", methods=["POST"])
def revoke_other_sessions() -> Response:
    request = bp.current_request
    session = signed_in(request)
    count = active_sessions.revoke_others(session, client_ip(request), user_agent(request))
    return json_response({"revoked": count})


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
