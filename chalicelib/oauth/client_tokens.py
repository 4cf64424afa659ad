"""Access tokens a client obtained for itself (client_credentials, RFC 6749 §4.4), as the
authorizer, introspection and revocation see them.

Such a token has `sub` = `client_id` (RFC 9068 §2.2: the client acting for itself; a
user id never starts with `cli_`) and `sid` = the credential that proved the client (a
`sec_…` secret id or `key:<kid>`). The authorizer's one read is the client item: the
token stops working when the client is deleted, when that secret is deleted (rotation),
or when its `jti` was revoked. Kept light: on the authorizer's import path.
"""

from __future__ import annotations

from typing import Any

from ..errors import Unauthenticated
from ..principal import Principal

PRINCIPAL_TYPE = "client"
KEY_PREFIX = "key:"
# Set by client authentication on the client record it returns: which secret (or key) proved
# the client, so a token it obtains for itself ends when that secret is deleted.
AUTHENTICATED_WITH = "authenticated_with"


def is_client_token(claims: dict[str, Any]) -> bool:
    return bool(claims["sub"] == claims["client_id"])


def credential_live(client: dict[str, Any], credential: str) -> bool:
    """The secret or registered key that obtained the token is still the client's."""
    if credential.startswith(KEY_PREFIX):
        kid = credential[len(KEY_PREFIX):]
        return any(k.get("kid") == kid for k in (client.get("jwks") or {}).get("keys", []))
    return credential in (client.get("secrets") or {})


def check(claims: dict[str, Any], client: dict[str, Any] | None) -> None:
    """The client is live, in the workspace, still holds the credential, and the jti is not revoked."""
    if (client is None or client.get("deleted_at") is not None
            or client.get("workspace_id") != claims["workspace_id"]
            or not credential_live(client, claims["sid"])
            or claims["jti"] in (client.get("revoked_jtis") or ())):
        raise Unauthenticated()


def principal(claims: dict[str, Any]) -> Principal:
    # credential_id is the client: every token of one client shares its rate limit.
    return Principal(principal_type=PRINCIPAL_TYPE, workspace_id=claims["workspace_id"],
                     scopes=tuple(claims["scope"].split()), credential_id=claims["client_id"],
                     client_id=claims["client_id"])
