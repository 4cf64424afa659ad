"""Authorization server metadata (RFC 8414 §2), served at /.well-known/oauth-authorization-server."""

from __future__ import annotations

from typing import Any

from .. import scopes
from ..settings import get_settings
from .client_assertion import ALGORITHMS
from .client_metadata import BASIC, NONE, POST, PRIVATE_KEY_JWT
from .clients import GRANT_TYPES
from .pkce import S256


def document() -> dict[str, Any]:
    issuer = get_settings().issuer
    return {
        "issuer": issuer,  # RFC 8414 §3.3: identical to the URL the document was derived from
        "authorization_endpoint": f"{issuer}/oauth/authorize",
        "token_endpoint": f"{issuer}/oauth/token",
        "jwks_uri": f"{issuer}/.well-known/jwks.json",
        "revocation_endpoint": f"{issuer}/oauth/revoke",
        "introspection_endpoint": f"{issuer}/oauth/introspect",
        "scopes_supported": list(scopes.ORDER),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": list(GRANT_TYPES),
        "code_challenge_methods_supported": [S256],
        "token_endpoint_auth_methods_supported": [BASIC, POST, PRIVATE_KEY_JWT, NONE],
        "token_endpoint_auth_signing_alg_values_supported": list(ALGORITHMS),
        "revocation_endpoint_auth_methods_supported": [BASIC, POST, PRIVATE_KEY_JWT, NONE],
        "revocation_endpoint_auth_signing_alg_values_supported": list(ALGORITHMS),
        "introspection_endpoint_auth_methods_supported": [BASIC, POST, PRIVATE_KEY_JWT],
        "introspection_endpoint_auth_signing_alg_values_supported": list(ALGORITHMS),
        "authorization_response_iss_parameter_supported": True,  # RFC 9207 §3
    }
