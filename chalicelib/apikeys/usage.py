"""When and from where an API key was last used: at most one write a minute per key.

The write is `store.apikeys.touch`, conditional on the stored time being a minute
old, and is attempted only when the authorizer's read showed it due. Who makes it
depends on who knows the caller:
- the standalone gateway authorizer, right after its read: REQUEST and HTTP API
  events carry the source IP and user agent (TOKEN events carry neither);
- for `/v1`, the HTTP middleware: the Chalice authorizer is TOKEN type and sees only
  the header, so it defers the touch (`touch_due` in its context) to the middleware,
  which sees the source IP and user agent of the same request.
With an authorizer cache TTL above 0 (`AUTHORIZER_CACHE_TTL`), API Gateway replays a cached
`touch_due` for up to the TTL; the write's condition keeps it to one stored update a minute,
but each replayed attempt still costs a (failed) conditional write until the cache expires.
"""

from __future__ import annotations

import logging

from .. import logs
from ..errors import StoreUnavailable
from ..store import apikeys as key_store
from . import keyformat

INTERVAL = 60
MAX_USER_AGENT = 256


def due(last_used_at: int | None, now: int) -> bool:
    return last_used_at is None or now - last_used_at >= INTERVAL


def record(key: str, now: int, ip: str | None = None, user_agent: str | None = None) -> None:
    """Store the use; a lost bookkeeping write never refuses a verified key."""
    try:
        key_store.touch(keyformat.digest(key), now, INTERVAL, ip=(ip or None) and ip[:64],
                        user_agent=(user_agent or None) and user_agent[:MAX_USER_AGENT])
    except StoreUnavailable:
        logs.log("api_key_touch_failed", logging.WARNING)
