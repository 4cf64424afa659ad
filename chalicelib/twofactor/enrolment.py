"""Turning TOTP on and off: start, confirm with a first code, disable, new backup codes.

Enrolment is two steps so that 2FA is never switched on with a secret the
user's authenticator does not have: `start` stores the secret as pending,
`confirm` switches it on only after a valid code from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import audit, clock
from ..caller import Caller
from ..errors import Conflict, InvalidCode, StoreUnavailable
from ..mailer import notices
from ..store import twofactor as store
from ..store import users
from . import backup_codes, crypto, lockout, qr, totp, verify
from .codes import Code

PENDING_SECONDS = 30 * 60


@dataclass(frozen=True)
class Enrolment:
    secret: str
    otpauth_uri: str
    qr_svg: str


def _enrolment(secret: str, email: str) -> Enrolment:
    uri = totp.provisioning_uri(secret, email)
    return Enrolment(secret, uri, qr.svg(uri))


def _already_enabled() -> Conflict:
    return Conflict("two_factor_enabled", "Two-factor authentication is already on. "
                                          "Turn it off first to set up a different authenticator.")


def _refuse_if_enabled(user: dict[str, Any]) -> None:
    if user.get("totp_enabled"):
        raise _already_enabled()


def start(user: dict[str, Any]) -> Enrolment:
    """A new secret, stored encrypted as pending; shown to the user once per start."""
    _refuse_if_enabled(user)
    secret = totp.new_secret()
    if not store.set_pending(user["user_id"], crypto.encrypt(secret, user["user_id"]), clock.now()):
        raise _already_enabled()
    return _enrolment(secret, user["email"])


def _pending_secret(user: dict[str, Any]) -> str | None:
    sealed = user.get("totp_pending_secret")
    if user.get("totp_enabled") or not sealed:
        return None
    if int(user.get("totp_pending_at") or 0) + PENDING_SECONDS <= clock.now():
        return None
    return crypto.decrypt(str(sealed), user["user_id"])


def pending(user: dict[str, Any]) -> Enrolment | None:
    """The enrolment in progress (to show its QR code again), or None."""
    secret = _pending_secret(user)
    return _enrolment(secret, user["email"]) if secret else None


def confirm(user: dict[str, Any], code: Code, caller: Caller) -> list[str]:
    """Switch 2FA on after a valid code from the pending secret; the backup codes, shown once."""
    _refuse_if_enabled(user)
    secret = _pending_secret(user)
    if secret is None:
        raise Conflict("enrolment_not_started", "Start two-factor setup first (or again: "
                                                "setup expires after 30 minutes).")
    with lockout.attempt(user, caller):
        step = totp.matching_step(secret, code.value, clock.now())
        if step is None:
            raise InvalidCode()
    set_id, codes, items = backup_codes.new_set(user["user_id"])
    if not _enabled_with(user, step, set_id, items):
        if (users.get(user["user_id"]) or {}).get("totp_enabled"):
            raise _already_enabled()  # a concurrent confirmation won: say so, not "start again"
        raise Conflict("enrolment_changed", "Two-factor setup changed meanwhile. Start again.")
    backup_codes.cleanup(user["user_id"], set_id)
    _audit("twofactor.enabled", user, caller)
    notices.notify(user, "twofactor_enabled", ip=caller.ip)
    return codes


def _enabled_with(user: dict[str, Any], step: int, set_id: str, items: list[dict[str, Any]]) -> bool:
    """Switch 2FA on with this backup set; True also when the answer was lost but the write landed."""
    try:
        return store.enable(user["user_id"], str(user["totp_pending_secret"]), step, set_id, items,
                            clock.now())
    except StoreUnavailable:
        # The transaction may have committed after the client gave up: the fresh set id is ours alone.
        if (users.get(user["user_id"]) or {}).get("backup_set_id") == set_id:
            return True
        raise


def disable(user: dict[str, Any], code: Code, caller: Caller) -> None:
    verify.check(user, code, caller)
    if store.disable(user["user_id"]):
        backup_codes.cleanup(user["user_id"], None)
        _audit("twofactor.disabled", user, caller)
        notices.notify(user, "twofactor_disabled", ip=caller.ip)


def regenerate(user: dict[str, Any], code: Code, caller: Caller) -> list[str]:
    """A new set of ten backup codes; every code of the old set stops working."""
    verify.check(user, code, caller)
    set_id, codes, items = backup_codes.new_set(user["user_id"])
    if not store.replace_backup_set(user["user_id"], set_id, items):
        raise verify.not_enabled()
    backup_codes.cleanup(user["user_id"], set_id)
    _audit("twofactor.backup_codes_regenerated", user, caller)
    return codes


def _audit(event: str, user: dict[str, Any], caller: Caller) -> None:
    audit.record(event, user["workspace_id"], user_id=user["user_id"], object_id=user["user_id"],
                 ip=caller.ip, user_agent=caller.user_agent)
