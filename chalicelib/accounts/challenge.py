"""The sign-in challenge: password accepted, second factor still to come.

With 2FA on, a correct password yields no session, only a pending sign-in:
a random token in a short-lived cookie (`tf_pending`, Path=/login, 5 minutes)
whose SHA-256 digest keys the record. A correct code at /login/2fa deletes the
record (conditional delete: single use) and only then creates the session. A
wrong code leaves it in place so the person can retry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import clock, cookies, logs, tokens
from ..caller import Caller
from ..errors import InvalidCsrfToken, ServiceError
from ..passkeys import assertion, challenges
from ..store import pending_signins as store
from ..store import users as user_store
from ..twofactor import verify
from ..twofactor.codes import Code
from . import sessions

COOKIE = "tf_pending"
COOKIE_PATH = "/login"  # covers /login/2fa and nothing else
TTL_SECONDS = 5 * 60


class SignInRequired(ServiceError):
    error = "unauthorized"
    status = 401
    description = "Your sign-in has expired or was already completed. Sign in with your password again."


@dataclass(frozen=True)
class Pending:
    token: str | None  # only when just created: the cookie value, shown to the browser once
    digest: str
    user_id: str
    next: str
    csrf_token: str


def begin(user: dict[str, Any], next_url: str, caller: Caller) -> Pending | None:
    """A pending sign-in for a user with 2FA on; None when the password alone suffices."""
    if not user.get("totp_enabled"):
        return None
    token, now = tokens.opaque(), clock.now()
    record = {"digest": tokens.digest(token), "user_id": user["user_id"], "next": next_url,
              "csrf_token": tokens.opaque(), "created_at": now, "expires_at": now + TTL_SECONDS,
              "ip": caller.ip, "user_agent": caller.user_agent}
    store.put(record)
    return Pending(token, record["digest"], user["user_id"], next_url, record["csrf_token"])


def resolve(token: str | None) -> Pending:
    """The live pending sign-in for a cookie token, or 401."""
    if not token or len(token) > 100:
        raise SignInRequired()
    record = store.get(tokens.digest(token))
    if record is None or record["expires_at"] <= clock.now():
        raise SignInRequired()
    return Pending(None, record["digest"], record["user_id"], record["next"], record["csrf_token"])


def check_csrf(pending: Pending, supplied: str | None, required: bool) -> None:
    """Forms must echo the pending sign-in's CSRF token; JSON callers may (then it must match)."""
    if supplied is None and not required:
        return
    if not supplied or not tokens.same(supplied, pending.csrf_token):
        raise InvalidCsrfToken()


def complete(pending: Pending, code: Code, caller: Caller) -> tuple[str, sessions.Session]:
    """Check the code; on success end the pending sign-in and start the browser session."""
    user = user_store.get(pending.user_id)
    if user is None or not user.get("totp_enabled"):
        raise SignInRequired()  # account gone or 2FA turned off meanwhile: start over
    verify.check(user, code, caller)
    return _finish(pending, user, code.kind, caller)


def complete_with_passkey(pending: Pending, body: dict[str, Any],
                          caller: Caller) -> tuple[str, sessions.Session]:
    """A registered passkey of the same user as the second factor (CONTRACT: Passkeys)."""
    user = user_store.get(pending.user_id)
    if user is None or not user.get("totp_enabled"):
        raise SignInRequired()
    assertion.verify(body, pending.digest, challenges.SECOND_FACTOR, caller,
                     expected_user=pending.user_id)
    return _finish(pending, user, "passkey", caller)


def _finish(pending: Pending, user: dict[str, Any], kind: str,
            caller: Caller) -> tuple[str, sessions.Session]:
    if not store.consume(pending.digest, clock.now()):
        raise SignInRequired()
    logs.log("signin_second_factor", user_id=user["user_id"], kind=kind)
    return sessions.create(user, caller.ip, caller.user_agent)


def cookie(token: str) -> str:
    return cookies.set_cookie(COOKIE, token, max_age=TTL_SECONDS, path=COOKIE_PATH)


def clear_cookie() -> str:
    return cookies.clear_cookie(COOKIE, path=COOKIE_PATH)
