"""Throttles for actions that send email: at most `limit` per `window` seconds per subject.

One conditional UpdateItem per attempt (store/counters.take_throttled), exact under concurrency;
subjects (emails, IPs, user ids) are hashed into the key so the table holds no list of
who asked. A store failure fails closed (503), like every other limiter here.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import clock, tokens
from ..errors import RateLimited
from ..store import counters


@dataclass(frozen=True)
class Throttle:
    kind: str
    limit: int
    window: int

    def take(self, subject: str) -> None:
        """Count one attempt, or raise RateLimited (429 + Retry-After) when over the limit."""
        now = clock.now()
        start = now - now % self.window
        try:
            counters.take_throttled(self.kind, tokens.digest(subject.lower()), start, self.limit,
                                    start + self.window)
        except counters.LimitReached:
            raise RateLimited(start + self.window - now,
                              "Too many requests for this. Try again later.") from None
