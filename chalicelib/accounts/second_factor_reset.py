"""An operator turns a user's second factor off after a lost device (docs/RUNBOOK.md).

Backup codes are the self-service path; this is the last resort, run by an operator
after identity proofing. It turns 2FA off, deletes the backup codes, ends every browser
session, audits `twofactor.reset_by_operator` (operator and ticket, never a secret) and
emails the account a notice, so a social-engineered reset is seen by the real owner.
"""

from __future__ import annotations

from typing import Any

from .. import audit
from ..errors import NotFound
from ..mailer import notices
from ..store import twofactor as store
from ..store import users as user_store
from ..twofactor import backup_codes
from .password_change import end_sessions


def reset(email: str, operator: str, ticket: str) -> dict[str, Any]:
    """Turn 2FA off for the account with this email; what was done."""
    user = user_store.get_by_email(email.strip().lower())
    if user is None:
        raise NotFound("No account has this email address.")
    was_on = store.disable(user["user_id"])
    backup_codes.cleanup(user["user_id"], None)
    ended = end_sessions(user["user_id"])
    audit.record("twofactor.reset_by_operator", user["workspace_id"], actor=f"operator:{operator}",
                 user_id=user["user_id"], object_id=user["user_id"], ticket=ticket,
                 was_enabled=str(was_on).lower(), sessions_ended=str(ended))
    notices.notify(user, "twofactor_disabled", reset_by="an operator (support request)", ticket=ticket)
    return {"user_id": user["user_id"], "was_enabled": was_on, "sessions_ended": ended}
