"""Client authentication at the token, revocation and introspection endpoints (RFC 6749 §2.3).

- `client_secret_basic`: `Authorization: Basic` with the form-urlencoded id and secret (§2.3.1)
- `client_secret_post`: `client_id` and `client_secret` in the form body (§2.3.1)
- `none`: a public client sends only `client_id` (§2.1; it proves itself with PKCE instead)
- `private_key_jwt`: a signed assertion instead of any secret (client_assertion, RFC 7523)

A client uses exactly one method (§2.3). Every failure is `invalid_client` (401,
§5.2), with `WWW-Authenticate: Basic` when the client tried the header. Secrets
are checked against SHA-256 digests in constant time (client_secrets).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

from . import brute_force, client_assertion, client_secrets, clients, params
from .client_tokens import AUTHENTICATED_WITH
from .errors import InvalidClient, InvalidRequest

BASIC, POST, NONE = "client_secret_basic", "client_secret_post", "none"
MAX_CREDENTIAL_CHARS = 200


@dataclass(frozen=True)
class Credentials:
    client_id: str
    secret: str | None
    method: str


def _basic(header: str) -> Credentials:
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic" or len(encoded) > 4 * MAX_CREDENTIAL_CHARS:
        raise InvalidClient("Use HTTP Basic (client_secret_basic) in the Authorization header.", basic=True)
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise InvalidClient("The Basic credentials are not valid base64.", basic=True) from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise InvalidClient("The Basic credentials must be client_id:client_secret.", basic=True)
    # §2.3.1: id and secret are form-urlencoded before being joined by the colon.
    return Credentials(unquote_plus(client_id), unquote_plus(secret), BASIC)


def credentials(form: params.Params, authorization: str | None) -> Credentials:
    """Which client claims to be calling, and how (no store read yet)."""
    body_id = params.get(form, "client_id", MAX_CREDENTIAL_CHARS)
    body_secret = params.get(form, "client_secret", MAX_CREDENTIAL_CHARS)
    if authorization:
        found = _basic(authorization)
        if body_secret is not None:
            raise InvalidRequest("Use one client authentication method, not Basic and client_secret.")
        if body_id is not None and body_id != found.client_id:
            raise InvalidClient("client_id differs from the Basic credentials.", basic=True)
        return found
    if body_id is None:
        raise InvalidClient("Client authentication is required (client_id).")
    return Credentials(body_id, body_secret, POST if body_secret is not None else NONE)


def authenticate(form: params.Params, authorization: str | None) -> dict[str, Any]:
    """The calling client's record, or InvalidClient."""
    if client_assertion.present(form):
        return client_assertion.authenticate(form, authorization)  # private_key_jwt (RFC 7523)
    creds = credentials(form, authorization)
    basic = creds.method == BASIC
    client = clients.get_active(creds.client_id)
    if client is not None and client["type"] == clients.PUBLIC:
        if creds.method != NONE:
            raise InvalidClient("Public clients have no secret: send only client_id.", basic=basic)
        return client
    if creds.method == NONE:
        raise InvalidClient("Unknown client, or a confidential client without its secret.")
    secret_id = client_secrets.verify(client, creds.secret or "") if client else None
    if secret_id is not None and client is not None:
        # Checked before the lock: others' wrong guesses never lock out the right secret
        # (a 190-bit secret is not guessable online; the lock stops the guessing traffic).
        return {**client, AUTHENTICATED_WITH: secret_id}
    brute_force.CLIENT_AUTH.check(creds.client_id)  # wrong secrets: 429 while this client id is locked
    brute_force.client_auth_failed(creds.client_id, client)
    raise InvalidClient("Unknown client or wrong client secret.", basic=basic)
