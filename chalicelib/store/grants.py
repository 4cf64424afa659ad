"""Grants: one per authorization (an "OAuth session"), the record every token points at.

`GRANT#<grant_id>` / `GRANT`, listed per user through gsi1 (`USER#<user_id>` /
`GRANT#<created_at>#<grant_id>`). Access tokens carry the grant id as `sid`; the
authorizer's single read is this item (`revoked_at`, `revoked_jtis`).
"""

from __future__ import annotations

from typing import Any

from . import codes, db, oauth_clients, refresh_tokens

SORT = "GRANT"


def _pk(grant_id: str) -> str:
    return f"GRANT#{grant_id}"


def get(grant_id: str) -> dict[str, Any] | None:
    """Consistent, so a revocation is seen by the very next request."""
    return db.get(_pk(grant_id), SORT, consistent=True)


def create(grant: dict[str, Any], code_digest: str, refresh: dict[str, Any] | None) -> bool:
    """Redeem the code and store the grant, its client link and first refresh token at once.

    False when the code was redeemed first by someone else (the transaction is cancelled whole).
    """
    item = {"pk": _pk(grant["id"]), "sk": SORT, "gsi1pk": f"USER#{grant['user_id']}",
            "gsi1sk": f"GRANT#{grant['created_at']:012d}#{grant['id']}", "ttl": grant["expires_at"],
            **grant}
    actions = [codes.redeem_action(code_digest, grant["id"], grant["created_at"]),
               # A fresh random grant id never collides; the condition makes that an invariant.
               db.put_action(item, "attribute_not_exists(pk)"),
               oauth_clients.link_grant_action(grant["client_id"], grant["id"], grant["expires_at"])]
    if refresh is not None:
        actions.append(refresh_tokens.put_action(refresh))
    try:
        db.transact(actions)
    except db.TransactionCanceled:
        return False
    return True


def rotate(grant_id: str, old_digest: str, new: dict[str, Any], now: int) -> bool:
    """Replace the grant's current refresh token with `new` in one transaction; False if it lost."""
    grant_update = db.update_action(
        _pk(grant_id), SORT, "SET refresh_digest = :new, last_used_at = :now",
        vals={":new": new["digest"], ":old": old_digest, ":now": now},
        # The grant must still be live and `old` still its current token: a revocation or
        # another rotation that landed after our read cancels this one.
        condition="attribute_exists(pk) AND attribute_not_exists(revoked_at) AND refresh_digest = :old")
    try:
        db.transact([refresh_tokens.use_action(old_digest, new["digest"], now),
                     refresh_tokens.put_action(new), grant_update])
    except db.TransactionCanceled:
        return False
    return True


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
    return db.query_all(f"USER#{user_id}", index=db.GSI1, sk_prefix="GRANT#")
