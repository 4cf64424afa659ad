"""Authorization codes, keyed by the SHA-256 digest of the code (see infra/TABLE.md).

A code is redeemed by setting `used_at` under `attribute_not_exists(used_at)`
inside the transaction that creates its grant (store/grants.create): that
condition is what makes a code single-use (RFC 6749 §4.1.2).
"""

from __future__ import annotations

from typing import Any

from . import db

SORT = "CODE"
CLEANUP_SECONDS = 3600


def _pk(digest: str) -> str:
    return f"CODE#{digest}"


def put(record: dict[str, Any]) -> None:
    # The record outlives its 60 s validity (TTL is cleanup only): a replay after
    # expiry must still find `grant_id` to revoke what the code issued.
    item = {"pk": _pk(record["digest"]), "sk": SORT,
            "ttl": record["expires_at"] + CLEANUP_SECONDS, **record}
    # A fresh 256-bit code never collides; the condition makes that an invariant.
    db.put(item, "attribute_not_exists(pk)")


def get(digest: str) -> dict[str, Any] | None:
    return db.record(db.get(_pk(digest), SORT, consistent=True))


def redeem_action(digest: str, grant_id: str, now: int) -> dict[str, Any]:
    return db.update_action(_pk(digest), SORT, "SET used_at = :now, grant_id = :grant",
                            vals={":now": now, ":grant": grant_id},
                            # Single use: only the first redemption finds used_at absent.
                            condition="attribute_exists(pk) AND attribute_not_exists(used_at)")
