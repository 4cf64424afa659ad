"""Applications (OAuth clients): `/account/oauth-clients`, `/v1/oauth-clients` and Settings → Applications."""

from ..base import Area

bp = Area(__name__)

from . import endpoints, pages, secrets  # noqa: E402,F401 - each registers its routes on bp
