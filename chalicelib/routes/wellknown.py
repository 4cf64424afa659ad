"""Public discovery documents: RFC 8414 metadata and the JWKS (RFC 7517)."""

from __future__ import annotations

from chalice.app import Response

from ..oauth import metadata
from ..responses import json_response
from .base import Area

bp = Area(__name__)

# Short enough that a rotation reaches caches quickly; verifiers re-fetch on an unknown kid anyway.
CACHE = {"Cache-Control": "public, max-age=300"}


@bp.route("/.well-known/oauth-authorization-server", methods=["GET"])
def authorization_server() -> Response:
    return json_response(metadata.document(), 200, CACHE)


@bp.route("/.well-known/jwks.json", methods=["GET"])
def jwks() -> Response:
    from ..oauth import signing_keys  # cryptography: off the API handler's cold start

    return json_response(signing_keys.current().jwks, 200, CACHE)
