"""Refresh tokens, keyed by the SHA-256 digest of the token (see infra/TABLE.md).

A record is written once and never updated: it carries the grant's immutable fields
(user, workspace, client, scopes, expiry), so a refresh needs no read of the grant.
Whether a token is still current is the grant's `refresh_digest` alone; rotation
moves it with one conditional write (store/grants.rotate). Records written before
this design may carry `used_at` / `replaced_by`, which nothing reads any more.
"""

from __future__ import annotations

from typing import Any

from . import db

SORT = "REFRESH"


def _pk(digest: str) -> str:
    return f"REFRESH#{digest}"


def _item(record: dict[str, Any]) -> dict[str, Any]:
    # No gsi1 keys: nothing lists a grant's tokens, and an index entry would cost a second
    # write unit on every rotation.
    return {"pk": _pk(record["digest"]), "sk": SORT, "ttl": record["expires_at"], **record}


def put_action(record: dict[str, Any]) -> dict[str, Any]:
    # A fresh 190-bit token never collides; the condition makes that an invariant.
    return db.put_action(_item(record), "attribute_not_exists(pk)")


def get(digest: str) -> dict[str, Any] | None:
    return db.record(db.get(_pk(digest), SORT, consistent=True))


def get_many(digests: list[str]) -> dict[str, dict[str, Any]]:
    """Consistent reads of many tokens at once (secret scanning reports), by digest."""
    items = db.batch_get([(_pk(digest), SORT) for digest in digests], consistent=True)
    return {item["digest"]: db.record(item) for item in items}

