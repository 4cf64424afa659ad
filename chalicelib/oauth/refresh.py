"""The refresh_token grant (RFC 6749 §6) with rotation and reuse detection (RFC 9700 §4.14.2).

Every use replaces the token: the grant's `refresh_digest` moves from the presented
token to its successor in one conditional write (store/grants.rotate). A happy refresh
costs one read (the token's record, which carries the grant's fixed fields) and two
writes (the successor, the grant), besides the client's authentication.

Presenting a token that was already replaced (a reuse) revokes the whole grant and
writes an audit event: one of the two holders is not the client. Of two truly
concurrent refreshes exactly one wins the conditional write; the loser is a reuse
too, so with the default grace period of 0 the grant ends, which RFC 9700 prefers to
guessing.

`TASKFORGE_REFRESH_GRACE_SECONDS` (default 0) lets a client that lost the
response retry with the old token for that many seconds: it gets fresh tokens
rotated from the successor (which we cannot resend, having stored only its
digest), and the unreceived successor stops working.
"""

from __future__ import annotations

from typing import Any, NoReturn

from .. import audit, clock
from ..credentials import REFRESH_TOKENS
from ..errors import StoreUnavailable
from ..settings import get_settings
from ..store import grants as grant_store
from ..store import refresh_tokens as refresh_store
from . import grants, params, scope
from .errors import InvalidGrant

ATTEMPTS = 2


def _record(client: dict[str, Any], raw: str) -> dict[str, Any]:
    # The checksum refuses mistyped or forged tokens without a store read.
    record = refresh_store.get(REFRESH_TOKENS.digest(raw)) if REFRESH_TOKENS.well_formed(raw) else None
    # RFC 6749 §6: the token must have been issued to the authenticated client.
    if record is None or record["client_id"] != client["client_id"]:
        raise InvalidGrant("Unknown refresh token, or it was issued to another client.")
    return record


def _successor(record: dict[str, Any], grant: dict[str, Any], now: int) -> str:
    """After a lost rotation: the digest to retry from (grace period), or the grant ends."""
    if not grants.live(grant or None, now):
        raise InvalidGrant("The refresh token has expired or was revoked.")
    grace = get_settings().refresh_grace_seconds
    if (grace and grant.get("previous_digest") == record["digest"]
            and now - grant.get("rotated_at", 0) <= grace):
        return str(grant["refresh_digest"])
    _reuse_detected(grant)


def _reuse_detected(grant: dict[str, Any]) -> NoReturn:
    """RFC 9700 §4.14.2: an invalidated refresh token came back: end the grant."""
    audit.record("oauth.refresh_reuse_detected", grant["workspace_id"], actor=grant["client_id"],
                 user_id=grant["user_id"], object_id=grant["id"], client_id=grant["client_id"])
    grants.revoke(grant["id"], "refresh_reuse")
    raise InvalidGrant("This refresh token was already used; the grant is now revoked. Sign in again.")


def _rotate(grant_id: str, current: str, new: dict[str, Any], now: int) -> dict[str, Any] | None:
    """`grant_store.rotate`, where a write that landed though its answer was lost counts as
    done: only this request knows the new digest, so a grant naming it was rotated by us."""
    try:
        found = grant_store.rotate(grant_id, current, new, now)
    except StoreUnavailable:
        found = grant_store.get(grant_id) or {}
        if found.get("refresh_digest") != new["digest"]:
            raise
    return None if found is None or found.get("refresh_digest") == new["digest"] else found


def refresh(client: dict[str, Any], form: params.Params) -> dict[str, Any]:
    """New access and refresh tokens for a current refresh token (RFC 6749 §6)."""
    raw = params.require(form, "refresh_token", 200)
    requested = params.get(form, "scope")
    record = _record(client, raw)
    now = clock.now()
    # Records written before they carried the grant's fields: read the grant once.
    grant = grants.of_refresh_token(record) or grant_store.get(record["grant_id"])
    if grant is None or not grants.live(grant, now):
        raise InvalidGrant("The refresh token has expired or was revoked.")
    # RFC 6749 §6: the same scope or a narrower one, never wider; the grant keeps its own.
    narrowed = scope.to_string(scope.parse(requested, grant["scopes"], grant["scopes"]))
    current = str(record["digest"])
    for _ in range(ATTEMPTS):
        new_token, new_record = grants.new_refresh_token(grant, now)
        found = _rotate(grant["id"], current, new_record, now)
        if found is None:
            return grants.token_response(grant, narrowed, new_token, now)
        # Lost: revoked, expired, reused, or (within the grace period) retry from the successor.
        current = _successor(record, found, now)
    raise InvalidGrant("The refresh token could not be rotated; try again.")
