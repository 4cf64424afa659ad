"""Routes added by the security review (issue 14): where mistyped dashboard addresses go.

The lead folds these into the area blueprints; each is small on purpose.
"""

from __future__ import annotations

from chalice.app import Response

from ..errors import NotFound
from ..responses import redirect
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
