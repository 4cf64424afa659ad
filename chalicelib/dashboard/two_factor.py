"""What the Settings → Security page shows about two-factor authentication."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ..twofactor import backup_codes, enrolment


def download_href(email: str, codes: list[str]) -> str:
    """A data: URL for the backup-codes file: built in the page, never requested from us."""
    text = "\n".join([f"TaskForge backup codes for {email}",
                      "Each code works once. Keep this file somewhere safe.", "", *codes, ""])
    return "data:text/plain;charset=utf-8," + quote(text, safe="")


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an authenticator by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def summary(user: dict[str, Any], fresh_codes: list[str] | None = None) -> dict[str, Any]:
    enabled = bool(user.get("totp_enabled"))
    pending = None if enabled else enrolment.pending(user)
    return {
        "enabled": enabled,
        "enrolment": pending,
        "secret_grouped": grouped(pending.secret) if pending else None,
        "backup_codes": fresh_codes,
        "download_href": download_href(user["email"], fresh_codes) if fresh_codes else None,
        "remaining": backup_codes.remaining(user) if enabled and not fresh_codes else None,
    }
