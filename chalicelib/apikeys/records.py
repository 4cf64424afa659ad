"""A stored key record as callers see it: its status and its public fields."""

from __future__ import annotations

from typing import Any

ACTIVE, EXPIRED, REVOKED = "active", "expired", "revoked"
PUBLIC_FIELDS = ("id", "label", "scopes", "hint", "created_at", "created_by", "last_used_at",
                 "last_used_ip", "last_used_user_agent", "expires_at", "rate_limit_per_minute",
                 "revoked_at", "rolled_to", "rolled_from",
                 # Set when secret scanning found the key in public (chalicelib/leaks): why and where.
                 "revoked_reason", "leak_url", "leak_source")


def status(record: dict[str, Any], now: int) -> str:
    """Revocation wins over expiry; a key is expired from its `expires_at` second on."""
    if record.get("revoked_at"):
        return REVOKED
    expires_at = record.get("expires_at")
    if expires_at is not None and expires_at <= now:
        return EXPIRED
    return ACTIVE


def public(record: dict[str, Any], now: int) -> dict[str, Any]:
    """Listing fields: never the key, its digest or the table's keys."""
    view = {name: record.get(name) for name in PUBLIC_FIELDS}
    view["scopes"] = list(record.get("scopes") or [])
    view["status"] = status(record, now)
    return view
