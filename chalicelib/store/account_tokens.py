"""Link tokens emailed to a user (verify email, reset password, change email).

Item `LINK#<digest>` / `<purpose>`: user_id, email (the address it was sent to),
created_at, expires_at, and for email change the new address. The user item holds
the digest of the one live link per purpose (`link_<purpose>`): issuing a new link
replaces it, which voids every older one, and redemption requires it to match.
"""

from __future__ import annotations

from typing import Any

from . import db
from .users import user_key

PURPOSES = ("verify", "reset", "email")
CLEANUP_SECONDS = 86400


def _pk(digest: str) -> str:
    return f"LINK#{digest}"


def field(purpose: str) -> str:
    return f"link_{purpose}"


def issue(record: dict[str, Any]) -> bool:
    """Store a new link and make it the user's only live one for its purpose; False when the
    user is gone."""
    item = {"pk": _pk(record["digest"]), "sk": record["purpose"],
            "ttl": record["expires_at"] + CLEANUP_SECONDS, **record}
    try:
        db.transact([
            # A fresh 256-bit token never collides; the condition makes that an invariant.
            db.put_action(item, "attribute_not_exists(pk)"),
            # Replacing link_<purpose> voids older links; attribute_exists: no link for a deleted user.
            db.update_action(*user_key(record["user_id"]), "SET #f = :d",
                             names={"#f": field(record["purpose"])}, vals={":d": record["digest"]},
                             condition="attribute_exists(pk)"),
        ])
    except db.TransactionCanceled:
        return False
    return True


def get(digest: str, purpose: str) -> dict[str, Any] | None:
    return db.record(db.get(_pk(digest), purpose, consistent=True))


def redeem(record: dict[str, Any], now: int, user_update: str, names: dict[str, str],
           vals: dict[str, Any], condition: str = "",
           extra: list[dict[str, Any]] | None = None) -> list[str] | None:
    """Use the link once, changing the user in the same transaction.

    None on success; else the cancellation reasons (index 0: the link, 1: the user, then `extra`).
    """
    purpose, digest = record["purpose"], record["digest"]
    user_condition = "#link = :digest" + (f" AND {condition}" if condition else "")
    try:
        db.transact([
            # Single use and expiry: only the first redemption before expires_at finds the item.
            db.delete_action(_pk(digest), purpose, "attribute_exists(pk) AND expires_at > :now",
                             vals={":now": now}),
            # Only the newest link of this purpose works (older ones were voided by `issue`).
            db.update_action(*user_key(record["user_id"]), user_update + " REMOVE #link",
                             names={**names, "#link": field(purpose)}, vals={**vals, ":digest": digest},
                             condition=user_condition),
            *(extra or []),
        ])
    except db.TransactionCanceled as exc:
        return exc.reasons
    return None
