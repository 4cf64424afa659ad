"""The refresh_token grant (RFC 6749 §6) with rotation and reuse detection (RFC 9700 §4.14.2).

Every use replaces the token: the grant's `refresh_digest` moves from the presented
token to its successor in one conditional write (store/grants.rotate), which also
returns the grant. The token names its grant (`refresh_tokens`), so a happy refresh is
that one write, besides the client's authentication.

Presenting a genuine token that was already replaced (a reuse) revokes the whole grant
and writes an audit event: one of the two holders is not the client. Of two truly
concurrent refreshes exactly one wins the conditional write; the loser is a reuse
too, so with the default grace period of 0 the grant ends, which RFC 9700 prefers to
guessing. A token forged around a known grant id is refused and revokes nothing.

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
from . import grants, params, refresh_tokens, scope
from .errors import InvalidGrant
from .refresh_tokens import Presented

# The token's own grant; the grant its record names, for a token of the older format; the
# successor, within the grace period.
ATTEMPTS = 3
UNKNOWN = "Unknown refresh token, or it was issued to another client."


def _successor(presented: Presented, grant: dict[str, Any], client: dict[str, Any], now: int) -> str:
    """After a lost rotation (`grant` as it was, the token's own): the digest to retry from
    (grace period), or why not."""
    # RFC 6749 §6: the token must have been issued to the authenticated client.
    if grant["client_id"] != client["client_id"]:
        raise InvalidGrant(UNKNOWN)
    if not grants.active(grant, now):
        raise InvalidGrant("The refresh token has expired or was revoked.")
    grace = get_settings().refresh_grace_seconds
    if (grace and grant.get("previous_digest") == presented.digest
            and now - grant["last_used_at"] <= grace):
        return str(grant["refresh_digest"])
    _reuse_detected(grant)


def _reuse_detected(grant: dict[str, Any]) -> NoReturn:
    """RFC 9700 §4.14.2: an invalidated refresh token came back: end the grant."""
    audit.record("oauth.refresh_reuse_detected", grant["workspace_id"], actor=grant["client_id"],
                 user_id=grant["user_id"], object_id=grant["id"], client_id=grant["client_id"])
    grants.revoke(grant["id"], "refresh_reuse")
    raise InvalidGrant("This refresh token was already used; the grant is now revoked. Sign in again.")


def _legacy_grant(presented: Presented) -> dict[str, Any]:
    """The grant of a token of the older format (its record names it), or UNKNOWN."""
    grant = refresh_tokens.legacy_grant(presented)
    if grant is None:
        raise InvalidGrant(UNKNOWN)
    return grant


def _legacy_record(grant: dict[str, Any], digest: str, now: int) -> dict[str, Any]:
    """The record of an older-format grant's next token (its tokens stay of that format)."""
    return {"digest": digest, "grant_id": grant["id"], "client_id": grant["client_id"],
            "user_id": grant["user_id"], "workspace_id": grant["workspace_id"], "scopes": grant["scopes"],
            "issued_at": now, "expires_at": grant["expires_at"]}


def _rotate(presented: Presented, legacy: dict[str, Any] | None, client: dict[str, Any], current: str,
            now: int) -> tuple[bool, dict[str, Any], str]:
    """`grant_store.rotate` to a new token: (rotated, the grant, the new token). A write that
    landed though its answer was lost counts as done: only this request knows the new digest,
    so a grant naming it was rotated by us."""
    grant_id = presented.grant_id if legacy is None else legacy["id"]
    if legacy is None:
        token, digest = refresh_tokens.issue(presented.family)
        record = None
    else:
        token = REFRESH_TOKENS.new()
        digest = REFRESH_TOKENS.digest(token)
        record = _legacy_record(legacy, digest, now)
    try:
        rotated, grant = grant_store.rotate(grant_id, client["client_id"], current, digest, now, record)
    except StoreUnavailable:
        grant = grant_store.get(grant_id) or {}
        if grant.get("refresh_digest") != digest:
            raise
        rotated = True
    return rotated, grant, token


def _narrowed(presented: Presented, requested: str | None, client: dict[str, Any]) -> str | None:
    """RFC 6749 §6: the same scope or a narrower one, never wider; the grant keeps its own.
    Checked against the grant before rotating, so a refused scope spends no token."""
    if requested is None:
        return None
    grant = refresh_tokens.grant_of(presented)
    if grant is None or grant["client_id"] != client["client_id"]:
        raise InvalidGrant(UNKNOWN)
    return scope.to_string(scope.parse(requested, grant["scopes"], grant["scopes"]))


def refresh(client: dict[str, Any], form: params.Params) -> dict[str, Any]:
    """New access and refresh tokens for a current refresh token (RFC 6749 §6)."""
    raw = params.require(form, "refresh_token", 200)
    presented = refresh_tokens.present(raw)
    if presented is None:
        raise InvalidGrant(UNKNOWN)
    now = clock.now()
    narrowed = _narrowed(presented, params.get(form, "scope"), client)
    legacy: dict[str, Any] | None = None
    current = presented.digest
    for _ in range(ATTEMPTS):
        rotated, grant, token = _rotate(presented, legacy, client, current, now)
        if rotated:
            return grants.token_response(grant, narrowed or " ".join(grant["scopes"]), token, now)
        if not grant:
            # No grant of this family: a token of the older format, or none of ours. A token
            # made up around a known grant id ends here too (its family leads nowhere).
            if legacy is not None:
                raise InvalidGrant(UNKNOWN)
            legacy = _legacy_grant(presented)
            continue
        # Lost: revoked, expired, reused, or (within the grace period) retry from the successor.
        current = _successor(presented, grant, client, now)
    raise InvalidGrant("The refresh token could not be rotated; try again.")
