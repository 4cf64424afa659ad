"""Settings → Security → Passkeys: the list, and the confirmation before removing the last one."""

from __future__ import annotations

from typing import Any

from .. import clock
from ..passkeys import manage, relying_party
from . import timefmt

NOTICES = {
    "passkey_added": "Passkey added. You can sign in with it, without your password.",
    "passkey_renamed": "Passkey renamed.",
    "passkey_removed": "Passkey removed. It no longer signs in to your account.",
}


def needs_confirmation(user: dict[str, Any], passkey_id: str) -> bool:
    return manage.is_last_factor(user, passkey_id)


def section(user: dict[str, Any], confirm_id: str | None = None) -> dict[str, Any]:
    now = clock.now()
    rows = [{"id": r["id"], "name": r["name"], "created": timefmt.stamp(r["created_at"], now),
             "last_used": timefmt.stamp(r.get("last_used_at"), now)}
            for r in manage.records(user["user_id"])]
    confirm = next((r for r in rows if r["id"] == confirm_id), None)
    return {"rows": rows, "confirm": confirm, "origin": relying_party.origin(),
            "two_factor": bool(user.get("totp_enabled"))}
