"""OAuth 2.0 and OpenID Connect endpoints: /oauth/authorize (consent page), token, revoke,
introspect."""

from ..base import Area

bp = Area(__name__)

from . import endpoints  # noqa: E402,F401 - registers its routes on bp
