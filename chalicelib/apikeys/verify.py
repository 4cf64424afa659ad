"""The authorizer's API-key check: one consistent GetItem, no other read.

RFC 6750 §3.1: a malformed, unknown, expired or revoked key is `invalid_token`
(401). The shape and checksum are checked first, so such keys never cost a read.
A store failure raises `StoreUnavailable`: the caller refuses (fails closed).
"""

from __future__ import annotations

import logging
from typing import Any

from .. import logs
from ..errors import StoreUnavailable, Unauthenticated
from ..principal import Principal
from ..store import apikeys as key_store
from . import keyformat, records

TOUCH_INTERVAL = 60


def verify(key: str, now: int | None = None) -> Principal:
    """The principal of a live API key, or `Unauthenticated`."""
    if not keyformat.well_formed(key):
        raise Unauthenticated()
    now = logs.now() if now is None else now
    record = key_store.get(keyformat.digest(key))
    if record is None or records.status(record, now) != records.ACTIVE:
        raise Unauthenticated()
    _note_use(record, now)
    return Principal(principal_type="api_key", workspace_id=record["workspace_id"],
                     scopes=tuple(record["scopes"]), credential_id=record["id"],
                     rate_limit_per_minute=record.get("rate_limit_per_minute"))


def _note_use(record: dict[str, Any], now: int) -> None:
    """last_used_at at minute granularity: no write at all when the stored one is recent."""
    last = record.get("last_used_at")
    if last is not None and now - last < TOUCH_INTERVAL:
        return
    try:
        key_store.touch(record["digest"], now, TOUCH_INTERVAL)
    except StoreUnavailable:
        # The key was verified by the read; a lost bookkeeping write must not refuse it.
        logs.log("api_key_touch_failed", logging.WARNING, credential_id=record["id"])
