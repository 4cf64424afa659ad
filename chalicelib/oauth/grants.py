"""Grants: what a user's consent created, and what every token of it points at.

Revoking a grant ends all its tokens at once: refresh tokens fail at the token
endpoint, access tokens at the authorizer (which reads this one item).
"""

from __future__ import annotations

from typing import Any

from .. import audit, clock, tokens
from ..credentials import REFRESH_TOKENS
from ..errors import StoreUnavailable
from ..settings import get_settings
from ..store import grants as grant_store
from ..store import oauth_clients as client_store
from . import access_tokens

# What a grant never changes after creation: copied onto each of its refresh tokens.
IMMUTABLE = ("user_id", "workspace_id", "client_id", "scopes", "expires_at")
# How long a grant revoked before it existed is remembered: far past any exchange still writing.
FORESTALL_SECONDS = 86400


def new_id() -> str:
    return tokens.new_id("grt_")


def new(grant_id: str, client: dict[str, Any], code: dict[str, Any], now: int, ip: str,
        user_agent: str) -> dict[str, Any]:
    """The grant record an authorization code turns into (not yet stored)."""
    return {"id": grant_id, "user_id": code["user_id"], "workspace_id": code["workspace_id"],
            "client_id": client["client_id"], "client_name": client["name"], "scopes": code["scopes"],
            "created_at": now, "last_used_at": now, "expires_at": now + get_settings().refresh_token_ttl,
            "ip": ip, "user_agent": user_agent}


def new_refresh_token(grant: dict[str, Any], now: int) -> tuple[str, dict[str, Any]]:
    """A refresh token (returned once) and its record; it never outlives the grant."""
    token = REFRESH_TOKENS.new()
    # The grant's immutable fields ride along, so a refresh answers without reading the grant.
    return token, {"digest": REFRESH_TOKENS.digest(token), "grant_id": grant["id"],
                   "client_id": grant["client_id"], "user_id": grant["user_id"],
                   "workspace_id": grant["workspace_id"], "scopes": grant["scopes"],
                   "issued_at": now, "expires_at": grant["expires_at"]}


def of_refresh_token(record: dict[str, Any]) -> dict[str, Any] | None:
    """The grant fields a refresh token's record carries (None for records older than that)."""
    if "scopes" not in record:
        return None
    return {"id": record["grant_id"], **{name: record[name] for name in IMMUTABLE}}


def store(grant: dict[str, Any], refresh: dict[str, Any] | None) -> bool:
    """Store a new grant, its first refresh token and its audit event, all or none; False
    when a replay of its code revoked it first (`revoke_issued`)."""
    event = audit.pending("oauth.grant_created", grant["workspace_id"], user_id=grant["user_id"],
                          object_id=grant["id"], client_id=grant["client_id"],
                          scope=" ".join(grant["scopes"]))
    try:
        if not grant_store.create(grant, refresh, [event]):
            return False
    except StoreUnavailable:
        # The transaction may have landed after the client gave up: the fresh grant id is ours.
        if (grant_store.get(grant["id"]) or {}).get("user_id") != grant["user_id"]:
            raise
    audit.written(event)
    return True


def revoke(grant_id: str, reason: str, actor: str | None = None) -> bool:
    """End the grant and record why; False when it was unknown or already revoked."""
    grant = grant_store.get(grant_id)
    if grant is None or not grant_store.revoke(grant_id, clock.now(), reason):
        return False
    audit.record("oauth.grant_revoked", grant["workspace_id"], actor=actor or grant["client_id"],
                 user_id=grant["user_id"], object_id=grant_id, client_id=grant["client_id"], reason=reason)
    return True


def revoke_issued(grant_id: str, reason: str) -> None:
    """Revoke what a replayed code issued (RFC 6749 §4.1.2), even while the exchange that
    redeemed it is still writing the grant: then the grant is revoked before it exists."""
    for _ in range(2):
        if revoke(grant_id, reason) or grant_store.get(grant_id) is not None:
            return  # revoked now, or before
        now = clock.now()
        if grant_store.forestall(grant_id, now, reason, until=now + FORESTALL_SECONDS):
            return
        # The grant appeared between the read and the write: revoke it as it is.


def revoke_all_of_client(client_id: str) -> int:
    """Revoke every grant issued to a deleted client; the number revoked."""
    return sum(revoke(grant_id, "client_deleted") for grant_id in client_store.grant_ids(client_id))


def token_response(grant: dict[str, Any], scope: str, refresh_token: str | None, now: int) -> dict[str, Any]:
    """RFC 6749 §5.1 (the route adds Cache-Control: no-store)."""
    body: dict[str, Any] = {"access_token": access_tokens.issue(grant, scope, now), "token_type": "Bearer",
                            "expires_in": get_settings().access_token_ttl, "scope": scope}
    if refresh_token is not None:
        body["refresh_token"] = refresh_token
    return body


def live(grant: dict[str, Any] | None, now: int) -> bool:
    return grant is not None and grant.get("revoked_at") is None and grant["expires_at"] > now
