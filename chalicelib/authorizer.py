"""Credential -> principal: the decision behind every /v1 request and the gateway authorizer.

Kept light on purpose (no jinja2, segno, argon2 or boto3 on this import path):
it runs on every API call, cold starts included. The cost of an API-key
decision is one DynamoDB GetItem; a malformed credential costs none.

Dispatch is by credential shape (`credentials.kind`), one branch per credential
type: API keys, and OAuth access tokens (a JWT), each costing at most one read.
Anything else is refused. A store failure raises `StoreUnavailable` and is never
an allow.

PyJWT and cryptography (~70 ms of imports) load only when a JWT-shaped credential
arrives (see `oauth.access_tokens`), so an API-key container never loads them.
"""

from __future__ import annotations

from typing import Any

from . import credentials
from .apikeys import verify
from .errors import Unauthenticated
from .oauth import access_tokens
from .principal import Principal

SCHEME = "bearer"
MAX_HEADER = credentials.MAX_CHARS
_B64TOKEN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/")


def bearer_token(header: str | None) -> str:
    """The credential of `Authorization: Bearer <credential>`, or `Unauthenticated`.

    RFC 7235 §2.1: `credentials = auth-scheme [ 1*SP token68 ]`, the scheme
    case-insensitive. RFC 6750 §2.1: the credential is a b64token. Whitespace
    around the whole value is not part of it (RFC 9110 §5.5).
    """
    if header is not None and len(header) > MAX_HEADER:
        raise Unauthenticated()
    value = (header or "").strip(" \t")
    if not value:
        raise Unauthenticated(credential_sent=False)
    if not value.isascii():
        raise Unauthenticated()
    scheme, _, rest = value.partition(" ")
    credential = rest.lstrip(" ")
    if scheme.lower() != SCHEME or not credential:
        raise Unauthenticated()
    stem = credential.rstrip("=")  # b64token: 1*( ALPHA / DIGIT / "-._~+/" ) *"="
    if not stem or not set(stem) <= _B64TOKEN:
        raise Unauthenticated()
    return credential


def decide(token: str, **key_use: Any) -> Principal:
    """The principal for a bearer credential, or `Unauthenticated` / `StoreUnavailable`.
    `key_use`: what `apikeys.verify` records of an API key's use (ip, user_agent, defer_touch)."""
    shape = credentials.kind(token)
    if shape == credentials.API_KEY:
        return verify.verify(token, **key_use)
    if shape == credentials.ACCESS_TOKEN:
        return access_tokens.verify(token)
    raise Unauthenticated()


def authorize(header: str | None, **key_use: Any) -> Principal:
    """Parse the `Authorization` header value and decide."""
    return decide(bearer_token(header), **key_use)
