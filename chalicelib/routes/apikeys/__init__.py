"""API keys: `/account/api-keys` (session + CSRF), `/v1/api-keys` (admin bearer) and Settings → API."""

from ..base import Area

bp = Area(__name__)

from . import endpoints, pages  # noqa: E402,F401 - each registers its routes on bp
