"""Browser sessions: a random cookie token stored as its SHA-256 digest.

Each session has an idle expiry (extended on use) and an absolute expiry, and
carries its own CSRF token. Revocation deletes the record, so the very next
request with that cookie is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import audit, clock, cookies, tokens
from ..errors import InvalidCsrfToken, SessionRequired
from ..settings import get_settings
from ..store import sessions as session_store
from ..store import users as user_store

COOKIE = "tf_session"


@dataclass(frozen=True)
class Session:
    id: str
    user_id: str
    workspace_id: str
    csrf_token: str
    digest: str
    record: dict[str, Any]


def create(user: dict[str, Any], ip: str, user_agent: str) -> tuple[str, Session]:
    """A new session; returns the cookie token (shown once, to the browser) and the session."""
    settings, now = get_settings(), clock.now()
    token = tokens.opaque()
    record = {"id": tokens.new_id("ses_"), "digest": tokens.digest(token),
              "user_id": user["user_id"], "workspace_id": user["workspace_id"],
              "csrf_token": tokens.opaque(), "created_at": now, "last_used_at": now,
              "expires_at": now + settings.session_absolute_ttl, "ip": ip, "user_agent": user_agent,
              # Shown in every page's header (which account, which workspace): read once here.
              "email": str(user.get("email") or (user_store.get(user["user_id"]) or {}).get("email") or ""),
              "workspace_name": user_store.workspace_name(user["workspace_id"])}
    session_store.put(record)
    audit.record("signin.succeeded", user["workspace_id"], user_id=user["user_id"],
                 object_id=record["id"], ip=ip, user_agent=user_agent)
    return token, _session(record)


def resolve(token: str | None) -> Session:
    """The live session for a cookie token, or 401."""
    if not token or len(token) > 100:
        raise SessionRequired()
    record = session_store.get(tokens.digest(token))
    now = clock.now()
    if record is None or record["expires_at"] <= now:
        raise SessionRequired("Your session has ended. Sign in again.")
    if record["last_used_at"] + get_settings().session_idle_ttl <= now:
        raise SessionRequired("Your session timed out. Sign in again.")
    session_store.touch(record["digest"], now)
    return _session(record)


def revoke(session: Session) -> None:
    session_store.delete(session.digest)


def check_csrf(session: Session, supplied: str | None) -> None:
    """State-changing requests must echo the session's CSRF token (constant-time compare)."""
    if not supplied or not tokens.same(supplied, session.csrf_token):
        raise InvalidCsrfToken()


def cookie(token: str) -> str:
    return cookies.set_cookie(COOKIE, token, max_age=get_settings().session_absolute_ttl)


def clear_cookie() -> str:
    return cookies.clear_cookie(COOKIE)


def _session(record: dict[str, Any]) -> Session:
    return Session(record["id"], record["user_id"], record["workspace_id"],
                   record["csrf_token"], record["digest"], record)
