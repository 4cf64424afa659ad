"""Per-credential rate limits on `/v1`, and lockouts against guessing.

Rate limits use a fixed one-minute window keyed `RL#<credential>#<window>`:
one conditional UpdateItem per request, exact under concurrency (M requests
against limit L let exactly L through). A fixed window can admit up to 2L
across a window boundary; we accept that rather than pay a second read per
request for a sliding estimate (see docs/OPERATIONS.md, "How rate limiting works").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from . import clock, logs, tokens
from .errors import RateLimited, StoreUnavailable
from .store import counters

WINDOW = 60


@dataclass(frozen=True)
class Quota:
    limit: int
    remaining: int
    reset: int

    def headers(self) -> dict[str, str]:
        return {"X-RateLimit-Limit": str(self.limit), "X-RateLimit-Remaining": str(self.remaining),
                "X-RateLimit-Reset": str(self.reset)}


def consume(subject: str, limit: int, now: float | None = None) -> Quota:
    """Count one request for `subject`; raises RateLimited (with headers) when over.

    A store failure fails closed (StoreUnavailable: 503 with Retry-After), like
    every other store failure: a throttled counter is a hot key, and that is
    exactly when letting requests through uncounted would do harm. It is
    logged as an error so an outage of the limiter alone stands out.
    """
    moment = clock.now() if now is None else now
    start = int(moment) - int(moment) % WINDOW
    reset = start + WINDOW
    try:
        count = counters.take_request(subject, start, limit, reset + WINDOW)
    except counters.LimitReached:
        quota, wait = Quota(limit, 0, reset), max(1, reset - int(moment))
        whose = "this key" if subject.startswith("api_key:") else "this access token"
        raise RateLimited(wait, f"Rate limit reached: {limit} requests per minute for {whose}; "
                                f"try again in {wait} second{'s' if wait != 1 else ''}.",
                          headers=quota.headers()) from None
    except StoreUnavailable:
        logs.log("rate_limit_store_unavailable", logging.ERROR, subject=subject)
        raise
    return Quota(limit, max(0, limit - count), reset)


@dataclass(frozen=True)
class Lockout:
    """`limit` failures within `window` seconds of the first lock the subject for `window`
    seconds from the failure that reached the limit (not until a clock-aligned boundary:
    such windows let 2 x limit guesses through in seconds and locked for as little as 1 s)."""

    kind: str
    limit: int
    window: int

    def _digest(self, subject: str) -> str:
        # Subjects (emails, IPs) are hashed: the table holds no list of who tried.
        return tokens.digest(subject.lower())

    def check(self, subject: str) -> None:
        """Raise RateLimited while the subject is locked out (fails closed if the store is down)."""
        now = clock.now()
        state = counters.lock_state(self.kind, self._digest(subject), now, self.window)
        if state.locked_until > now:
            raise locked(state.locked_until - now)
        if state.count >= self.limit:  # reached a moment ago, lock being written
            raise locked(self.window)

    def fail(self, subject: str) -> bool:
        """Count a failure; True when this failure reached the limit (newly locked)."""
        return counters.add_failure(self.kind, self._digest(subject), clock.now(), self.window, self.limit,
                                    self.window) == self.limit

    def clear(self, subject: str) -> None:
        counters.clear_lock(self.kind, self._digest(subject))


def locked(seconds: int) -> RateLimited:
    minutes = max(1, (seconds + 59) // 60)
    return RateLimited(seconds, "Too many failed attempts. Try again in "
                                f"{minutes} minute{'s' if minutes != 1 else ''}.")
