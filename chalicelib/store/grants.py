"""Grants: one per authorization (an "OAuth session"), the record every token points at.

`GRANT#<grant_id>` / `GRANT`, listed per user through gsi1 (`USER#<user_id>` /
`GRANT#<created_at>#<grant_id>`). Access tokens carry the grant id as `sid`; the
authorizer's single read is this item (`revoked_at`, `revoked_jtis`).
"""

from __future__ import annotations

from typing import Any

from . import db, oauth_clients, refresh_tokens

SORT = "GRANT"


def _pk(grant_id: str) -> str:
    return f"GRANT#{grant_id}"


def get(grant_id: str) -> dict[str, Any] | None:
    """Consistent, so a revocation is seen by the very next request."""
    return db.record(db.get(_pk(grant_id), SORT, consistent=True))


def create(grant: dict[str, Any], refresh: dict[str, Any] | None, also: list[dict[str, Any]]) -> bool:
    """Store a grant whose code was just redeemed, with its client link, first refresh token
    and `also` (its audit event), in one transaction.

    False when a replay of the code got there first (`forestall`): the grant is revoked
    before it exists, and nothing is written.
    """
    item = {"pk": _pk(grant["id"]), "sk": SORT, "gsi1pk": f"USER#{grant['user_id']}",
            "gsi1sk": f"GRANT#{grant['created_at']:012d}#{grant['id']}", "ttl": grant["expires_at"],
            **grant}
    actions = [db.put_action(item, "attribute_not_exists(pk)"),
               db.put_action(oauth_clients.grant_link(grant["client_id"], grant["id"], grant["expires_at"])),
               *(db.put_action(extra, "attribute_not_exists(pk)") for extra in also)]
    if refresh is not None:
        actions.append(refresh_tokens.put_action(refresh))
    try:
        db.transact(actions)
    except db.TransactionCanceled:
        return False
    return True


def forestall(grant_id: str, now: int, reason: str, until: int) -> bool:
    """Revoke a grant that does not exist yet: its code was redeemed by a request still
    writing it. `create` then finds this item and fails. True when it was written (False:
    the grant appeared meanwhile, revoke it instead). Gone by TTL at `until`."""
    try:
        db.put({"pk": _pk(grant_id), "sk": SORT, "id": grant_id, "revoked_at": now, "revoked_reason": reason,
                "ttl": until}, "attribute_not_exists(pk)")
    except db.ConditionFailed:
        return False
    return True


def rotate(grant_id: str, old_digest: str, new: dict[str, Any], now: int) -> dict[str, Any] | None:
    """Make `new` the grant's refresh token in place of `old_digest`: None when done.

    One transaction: the successor's record and the grant's conditional update, the single
    point where of two racing rotations exactly one wins (a lost one writes neither). When
    it loses, the answer is the grant as it was (`{}` if absent), so the caller tells a
    reuse from a revocation without another read.
    """
    update = db.update_action(
        _pk(grant_id), SORT,
        "SET refresh_digest = :new, previous_digest = :old, rotated_at = :now, last_used_at = :now",
        vals={":new": new["digest"], ":old": old_digest, ":now": now},
        # `old` still its current token (so the grant exists), not revoked, not expired: a
        # revocation or another rotation that landed first makes this one lose, and the
        # grant's own expiry stays the authority.
        condition="refresh_digest = :old AND attribute_not_exists(revoked_at) AND expires_at > :now",
        return_old=True)
    try:
        db.transact([update, refresh_tokens.put_action(new)])
    except db.TransactionCanceled as lost:
        return db.record(lost.olds[0] or {})
    return None


def revoke(grant_id: str, now: int, reason: str) -> bool:
    """End the grant (all its tokens); False when it was absent or already revoked."""
    try:
        db.update(_pk(grant_id), SORT, "SET revoked_at = :now, revoked_reason = :why",
                  vals={":now": now, ":why": reason},
                  # Never create a stub item, and keep the first revocation's time and reason.
                  condition="attribute_exists(pk) AND attribute_not_exists(revoked_at)")
    except db.ConditionFailed:
        return False
    return True


def revoke_jti(grant_id: str, jti: str) -> None:
    """Refuse one access token from now on (RFC 7009 §2.1), leaving the grant's others alive."""
    try:
        db.update(_pk(grant_id), SORT, "ADD revoked_jtis :jti", vals={":jti": {jti}},
                  # Only an existing grant: never create a stub item.
                  condition="attribute_exists(pk)")
    except db.ConditionFailed:
        pass


def for_user(user_id: str) -> list[dict[str, Any]]:
    return db.records(db.query_all(f"USER#{user_id}", index=db.GSI1, sk_prefix="GRANT#"))
