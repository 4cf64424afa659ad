"""Refresh tokens, keyed by the SHA-256 digest of the token (see infra/TABLE.md).

A token is marked used (`used_at`, `replaced_by`) in the same transaction that
stores its successor and moves the grant's `refresh_digest` (store/grants.rotate).
"""

from __future__ import annotations

from typing import Any

from . import db

SORT = "REFRESH"


def _pk(digest: str) -> str:
    return f"REFRESH#{digest}"


def put_action(record: dict[str, Any]) -> dict[str, Any]:
    item = {"pk": _pk(record["digest"]), "sk": SORT,
            "gsi1pk": f"GRANT#{record['grant_id']}", "gsi1sk": f"REFRESH#{record['issued_at']:012d}",
            "ttl": record["expires_at"], **record}
    # A fresh 190-bit token never collides; the condition makes that an invariant.
    return db.put_action(item, "attribute_not_exists(pk)")


def get(digest: str) -> dict[str, Any] | None:
    return db.get(_pk(digest), SORT, consistent=True)


def get_many(digests: list[str]) -> dict[str, dict[str, Any]]:
    """Consistent reads of many tokens at once (secret scanning reports), by digest."""
    items = db.batch_get([(_pk(digest), SORT) for digest in digests], consistent=True)
    return {item["digest"]: item for item in items}


def use_action(digest: str, successor: str, now: int) -> dict[str, Any]:
    return db.update_action(_pk(digest), SORT, "SET used_at = :now, replaced_by = :next",
                            vals={":now": now, ":next": successor},
                            # A refresh token works once: of two racing rotations only the
                            # first finds used_at absent; the other's transaction is cancelled.
                            condition="attribute_exists(pk) AND attribute_not_exists(used_at)")
