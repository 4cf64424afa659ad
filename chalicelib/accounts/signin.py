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
        known = exc.user
        if known:
            kind = "signin.locked" if newly_locked else "signin.failed"
            audit.record(kind, known["workspace_id"], user_id=known["user_id"],
                         object_id=known["user_id"], ip=ip, user_agent=user_agent)
        raise
    EMAIL_LOCK.clear(subject)
    return user  # "signin.succeeded" is audited when the session exists (after any second factor)
