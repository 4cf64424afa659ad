"""Active Sessions: browser sessions and OAuth grants, listed and revoked — as JSON
(`/account/sessions`) or as forms on Settings → Security, which answer with a
redirect back to the page, so a reload never repeats the action."""

from __future__ import annotations

from chalice.app import Response

from ...accounts import active_sessions
from ...dashboard import security as context
from ...errors import ServiceError
from ...responses import json_response, no_content, redirect
from ..base import client_ip, user_agent
from ..browser import signed_in
from ..forms import FORM, SessionCall, render_page, signed_in_call
from ..forms import page as signed_in_page
from . import bp
from .page import PATH, page

FORMS = PATH + "/sessions"


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


def _done(notice: str) -> Response:
    return redirect(f"{PATH}?notice={notice}#active-sessions")


def _error(call: SessionCall, error: ServiceError) -> Response:
    return page(call.session, error=error)


@bp.route(FORMS + "/{session_id}/revoke", methods=["GET"], html=True)
def confirm_revoke(session_id: str) -> Response:
    """Revoking a browser session or an app's access asks first, as keys and apps do."""
    path = f"{FORMS}/{session_id}/revoke"
    return signed_in_page(bp.current_request, path, lambda session: render_page(
        "security/revoke_confirm.html", session, item=context.find(session, session_id)))


@bp.route(FORMS + "/{session_id}/revoke", methods=["POST"], html=True, content_types=FORM)
def revoke(session_id: str) -> Response:
    def action(call: SessionCall) -> Response:
        return _done(context.revoke(call.session, session_id, call.ip, call.user_agent))

    return signed_in_call(bp.current_request, action, back=PATH, on_error=_error)


@bp.route(FORMS + "/revoke-others", methods=["POST"], html=True, content_types=FORM)
def revoke_others() -> Response:
    def action(call: SessionCall) -> Response:
        active_sessions.revoke_others(call.session, call.ip, call.user_agent)
        return _done("others_revoked")

    return signed_in_call(bp.current_request, action, back=PATH, on_error=_error)
