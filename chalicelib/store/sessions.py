"""Browser sessions, keyed by the SHA-256 digest of the cookie token."""

from __future__ import annotations

from typing import Any

from . import db


def put(session: dict[str, Any]) -> None:
    item = {"pk": f"SESSION#{session['digest']}", "sk": "SESSION",
            "gsi1pk": f"USER#{session['user_id']}",
            "gsi1sk": f"SESSION#{session['created_at']:012d}#{session['id']}",
            "ttl": session["expires_at"], **session}
    # A fresh 256-bit token never collides; the condition makes that an invariant.
    db.put(item, "attribute_not_exists(pk)")


def get(digest: str) -> dict[str, Any] | None:
    return db.record(db.get(f"SESSION#{digest}", "SESSION", consistent=True))


def touch(digest: str, now: int, min_interval: int = 60) -> None:
    """Record use at most once a minute: the condition skips writes within the interval."""
    try:
        db.update(f"SESSION#{digest}", "SESSION", "SET last_used_at = :now",
                  vals={":now": now, ":edge": now - min_interval},
                  condition="attribute_exists(pk) AND last_used_at < :edge")
    except db.ConditionFailed:
        pass


def set_email(digest: str, email: str) -> None:
    """The address the dashboard header shows, after an email change."""
    try:
        db.update(f"SESSION#{digest}", "SESSION", "SET email = :e", vals={":e": email},
                  condition="attribute_exists(pk)")  # never recreate a session revoked meanwhile
    except db.ConditionFailed:
        pass


def delete(digest: str) -> None:
    db.delete(f"SESSION#{digest}", "SESSION")


def for_user(user_id: str) -> list[dict[str, Any]]:
    return db.records(db.query_all(f"USER#{user_id}", index=db.GSI1, sk_prefix="SESSION#"))
