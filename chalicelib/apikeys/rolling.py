"""Rolling a key (Stripe's pattern): a new key with the same label, scopes and
limit, shown once; the old key keeps working until a chosen expiry, then is refused.

The new key and the old key's new expiry are written in one transaction, so a
failure never leaves a new key without the old one scheduled, or the reverse.
"""

from __future__ import annotations

from typing import Any

from .. import clock, tokens
from ..errors import InvalidRequest, NotFound
from ..store import apikeys as key_store
from . import bounds, keyformat, records
from .manage import KEY_ID, RETENTION_SECONDS, Caller, audit_event

OLD_KEY_EXPIRY = {"now": 0, "1h": 3600, "24h": 86400, "7d": 7 * 86400}


def parse_expiry(body: dict[str, Any]) -> int:
    choice = body.get("expires_in", "24h")
    if not isinstance(choice, str) or choice not in OLD_KEY_EXPIRY:
        raise InvalidRequest("'expires_in' must be one of: now, 1h, 24h, 7d.")
    return OLD_KEY_EXPIRY[choice]


def roll(caller: Caller, key_id: str, old_key_lifetime: int) -> dict[str, Any]:
    """A new key replacing `key_id`; the old one expires `old_key_lifetime` seconds from now."""
    old = key_store.find(caller.workspace_id, key_id) if KEY_ID.match(key_id) else None
    now = clock.now()
    if old is None or records.status(old, now) != records.ACTIVE or old.get("rolled_to"):
        raise NotFound("No active API key with this id in your workspace.")
    bounds.check_roll(caller.bounds, old)
    key, new_id = keyformat.new_key(), tokens.new_id("key_")
    record: dict[str, Any] = {
        "id": new_id, "digest": keyformat.digest(key), "workspace_id": caller.workspace_id,
        "label": old["label"], "scopes": old["scopes"], "hint": keyformat.hint(key),
        "created_at": now, "created_by": caller.actor, "expires_at": old.get("expires_at"),
        "rate_limit_per_minute": old.get("rate_limit_per_minute"), "rolled_from": key_id}
    old_expiry = min(now + old_key_lifetime, old.get("expires_at") or now + old_key_lifetime)
    new_ttl = record["expires_at"] + RETENTION_SECONDS if record["expires_at"] else None
    if not key_store.roll(record, new_ttl, old["digest"], old_expiry, old_expiry + RETENTION_SECONDS):
        raise NotFound("This key was revoked or rolled meanwhile.")
    audit_event("api_key.rolled", caller, key_id, new_key_id=new_id, old_key_expires_at=str(old_expiry))
    return {**records.public(record, now), "key": key, "previous_key_expires_at": old_expiry}
