"""JWT access tokens (RFC 9068): issued by the token endpoint, verified by the authorizer.

Verification costs at most one DynamoDB read: the grant named by `sid`, which
says whether the grant, or this one token (`jti`), was revoked. The principal's
`credential_id` is the grant id, not the jti: it stays the same across refreshes,
so rate limits, audit entries and the sessions list follow the OAuth session
rather than each hourly token.

Kept light for cold starts: PyJWT and cryptography (with `signing_keys`, ~70 ms of
imports) are imported when a token is first issued or decoded, not with this module,
so neither an API-key authorizer nor the API handler's first request pays for them.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from .. import clock, credentials, tokens
from ..errors import Unauthenticated
from ..principal import Principal
from ..settings import get_settings
from ..store import grants as grant_store
from ..store import oauth_clients as client_store
from . import client_tokens

ALGORITHM = "ES256"
LEEWAY_SECONDS = 60
MAX_TOKEN_CHARS = credentials.MAX_CHARS
TOKEN_TYPES = ("at+jwt", "application/at+jwt")
REQUIRED = ["exp", "iat", "iss", "aud", "sub", "jti"]
STRING_CLAIMS = ("sub", "jti", "client_id", "scope", "sid", "workspace_id")


def issue(grant: dict[str, Any], scope: str, now: int | None = None) -> str:
    """A signed access token for `grant`, carrying `scope` (the grant's or narrower)."""
    import jwt  # at first use: see the module docstring

    from . import signing_keys

    settings, keyset = get_settings(), signing_keys.current()
    now = clock.now() if now is None else now
    claims = {"iss": settings.issuer, "sub": grant["user_id"], "aud": settings.audience,
              "exp": now + settings.access_token_ttl, "iat": now, "jti": tokens.random_base62(22),
              "client_id": grant["client_id"], "scope": scope, "sid": grant["id"],
              "workspace_id": grant["workspace_id"]}
    # RFC 9068 §2.1: typ "at+jwt" keeps our access tokens from being confused with other JWTs.
    return jwt.encode(claims, keyset.private_key, algorithm=ALGORITHM,
                      headers={"typ": "at+jwt", "kid": keyset.kid})


def decode(token: str) -> dict[str, Any]:
    """Signature and claims of one of our access tokens, without a store read; else Unauthenticated."""
    if len(token) > MAX_TOKEN_CHARS or token.count(".") != 2:
        raise Unauthenticated()
    header = _header(token)
    # RFC 8725 §3.1 / RFC 9068 §4: one algorithm, fixed by us, never taken from the token;
    # "none", HS256 (a public key used as an HMAC secret) and anything else are refused here.
    if header.get("alg") != ALGORITHM or str(header.get("typ", "")).lower() not in TOKEN_TYPES:
        raise Unauthenticated()
    import jwt  # at first use: see the module docstring

    from . import signing_keys

    kid = header.get("kid")
    key = signing_keys.public_key(kid) if isinstance(kid, str) else None
    if key is None:
        raise Unauthenticated()
    settings = get_settings()
    try:
        # RFC 9068 §4: iss and aud must match exactly; exp (and nbf when present) with ≤60 s skew.
        claims: dict[str, Any] = jwt.decode(token, key, algorithms=[ALGORITHM], audience=settings.audience,
                                            issuer=settings.issuer, leeway=LEEWAY_SECONDS,
                                            options={"require": REQUIRED})
    except jwt.PyJWTError:
        raise Unauthenticated() from None
    if not all(isinstance(claims.get(name), str) and claims[name] for name in STRING_CLAIMS):
        raise Unauthenticated()
    return claims


def _header(token: str) -> dict[str, Any]:
    """The JOSE header, only to pick the key: jwt.decode parses and checks it again.

    Decoding just this segment costs a fifth of jwt.get_unverified_header, which
    decodes the payload and signature as well.
    """
    segment = token.split(".", 1)[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, TypeError, RecursionError):
        raise Unauthenticated() from None
    if not isinstance(header, dict):
        raise Unauthenticated()
    return header


def check_grant(claims: dict[str, Any], grant: dict[str, Any] | None) -> None:
    """The grant behind the token is live, is the one that issued it, and did not revoke this jti."""
    if (grant is None or grant.get("revoked_at") is not None
            or grant.get("client_id") != claims["client_id"] or grant.get("user_id") != claims["sub"]
            or claims["jti"] in (grant.get("revoked_jtis") or ())):
        raise Unauthenticated()


def check(claims: dict[str, Any]) -> None:
    """One store read: the grant behind a user's token, or the client behind a client's own token."""
    if client_tokens.is_client_token(claims):
        client_tokens.check(claims, client_store.get(claims["client_id"]))
    else:
        check_grant(claims, grant_store.get(claims["sid"]))


def verify(token: str) -> Principal:
    """The authorizer's decision for a JWT: a user or client principal, or Unauthenticated (one read)."""
    claims = decode(token)
    check(claims)
    return client_tokens.principal(claims) if client_tokens.is_client_token(claims) else principal(claims)


def principal(claims: dict[str, Any]) -> Principal:
    return Principal(principal_type="user", workspace_id=claims["workspace_id"],
                     scopes=tuple(claims["scope"].split()), credential_id=claims["sid"],
                     user_id=claims["sub"], client_id=claims["client_id"])
