"""Fixed-window counters: rate limits and lockouts (keys in infra/TABLE.md).

The window start is part of the key, so a counter never needs resetting and
correctness never depends on TTL deletion (DynamoDB deletes late, moto never).
"""

from __future__ import annotations

from . import db


class LimitReached(Exception):
    """The counter is already at its limit; nothing was counted."""

    def __init__(self, count: int):
        super().__init__(f"limit reached at {count}")
        self.count = count


def take(pk: str, limit: int, expires_at: int) -> int:
    """Count one unit if fewer than `limit` were counted; returns the new count.

    One UpdateItem: ADD under a condition, so M concurrent callers against
    limit L get exactly L successes (the condition is checked atomically).
    """
    try:
        new = db.update(pk, "COUNT", "ADD #c :one SET #t = if_not_exists(#t, :ttl)",
                        names={"#c": "count", "#t": "ttl"},
                        vals={":one": 1, ":limit": limit, ":ttl": expires_at},
                        # Counts only while under the limit: the limit is exact under concurrency.
                        condition="attribute_not_exists(#c) OR #c < :limit",
                        return_values="UPDATED_NEW")
    except db.ConditionFailed as exc:
        raise LimitReached(int((exc.old or {}).get("count", limit))) from None
    return int((new or {}).get("count", 1))


def add(pk: str, expires_at: int) -> int:
    """Count one failure unconditionally; returns the new count."""
    new = db.update(pk, "COUNT", "ADD #c :one SET #t = if_not_exists(#t, :ttl)",
                    names={"#c": "count", "#t": "ttl"}, vals={":one": 1, ":ttl": expires_at},
                    return_values="UPDATED_NEW")
    return int((new or {}).get("count", 1))


def peek(pk: str) -> int:
    item = db.get(pk, "COUNT", consistent=True)
    return int(item["count"]) if item else 0


def clear(pk: str) -> None:
    db.delete(pk, "COUNT")
