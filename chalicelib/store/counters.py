"""Counters: fixed-window rate limits, and lockouts anchored at failures (keys in infra/TABLE.md).

A rate-limit window's start is part of its key, so a counter never needs resetting and
correctness never depends on TTL deletion (DynamoDB deletes late, moto never). A lockout
is one item per subject whose window starts at its first failure (`since`); the failure
that reaches the limit sets `locked_until` to its own time plus the lock duration.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import db


class LimitReached(Exception):
    """The counter is already at its limit; nothing was counted."""

    def __init__(self, count: int):
        super().__init__(f"limit reached at {count}")
        self.count = count


def _rate_key(subject: str, start: int) -> str:
    return f"RL#{subject}#{start}"


def _lock_key(kind: str, subject_digest: str) -> str:
    return f"LOCK#{kind}#{subject_digest}"


def take_request(subject: str, start: int, limit: int, expires_at: int) -> int:
    """Count one request of `subject` in the window beginning at `start` (see `take`)."""
    return take(_rate_key(subject, start), limit, expires_at)


def take_throttled(kind: str, subject_digest: str, start: int, limit: int, expires_at: int) -> int:
    """Count one attempt of a throttled action in the window beginning at `start` (see `take`)."""
    return take(f"{_lock_key(kind, subject_digest)}#{start}", limit, expires_at)


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


@dataclass(frozen=True)
class LockState:
    count: int
    locked_until: int


def lock_state(kind: str, subject_digest: str, now: int, window: int) -> LockState:
    """Failures in the running window and the lock's end (0 when not locked)."""
    item = db.get(_lock_key(kind, subject_digest), "LOCK", consistent=True) or {}
    running = int(item.get("since") or 0) > now - window
    return LockState(int(item.get("count") or 0) if running else 0, int(item.get("locked_until") or 0))


def add_failure(kind: str, subject_digest: str, now: int, window: int, limit: int,
                lock_seconds: int) -> int:
    """Count one failure; returns its number in the window begun by the first failure.

    The failure numbered `limit` locks the subject until `now + lock_seconds`.
    """
    pk = _lock_key(kind, subject_digest)
    edge = now - window
    names = {"#c": "count", "#s": "since", "#t": "ttl"}
    count = 0
    for _ in range(3):
        try:
            # A window is running (its first failure is newer than the edge): one more.
            new = db.update(pk, "LOCK", "ADD #c :one", names={"#c": "count", "#s": "since"},
                            vals={":one": 1, ":edge": edge}, condition="#s > :edge",
                            return_values="UPDATED_NEW")
            count = int((new or {}).get("count", 1))
            break
        except db.ConditionFailed:
            pass
        try:
            # None running: this failure starts one. Of two racing starters one wins; the
            # loser goes round again and counts inside the winner's window.
            db.update(pk, "LOCK", "SET #c = :one, #s = :now, #t = :ttl",
                      names=names, vals={":one": 1, ":now": now, ":edge": edge,
                                         ":ttl": now + window + lock_seconds},
                      condition="attribute_not_exists(#s) OR #s <= :edge")
            count = 1
            break
        except db.ConditionFailed:
            continue
    if count == limit:
        # Exactly one failure gets this number: the lock runs from it.
        db.update(pk, "LOCK", "SET #u = :until, #t = :ttl", names={"#u": "locked_until", "#t": "ttl"},
                  vals={":until": now + lock_seconds, ":ttl": now + window + lock_seconds})
    return count


def clear_lock(kind: str, subject_digest: str) -> None:
    db.delete(_lock_key(kind, subject_digest), "LOCK")
