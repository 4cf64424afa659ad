"""Changing a password while signed in, and resetting a forgotten one by email.

Change: the current password is required in the same request; every other browser
session ends; a notice is emailed. Reset (OWASP Forgot Password Cheat Sheet): the
request answers the same (202, same body) whether or not the account exists and
takes the same time (a fixed floor, measured in bench/password_reset.py); it is
throttled per email and per IP; the link is valid 30 minutes and once; using it ends
every browser session of the user and leaves 2FA as it was (still required at the
next sign-in).

Sending failures: the reset link's failure is logged and audited and the answer is
still 202 (a 503 only for existing accounts would tell who has one); notices never
block the change they report (see mailer/notices.py).
"""

from __future__ import annotations

import time
from typing import Any

from .. import audit, clock, hashing, logs
from ..caller import Caller
from ..errors import InvalidCredentials, InvalidToken, MailUnavailable
from ..mailer import compose, notices
from ..ratelimit import Lockout
from ..settings import get_settings
from ..store import account_tokens
from ..store import sessions as session_store
from ..store import users as user_store
from . import links, passwords, users
from .sessions import Session
from .signin import EMAIL_LOCK
from .throttle import Throttle

PURPOSE = "reset"
# Wrong current passwords count like wrong sign-ins: 5 per account in 15 minutes.
CURRENT_PASSWORD_LOCK = Lockout("password-current", 5, 900)
RESET_PER_EMAIL = Throttle("reset-email", 5, 3600)
# The answer to POST /password-reset is never sooner than this after the request began: above
# the known-address path (a transaction, an SES call, an audit write), measured at ~0.5 s on a
# loaded moto and far less on AWS (bench/password_reset.py).
RESET_FLOOR_SECONDS = 1.0


def check_current(user: dict[str, Any], password: str) -> None:
    """401 invalid_credentials for a wrong current password; 429 after 5 wrong ones."""
    CURRENT_PASSWORD_LOCK.check(user["user_id"])
    if len(password) > passwords.MAX_LENGTH or not hashing.verify(user.get("password_hash"), password):
        CURRENT_PASSWORD_LOCK.fail(user["user_id"])
        raise InvalidCredentials("The current password is not correct.")
    CURRENT_PASSWORD_LOCK.clear(user["user_id"])


def change(session: Session, current: str, new: str, caller: Caller) -> int:
    """Set a new password; returns how many other browser sessions ended."""
    user = _profile(session.user_id)
    check_current(user, current)
    passwords.check_policy(new)
    user_store.set_fields(user["user_id"], {"password_hash": hashing.hash_secret(new)})
    ended = end_sessions(user["user_id"], keep=session.id)
    _audit("password.changed", user, caller, sessions_ended=str(ended))
    notices.notify(user, "password_changed", ip=caller.ip)
    return ended


def request_reset(email: str, caller: Caller) -> None:
    """Email a reset link if an account has this address; the same answer and time either way.
    A string that is no email address at all is a 400 (that says nothing about accounts)."""
    email = users.normalise_email(email)
    started = time.monotonic()
    try:
        _request_reset(email, caller)
    finally:
        # Known and unknown addresses do different work (a write and an SES call, or
        # neither); waiting until a fixed floor makes both answers take the same time.
        remaining = RESET_FLOOR_SECONDS - (time.monotonic() - started)
        if remaining > 0:
            time.sleep(remaining)


def _request_reset(email: str, caller: Caller) -> None:
    subject = email.strip().lower()
    Throttle("reset-ip", get_settings().reset_ip_limit, 3600).take(caller.ip)
    RESET_PER_EMAIL.take(subject)
    user = user_store.get_by_email(subject) if len(subject) <= 254 else None
    if user is None:
        logs.log("password_reset_unknown_email")
        return
    token = links.issue(user, PURPOSE)
    try:
        compose.send(str(user["email"]), "password_reset", "Reset your TaskForge password",
                     url=compose.link("/password-reset", token))
    except MailUnavailable:
        compose.failed("password_reset")
        _audit("email.send_failed", user, caller, template="password_reset")
        return
    _audit("password.reset_requested", user, caller)


def confirm_reset(token: Any, new: str, caller: Caller) -> None:
    """Set the new password with a live reset link; every browser session of the user ends."""
    record = links.find(token, PURPOSE)
    passwords.check_policy(new)
    reasons = account_tokens.redeem(record, clock.now(), "SET password_hash = :hash", {},
                                    {":hash": hashing.hash_secret(new)})
    if reasons is not None:
        raise InvalidToken()
    user = _profile(record["user_id"])
    ended = end_sessions(user["user_id"])
    EMAIL_LOCK.clear(str(user["email"]).lower())
    _audit("password.reset", user, caller, sessions_ended=str(ended))
    notices.notify(user, "password_reset", ip=caller.ip)


def end_sessions(user_id: str, keep: str | None = None) -> int:
    """End every browser session of the user but `keep`; effective on the very next request."""
    ended = 0
    for record in session_store.for_user(user_id):
        if record["id"] != keep:
            session_store.delete(record["digest"])
            ended += 1
    return ended


def _profile(user_id: str) -> dict[str, Any]:
    user = user_store.get(user_id)
    if user is None:
        raise InvalidToken("This account no longer exists.")
    return user


def _audit(kind: str, user: dict[str, Any], caller: Caller, **details: str) -> None:
    audit.record(kind, user["workspace_id"], user_id=user["user_id"], object_id=user["user_id"],
                 ip=caller.ip, user_agent=caller.user_agent, **details)
