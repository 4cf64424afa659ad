"""Settings → Security → Active Sessions (HTML forms): revoke one session, or
sign out everywhere else. Each answers with a redirect back to the page, so a
reload never repeats the action."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from ..accounts import active_sessions
from ..accounts.sessions import Session
from ..dashboard import security as context
from ..errors import ServiceError
from ..responses import redirect
from . import forms, security
from .base import Area, client_ip, user_agent

bp = Area(__name__)
PATH = security.PATH + "/sessions"


def _done(notice: str) -> Response:
    return redirect(f"{security.PATH}?notice={notice}#active-sessions")


def _error(session: Session, error: ServiceError, form: dict[str, Any]) -> Response:
    return security.page(session, error=error)


@bp.route(PATH + "/{session_id}/revoke", methods=["POST"], html=True, content_types=forms.FORM)
def revoke(session_id: str) -> Response:
    request = bp.current_request

    def action(session: Session, form: dict[str, Any]) -> Response:
        return _done(context.revoke(session, session_id, client_ip(request), user_agent(request)))

    return forms.post(request, security.PATH, action, _error)


@bp.route(PATH + "/revoke-others", methods=["POST"], html=True, content_types=forms.FORM)
def revoke_others() -> Response:
    request = bp.current_request

    def action(session: Session, form: dict[str, Any]) -> Response:
        active_sessions.revoke_others(session, client_ip(request), user_agent(request))
        return _done("others_revoked")

    return forms.post(request, security.PATH, action, _error)
