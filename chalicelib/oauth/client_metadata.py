"""A client's grant types and token endpoint authentication method (RFC 7591 §2).

- `grant_types`: `authorization_code`, `refresh_token`, `client_credentials`; default the
  first two. `refresh_token` only with `authorization_code`; `client_credentials` only for
  confidential clients (RFC 6749 §4.4: the client must authenticate).
- `token_endpoint_auth_method`: `client_secret_basic` (default for confidential clients),
  `client_secret_post`, `private_key_jwt` (with `jwks`: no shared secret at all), or `none`
  (public clients, the only method they may use). The two secret methods are interchangeable
  at the token endpoint (RFC 6749 §2.3.1 lets a secret client use either); a private_key_jwt
  client must send an assertion.
- Redirect URIs are needed only with `authorization_code`: a machine-only client has none.
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidRequest
from ..validation import string_list

AUTHORIZATION_CODE, REFRESH_TOKEN = "authorization_code", "refresh_token"
CLIENT_CREDENTIALS = "client_credentials"
GRANT_TYPES = (AUTHORIZATION_CODE, REFRESH_TOKEN, CLIENT_CREDENTIALS)
DEFAULT_GRANT_TYPES = [AUTHORIZATION_CODE, REFRESH_TOKEN]
BASIC, POST, PRIVATE_KEY_JWT, NONE = "client_secret_basic", "client_secret_post", "private_key_jwt", "none"
SECRET_METHODS = (BASIC, POST)
AUTH_METHODS = (BASIC, POST, PRIVATE_KEY_JWT, NONE)


def words(body: dict[str, Any], name: str, max_items: int) -> list[str] | None:
    """A JSON array, or (from an HTML form) one space- or newline-separated string."""
    value = body.get(name)
    if isinstance(value, str):
        body = {name: value.split()}
    return string_list(body, name, max_items=max_items, required=False)


def grant_types(body: dict[str, Any], confidential: bool) -> list[str]:
    chosen = words(body, "grant_types", 3) or list(DEFAULT_GRANT_TYPES)
    if not set(chosen) <= set(GRANT_TYPES):
        raise InvalidRequest("'grant_types' may hold authorization_code, refresh_token and "
                             "client_credentials.")
    if REFRESH_TOKEN in chosen and AUTHORIZATION_CODE not in chosen:
        raise InvalidRequest("'grant_types': refresh_token needs authorization_code.")
    if CLIENT_CREDENTIALS in chosen and not confidential:
        # RFC 6749 §4.4: only a client that can authenticate may act for itself.
        raise InvalidRequest("'grant_types': client_credentials is for confidential clients only.")
    return [g for g in GRANT_TYPES if g in chosen]


def auth_method(body: dict[str, Any], confidential: bool) -> str:
    method = body.get("token_endpoint_auth_method")
    if method is None or method == "":
        return BASIC if confidential else NONE
    if method not in AUTH_METHODS:
        raise InvalidRequest("'token_endpoint_auth_method' must be client_secret_basic, client_secret_post, "
                             "private_key_jwt or none.")
    if (method == NONE) == confidential:
        raise InvalidRequest("'token_endpoint_auth_method': none is for public clients, and public "
                             "clients can use only none.")
    return str(method)


def uses_secret(client: dict[str, Any]) -> bool:
    method = client.get("token_endpoint_auth_method", BASIC)
    return method in SECRET_METHODS and client["type"] == "confidential"
