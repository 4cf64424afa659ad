"""Settings → Account: what the page shows, and the notices after each form."""

from __future__ import annotations

from typing import Any

from ..accounts import deletion, verification
from ..store import users as user_store

PATH = "/settings/account"
NOTICES = {
    "password_changed": "Your password was changed. Every other browser was signed out.",
    "email_requested": "We emailed a confirmation link to the new address. Your sign-in email "
                       "changes when you follow it.",
    "email_changed": "Your sign-in email address was changed.",
    "verification_sent": "We emailed you a new verification link. Older links no longer work.",
}


def account(user_id: str) -> dict[str, Any]:
    user = user_store.get(user_id) or {}
    workspace = user_store.workspace(str(user.get("workspace_id", ""))) or {}
    return {"email": user.get("email", ""), "verified": verification.is_verified(user),
            "two_factor": bool(user.get("totp_enabled")), "workspace": workspace.get("name", "")}


def page(user_id: str, notice_key: str | None = None) -> dict[str, Any]:
    details = account(user_id)
    return {"account": details, "account_email": details["email"],
            "notice": NOTICES.get(notice_key or "")}


def delete_page(user_id: str) -> dict[str, Any]:
    details = account(user_id)
    return {"account": details, "account_email": details["email"], "lost": deletion.summary(user_id)}
