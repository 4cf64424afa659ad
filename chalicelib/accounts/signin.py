"""Password sign-in with lockouts: 5 failures per email, and a configurable number
per source IP, in 15 minutes (OWASP Authentication Cheat Sheet, account lockout).

The lockout applies to any email string, known or not, so a 429 reveals nothing
about whether an account exists.
"""

from __future__ import annotations

from typing import Any

from .. import audit
from ..errors import InvalidCredentials
from ..ratelimit import Lockout
from ..settings import get_settings
from . import users

EMAIL_LOCK = Lockout("signin-email", 5, 900)
UNKNOWN_ACCOUNT = "_unknown"  # the audit partition of failed sign-ins to emails without an account


def _ip_lock() -> Lockout:
    return Lockout("signin-ip", get_settings().login_ip_limit, 900)


def sign_in(email: str, password: str, ip: str, user_agent: str) -> dict[str, Any]:
    """The user for these credentials; 401 when wrong, 429 while locked out."""
    subject = email.strip().lower()
    EMAIL_LOCK.check(subject)
    _ip_lock().check(ip)
    try:
        user = users.authenticate(email, password)
    except InvalidCredentials as exc:
        newly_locked = EMAIL_LOCK.fail(subject)
        _ip_lock().fail(ip)
        # The same audit write whether or not the account exists: a wrong password must not
        # take longer than an unknown email (that difference told which accounts exist).
        # Unknown emails are recorded under UNKNOWN_ACCOUNT, for operators, without the email.
        known = exc.user or {}
        kind = "signin.locked" if newly_locked else "signin.failed"
        # user_id too, so both events also write the same index entry (GSI1 by user).
        audit.record(kind, known.get("workspace_id", UNKNOWN_ACCOUNT),
                     user_id=known.get("user_id", UNKNOWN_ACCOUNT),
                     object_id=known.get("user_id"), ip=ip, user_agent=user_agent)
        raise
    EMAIL_LOCK.clear(subject)
    return user  # "signin.succeeded" is audited when the session exists (after any second factor)
