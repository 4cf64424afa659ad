"""The authorizer's API-key check: one consistent GetItem, no other read.

RFC 6750 §3.1: a malformed, unknown, expired or revoked key is `invalid_token`
(401). The shape and checksum are checked first, so such keys never cost a read.
A store failure raises `StoreUnavailable`: the caller refuses (fails closed).
"""

from __future__ import annotations

from .. import clock
from ..errors import Unauthenticated
from ..principal import Principal
from ..store import apikeys as key_store
from . import keyformat, records, usage


def verify(key: str, now: int | None = None, *, ip: str | None = None, user_agent: str | None = None,
           defer_touch: bool = False) -> Principal:
    """The principal of a live API key, or `Unauthenticated`.

    Its use is recorded here (`usage`), or, with `defer_touch`, left to whoever sees
    the caller's IP and user agent: the principal then says `touch_due`."""
    if not keyformat.well_formed(key):
        raise Unauthenticated()
    now = clock.now() if now is None else now
    record = key_store.get(keyformat.digest(key))
    if record is None or records.status(record, now) != records.ACTIVE:
        raise Unauthenticated()
    # At minute granularity: no write at all when the stored time is recent.
    due = usage.due(record.get("last_used_at"), now)
    if due and not defer_touch:
        usage.record(key, now, ip, user_agent)
    return Principal(principal_type="api_key", workspace_id=record["workspace_id"],
                     scopes=tuple(record["scopes"]), credential_id=record["id"],
                     rate_limit_per_minute=record.get("rate_limit_per_minute"),
                     touch_due=due and defer_touch)
