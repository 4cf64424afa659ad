"""Checking a second factor for a user who has 2FA on: a TOTP code or a backup code."""

from __future__ import annotations

from typing import Any

from .. import audit, clock
from ..caller import Caller
from ..errors import Conflict, InvalidCode
from ..store import twofactor as store
from . import backup_codes, crypto, lockout, totp
from .codes import Code

REPLAYED = "That code has already been used. Wait for the next code in your authenticator app."
BACKUP_REFUSED = "That backup code is not valid or has already been used."


def _totp(user: dict[str, Any], code: str) -> None:
    secret = crypto.decrypt(str(user["totp_secret"]), user["user_id"])
    step = totp.matching_step(secret, code, clock.now())
    if step is None:
        raise InvalidCode()
    if step <= int(user.get("totp_last_step", -1)) or not store.record_step(user["user_id"], step):
        raise InvalidCode(REPLAYED)  # RFC 6238 §5.2: each OTP is accepted once


def _backup(user: dict[str, Any], code: str, caller: Caller) -> None:
    if not backup_codes.spend(user, code):
        raise InvalidCode(BACKUP_REFUSED)
    # The code's identifier is half of the code: the event names the user, never the code.
    audit.record("twofactor.backup_code_used", user["workspace_id"], user_id=user["user_id"],
                 object_id=user["user_id"], ip=caller.ip, user_agent=caller.user_agent,
                 remaining=str(backup_codes.remaining(user)))


def not_enabled() -> Conflict:
    return Conflict("two_factor_disabled", "Two-factor authentication is not on for this account.")


def require_enabled(user: dict[str, Any]) -> None:
    if not user.get("totp_enabled") or not user.get("totp_secret"):
        raise not_enabled()


def check(user: dict[str, Any], code: Code, caller: Caller) -> None:
    """Accept the code once, or raise InvalidCode (401) / RateLimited (429)."""
    require_enabled(user)
    with lockout.attempt(user, caller):
        if code.kind == "totp":
            _totp(user, code.value)
        else:
            _backup(user, code.value, caller)
