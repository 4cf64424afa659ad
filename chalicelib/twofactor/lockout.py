"""Five wrong codes lock the account's second factor for 15 minutes (429 + Retry-After).

Every code check, at sign-in and in settings, goes through `attempt`. The
attempt is counted before the code is checked and the count is cleared by a
correct code, so parallel guesses cannot slip past the limit. NIST SP 800-63B
§5.2.2 asks for exactly this: limit consecutive failed attempts per account.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .. import audit, clock
from ..caller import Caller
from ..errors import InvalidCode, RateLimited
from ..store import mfa_lockout

LIMIT = 5
WINDOW_SECONDS = 15 * 60
LOCK_SECONDS = 15 * 60


def _locked(seconds: int) -> RateLimited:
    minutes = max(1, (seconds + 59) // 60)
    return RateLimited(seconds, "Too many wrong codes. Two-factor verification for this account is "
                                f"locked; try again in {minutes} minute{'s' if minutes != 1 else ''}.")


def check_not_locked(user: dict[str, Any], now: int) -> None:
    locked_until = int(user.get("mfa_locked_until") or 0)
    if locked_until > now:
        raise _locked(locked_until - now)


@contextmanager
def attempt(user: dict[str, Any], caller: Caller) -> Iterator[None]:
    """Run one code check: 429 while locked; an InvalidCode inside counts as a failure."""
    now, user_id = clock.now(), user["user_id"]
    check_not_locked(user, now)
    count = mfa_lockout.reserve_attempt(user_id, now, WINDOW_SECONDS, LIMIT)
    if count is None:
        raise _locked(LOCK_SECONDS)
    try:
        yield
    except InvalidCode:
        if count >= LIMIT and mfa_lockout.lock(user_id, now + LOCK_SECONDS, LIMIT):
            audit.record("twofactor.locked", user["workspace_id"], user_id=user_id,
                         object_id=user_id, ip=caller.ip, user_agent=caller.user_agent,
                         failures=str(count), locked_seconds=str(LOCK_SECONDS))
        raise
    mfa_lockout.clear(user_id)
