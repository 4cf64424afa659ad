"""Pending sign-ins (password right, second factor still to come): `PENDING#<digest>`."""

from __future__ import annotations

from typing import Any

from . import db


def put(record: dict[str, Any]) -> None:
    item = {"pk": f"PENDING#{record['digest']}", "sk": "PENDING", "ttl": record["expires_at"],
            **record}
    # A fresh 256-bit token never collides; the condition makes that an invariant.
    db.put(item, "attribute_not_exists(pk)")


def get(digest: str) -> dict[str, Any] | None:
    return db.record(db.get(f"PENDING#{digest}", "PENDING", consistent=True))


def consume(digest: str, now: int) -> bool:
    """Delete the pending sign-in; True for the one request that did, while it was live."""
    try:
        # Single use: of two requests finishing the same sign-in, one deletes it and the
        # other finds it gone. `expires_at > :now` refuses an expired one TTL has not removed.
        db.delete(f"PENDING#{digest}", "PENDING", condition="attribute_exists(pk) AND expires_at > :now",
                  vals={":now": now})
    except db.ConditionFailed:
        return False
    return True
