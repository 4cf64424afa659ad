"""The second-factor failure counter and lock, on the user item.

`mfa_failures` counts code attempts in the window that began at
`mfa_failed_since`; `mfa_locked_until` is set once the limit is reached.
"""

from __future__ import annotations

from . import db
from .users import user_key

# Each lost round means another request started or ended a window meanwhile: with n requests
# in flight that happens fewer than 2n times, so this bound is only ever reached under abuse.
ROUNDS = 12


def reserve_attempt(user_id: str, now: int, window: int, limit: int) -> int | None:
    """Count one attempt before checking it; its number, or None when none are left.

    Counting first means parallel guesses cannot exceed the limit between a
    check and its failure write. Correct codes racing each other clear the window
    while others count into it; a request then goes round again rather than being
    told "locked" for failures nobody made.
    """
    edge = now - window
    for _ in range(ROUNDS):
        try:
            # Inside the running window and under the limit: one more attempt.
            new = db.update(*user_key(user_id), "ADD mfa_failures :one",
                            vals={":one": 1, ":edge": edge, ":limit": limit},
                            condition="mfa_failed_since > :edge AND mfa_failures < :limit",
                            return_values="UPDATED_NEW")
            return int((new or {}).get("mfa_failures", limit))
        except db.ConditionFailed as exc:
            old = exc.old
        if (old is None or int(old.get("mfa_failed_since") or 0) > edge
                or int(old.get("mfa_locked_until") or 0) > now):
            return None  # the window is running and full, a lock was set meanwhile, or the user is gone
        try:
            # No window running: start one with this attempt. Of two racing starters one
            # wins; the loser goes round again and counts inside the winner's window. Never
            # while locked: a request that passed the lock check before a racing lock was
            # set must not open a fresh window under it.
            db.update(*user_key(user_id), "SET mfa_failures = :one, mfa_failed_since = :now",
                      vals={":one": 1, ":now": now, ":edge": edge},
                      condition="attribute_exists(pk) AND "
                                "(attribute_not_exists(mfa_failed_since) OR mfa_failed_since <= :edge) "
                                "AND (attribute_not_exists(mfa_locked_until) OR mfa_locked_until <= :now)")
            return 1
        except db.ConditionFailed:
            continue
    return None


def lock(user_id: str, until: int, limit: int) -> bool:
    """Lock the second factor; True for the one request that set the lock."""
    try:
        # Only while the counter is full: a success in between (which clears it) or a
        # racing lock (which also clears it) means there is nothing to lock here.
        db.update(*user_key(user_id),
                  "SET mfa_locked_until = :until REMOVE mfa_failures, mfa_failed_since",
                  vals={":until": until, ":limit": limit}, condition="mfa_failures >= :limit")
    except db.ConditionFailed:
        return False
    return True


def clear(user_id: str) -> None:
    """A correct code: forget the failures counted so far."""
    db.update(*user_key(user_id), "REMOVE mfa_failures, mfa_failed_since",
              condition="attribute_exists(pk)")
