"""Routes added by the security review (issue 14): where mistyped dashboard addresses go.

The lead folds these into the area blueprints; each is small on purpose.
"""

from __future__ import annotations

from chalice.app import Response

from ..dashboard import security
from ..errors import NotFound
from ..responses import html_response, redirect
from ..templating import render
from . import forms
from .base import Area

bp = Area(__name__)


@bp.route("/settings", methods=["GET"], html=True)
def settings_home() -> Response:
    """`/settings` itself: the first settings page (sign-in, if needed, happens there)."""
    return redirect("/settings/api")


@bp.route("/settings/{name}/{rest}", methods=["GET"], html=True)
def unknown_settings_subpage(name: str, rest: str) -> Response:
    """One level deeper than any settings page: the same friendly 404 page as /settings/{name}."""
    raise NotFound("There is no settings page at this address.")


@bp.route("/settings/security/sessions/{session_id}/revoke", methods=["GET"], html=True)
def confirm_revoke_session(session_id: str) -> Response:
    """Revoking a browser session or an app's access asks first, as keys and apps do."""
    path = f"/settings/security/sessions/{session_id}/revoke"
    return forms.page(bp.current_request, path, lambda session: html_response(render(
        "security/revoke_confirm.html", user=session, item=security.find(session, session_id))))
