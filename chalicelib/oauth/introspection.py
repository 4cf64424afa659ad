"""Token introspection (RFC 7662) for access tokens, refresh tokens and API keys.

Only confidential clients may ask (§2.1: the endpoint requires authorization;
§4: public clients could otherwise scan). A token is reported active only when
it is valid and belongs to the caller: issued to the calling client, or in the
calling client's workspace. Anything else is exactly `{"active": false}` (§2.2).
"""

from __future__ import annotations

from typing import Any

from .. import clock, credentials
from ..apikeys import keyformat, records
from ..errors import Unauthenticated
from ..settings import get_settings
from ..store import apikeys as key_store
from . import access_tokens, client_auth, clients, params, refresh_tokens
from .errors import InvalidClient

INACTIVE: dict[str, Any] = {"active": False}


def introspect(form: params.Params, authorization: str | None) -> dict[str, Any]:
    params.refuse_repeats(form)
    client = client_auth.authenticate(form, authorization)
    if client["type"] == clients.PUBLIC:
        raise InvalidClient("Only confidential clients may introspect tokens.")
    token = params.require(form, "token", access_tokens.MAX_TOKEN_CHARS)
    # token_type_hint is optional (§2.1); the token's own shape says what it is.
    info = _describe(token, clock.now())
    if info is None or not (info["workspace_id"] == client["workspace_id"]
                            or info.get("client_id") == client["client_id"]):
        return dict(INACTIVE)
    return {"active": True, **info, "iss": get_settings().issuer}


def _describe(token: str, now: int) -> dict[str, Any] | None:
    shape = credentials.kind(token)
    if shape == credentials.API_KEY:
        return _api_key(token, now)
    if shape == credentials.REFRESH_TOKEN:
        return _refresh_token(token, now)
    if shape == credentials.ACCESS_TOKEN:
        return _access_token(token)
    return None


def _access_token(token: str) -> dict[str, Any] | None:
    try:
        claims = access_tokens.decode(token)
        access_tokens.check(claims)
    except Unauthenticated:
        return None
    fields = ("scope", "client_id", "exp", "iat", "nbf", "sub", "aud", "jti", "sid", "workspace_id")
    return {"token_type": "Bearer", **{k: claims[k] for k in fields if k in claims}}


def _refresh_token(token: str, now: int) -> dict[str, Any] | None:
    found = refresh_tokens.lookup(token)
    if found is None or not refresh_tokens.current(*found, now):
        return None
    grant = found[1]
    # The current token was issued by the last rotation (which set previous_digest), else at redemption.
    rotated = grant.get("previous_digest") is not None
    issued_at = grant["last_used_at"] if rotated else grant.get("redeemed_at", grant["created_at"])
    return {"token_type": "refresh_token", "scope": " ".join(grant["scopes"]),
            "client_id": grant["client_id"], "exp": grant["expires_at"], "iat": issued_at,
            "sub": grant["user_id"], "sid": grant["id"], "workspace_id": grant["workspace_id"]}


def _api_key(token: str, now: int) -> dict[str, Any] | None:
    record = key_store.get(keyformat.digest(token)) if keyformat.well_formed(token) else None
    if record is None or records.status(record, now) != records.ACTIVE:
        return None
    expires_at = record.get("expires_at")
    info = {"token_type": "api_key", "scope": " ".join(record.get("scopes") or []),
            "key_id": record["id"], "iat": record.get("created_at"), "workspace_id": record["workspace_id"]}
    if expires_at is not None:
        info["exp"] = expires_at
    return info
