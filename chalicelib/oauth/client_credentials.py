"""The client_credentials grant (RFC 6749 §4.4): a confidential client acting for its workspace.

No user and no refresh token (§4.4.3: SHOULD NOT be included). The scope is the one
asked for, within the client's registered scopes (§3.3), or all of them by default.
Issuance is rate-limited per client (`TOKENS_PER_MINUTE`), and every token the
client then uses counts against one per-client limit on `/v1` (the principal's
credential is the client). A token ends with the client, with the secret (or key)
that obtained it, or by revocation of its `jti` (client_tokens).
"""

from __future__ import annotations

from typing import Any

from .. import audit, clock, ratelimit, tokens
from ..settings import get_settings
from ..store import oauth_clients as client_store
from . import access_tokens, params, scope
from .client_tokens import AUTHENTICATED_WITH
from .errors import UnauthorizedClient

TOKENS_PER_MINUTE = 60
LAST_TOKEN_PRECISION = 60  # last_token_at is written at most once a minute


def _access_token(client: dict[str, Any], credential: str, granted: str, now: int) -> str:
    import jwt  # PyJWT (and cryptography) on first use: off the API handler's cold start

    from . import signing_keys

    settings, keyset = get_settings(), signing_keys.current()
    claims = {"iss": settings.issuer, "sub": client["client_id"], "aud": settings.audience,
              "exp": now + settings.access_token_ttl, "iat": now, "jti": tokens.random_base62(22),
              "client_id": client["client_id"], "scope": granted, "sid": credential,
              "workspace_id": client["workspace_id"]}
    return jwt.encode(claims, keyset.private_key, algorithm=access_tokens.ALGORITHM,
                      headers={"typ": "at+jwt", "kid": keyset.kid})


def issue(client: dict[str, Any], form: params.Params) -> dict[str, Any]:
    """RFC 6749 §4.4.3: `{access_token, token_type, expires_in, scope}` for an authenticated client."""
    credential = client.get(AUTHENTICATED_WITH)
    if client["type"] != "confidential" or not credential:
        raise UnauthorizedClient("Only confidential clients may use client_credentials.")
    granted = scope.to_string(scope.parse(params.get(form, "scope"), client["scopes"], client["scopes"]))
    ratelimit.consume(f"client-token:{client['client_id']}", TOKENS_PER_MINUTE)
    now = clock.now()
    token = _access_token(client, str(credential), granted, now)
    if now - int(client.get("last_token_at") or 0) >= LAST_TOKEN_PRECISION:
        client_store.touch_token(client["client_id"], now)
    audit.record("oauth.client_token_issued", client["workspace_id"], actor=client["client_id"],
                 object_id=client["client_id"], client_id=client["client_id"], scope=granted)
    return {"access_token": token, "token_type": "Bearer", "expires_in": get_settings().access_token_ttl,
            "scope": granted}
