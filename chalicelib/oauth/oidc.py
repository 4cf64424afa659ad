"""OpenID Connect Core 1.0 on top of the code flow: the id_token, UserInfo, and Discovery.

- id_token (§2, §3.1.3.6): ES256 with the key that signs access tokens (one JWKS);
  `iss`, `sub` (the user id), `aud` = the client_id, `exp`, `iat`, `auth_time` (when
  the user signed in), `nonce` when the request had one, `at_hash` (left half of
  SHA-256 of the access token), and `email` / `email_verified` with the `email` scope.
  Its `typ` is `JWT` and its `aud` the client: the authorizer, which wants
  `typ: at+jwt` and our API audience, never accepts it as an API credential.
- UserInfo (§5.3): `{sub, email, email_verified}` for an access token with `openid`
  (the email claims only with `email`, §5.4).
- Discovery 1.0 (§3): the RFC 8414 document plus the OpenID fields.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from .. import clock
from ..errors import InsufficientScope, Unauthenticated
from ..principal import Principal
from ..settings import get_settings
from ..store import users as user_store
from . import metadata
from .scope import IDENTITY

ALGORITHM = "ES256"
ID_TOKEN_TTL = 3600


def at_hash(access_token: str) -> str:
    """§3.1.3.6: base64url of the left-most half of the SHA-256 hash of the access token."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode("ascii")


def _email_claims(user_id: str) -> dict[str, Any]:
    user = user_store.get(user_id) or {}
    return {"email": user.get("email"), "email_verified": bool(user.get("email_verified", False))}


def id_token(code: dict[str, Any], client_id: str, access_token: str, now: int | None = None) -> str:
    import jwt  # PyJWT (and cryptography) on first use: off the API handler's cold start

    from . import signing_keys

    settings, keyset = get_settings(), signing_keys.current()
    now = clock.now() if now is None else now
    claims: dict[str, Any] = {"iss": settings.issuer, "sub": code["user_id"], "aud": client_id,
                              "exp": now + ID_TOKEN_TTL, "iat": now,
                              "auth_time": int(code.get("auth_time") or now),
                              "at_hash": at_hash(access_token)}
    if code.get("nonce"):
        claims["nonce"] = code["nonce"]
    if "email" in code["scopes"]:
        claims.update(_email_claims(code["user_id"]))
    return jwt.encode(claims, keyset.private_key, algorithm=ALGORITHM,
                      headers={"typ": "JWT", "kid": keyset.kid})


def with_id_token(body: dict[str, Any], code: dict[str, Any], client_id: str) -> dict[str, Any]:
    """The token response, with an id_token when the authorization asked for `openid` (§3.1.3.3)."""
    if "openid" in (code.get("scopes") or []):
        body["id_token"] = id_token(code, client_id, body["access_token"])
    return body


def userinfo(principal: Principal) -> dict[str, Any]:
    """§5.3.2: claims about the user the access token is for."""
    if principal.user_id is None:
        raise Unauthenticated("A client's own token (client_credentials) has no user to describe.")
    if "openid" not in principal.scopes:
        raise InsufficientScope("openid")
    claims: dict[str, Any] = {"sub": principal.user_id}
    if "email" in principal.scopes:
        claims.update(_email_claims(principal.user_id))
    return claims


def discovery() -> dict[str, Any]:
    """OpenID Connect Discovery 1.0 §3, served at /.well-known/openid-configuration."""
    document = metadata.document()
    issuer = document["issuer"]
    return {**document, "userinfo_endpoint": f"{issuer}/oauth/userinfo",
            "scopes_supported": [*IDENTITY, *document["scopes_supported"]],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [ALGORITHM],
            "userinfo_signing_alg_values_supported": ["none"],
            "claims_supported": ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash",
                                 "email", "email_verified"],
            "prompt_values_supported": ["none", "login", "consent", "select_account"],
            "claims_parameter_supported": False, "request_parameter_supported": False,
            "request_uri_parameter_supported": False}
