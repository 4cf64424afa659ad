"""API keys: `/account/api-keys` (session + CSRF), `/v1/api-keys` (admin bearer), Settings → API,
and the secret-scanning endpoint that revokes leaked keys."""

from ..base import Area

bp = Area(__name__)

from . import endpoints, leaks, pages  # noqa: E402,F401 - each registers its routes on bp
