"""Two-factor state kept on the user item (`USER#<id>` / `PROFILE`, see infra/TABLE.md).

Attributes: `totp_enabled`, `totp_secret` (encrypted), `totp_last_step`,
`totp_pending_secret` + `totp_pending_at` (enrolment not yet confirmed),
`backup_set_id` (the live backup-code set), and the lockout counter
`mfa_failures` / `mfa_failed_since` / `mfa_locked_until`.
"""

from __future__ import annotations

from typing import Any

from . import db
from .users import user_key

_NOT_ENABLED = "(attribute_not_exists(totp_enabled) OR totp_enabled = :false)"


def set_pending(user_id: str, ciphertext: str, now: int) -> bool:
    """Store a new, unconfirmed secret; False when 2FA is already on."""
    try:
        # Enrolling again while 2FA is on would swap the live secret unseen: refuse it.
        db.update(*user_key(user_id),
                  "SET totp_pending_secret = :ct, totp_pending_at = :now",
                  vals={":ct": ciphertext, ":now": now, ":false": False},
                  condition=f"attribute_exists(pk) AND {_NOT_ENABLED}")
    except db.ConditionFailed:
        return False
    return True


def enable(user_id: str, pending: str, step: int, set_id: str,
           backup_items: list[dict[str, Any]], now: int) -> bool:
    """Turn 2FA on with the confirmed secret and a first backup-code set, all at once."""
    switch = db.update_action(
        *user_key(user_id),
        "SET totp_secret = :ct, totp_enabled = :true, totp_last_step = :step, "
        "backup_set_id = :set, totp_enabled_at = :now REMOVE totp_pending_secret, totp_pending_at",
        vals={":ct": pending, ":true": True, ":false": False, ":step": step, ":set": set_id,
              ":now": now},
        # The secret confirmed must still be the pending one (a second "start" replaces it).
        condition=f"totp_pending_secret = :ct AND {_NOT_ENABLED}")
    try:
        db.transact([switch, *(db.put_action(item) for item in backup_items)])
    except db.TransactionCanceled:
        return False
    return True


def record_step(user_id: str, step: int) -> bool:
    """Remember the time step just accepted; False when it (or a later one) was already used."""
    try:
        # RFC 6238 §5.2: a code is accepted once. `totp_last_step < :step` refuses this step
        # and every earlier one, also for two requests racing with the same code.
        db.update(*user_key(user_id), "SET totp_last_step = :step",
                  vals={":step": step, ":true": True},
                  condition="totp_enabled = :true AND "
                            "(attribute_not_exists(totp_last_step) OR totp_last_step < :step)")
    except db.ConditionFailed:
        return False
    return True


def disable(user_id: str) -> bool:
    """Turn 2FA off and forget the secret and backup set; False when it was not on."""
    try:
        db.update(*user_key(user_id),
                  "SET totp_enabled = :false REMOVE totp_secret, totp_last_step, backup_set_id, "
                  "totp_pending_secret, totp_pending_at",
                  vals={":true": True, ":false": False},
                  condition="totp_enabled = :true")  # only one of two racing disables wins
    except db.ConditionFailed:
        return False
    return True


def replace_backup_set(user_id: str, set_id: str, backup_items: list[dict[str, Any]]) -> bool:
    """Switch to a new backup-code set; the old set's codes stop working at once."""
    switch = db.update_action(*user_key(user_id), "SET backup_set_id = :set",
                              vals={":set": set_id, ":true": True},
                              condition="totp_enabled = :true")  # no codes for a 2FA-off account
    try:
        db.transact([switch, *(db.put_action(item) for item in backup_items)])
    except db.TransactionCanceled:
        return False
    return True
