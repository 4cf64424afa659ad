"""OAuth 2.0 and OpenID Connect endpoints: /oauth/authorize (consent page), token, revoke,
introspect (endpoints.py), their CORS preflights (cors.py) and UserInfo (userinfo.py)."""

from ..base import Area

bp = Area(__name__)

from . import cors, endpoints, userinfo  # noqa: E402,F401 - each registers its routes on bp
