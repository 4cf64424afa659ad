"""Per-credential rate limits on `/v1`, and lockouts against guessing.

Rate limits use a fixed one-minute window keyed `RL#<credential>#<window>`:
one conditional UpdateItem per request, exact under concurrency (M requests
against limit L let exactly L through). A fixed window can admit up to 2L
across a window boundary; we accept that rather than pay a second read per
request for a sliding estimate (see docs/OPERATIONS.md, "How rate limiting works").
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from . import logs, tokens
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
    moment = time.time() if now is None else now
    start = int(moment) - int(moment) % WINDOW
    reset = start + WINDOW
    try:
        count = counters.take(f"RL#{subject}#{start}", limit, reset + WINDOW)
    except counters.LimitReached:
        quota = Quota(limit, 0, reset)
        raise RateLimited(reset - int(moment), headers=quota.headers()) from None
    except StoreUnavailable:
        logs.log("rate_limit_store_unavailable", logging.ERROR, subject=subject)
        raise
    return Quota(limit, max(0, limit - count), reset)


@dataclass(frozen=True)
class Lockout:
    """At most `limit` failures per `window` seconds for one subject of one kind."""

    kind: str
    limit: int
    window: int

    def _key(self, subject: str, now: int) -> tuple[str, int]:
        start = now - now % self.window
        # Subjects (emails, IPs) are hashed: the table holds no list of who tried.
        return f"LOCK#{self.kind}#{tokens.digest(subject.lower())}#{start}", start + self.window

    def check(self, subject: str) -> None:
        """Raise RateLimited while the subject is locked out (fails closed if the store is down)."""
        now = logs.now()
        key, end = self._key(subject, now)
        if counters.peek(key) >= self.limit:
            raise RateLimited(end - now, "Too many failed attempts. Try again later.")

    def fail(self, subject: str) -> bool:
        """Count a failure; True when this failure reached the limit (newly locked)."""
        now = logs.now()
        key, end = self._key(subject, now)
        return counters.add(key, end) == self.limit

    def clear(self, subject: str) -> None:
        key, _ = self._key(subject, logs.now())
        counters.clear(key)
