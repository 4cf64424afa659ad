"""Settings → Security: two-factor authentication and Active Sessions, one context per section."""

from __future__ import annotations

from typing import Any

from .. import clock
from ..accounts import active_sessions, users
from ..accounts.sessions import Session
from ..errors import NotFound
from . import passkeys, timefmt, two_factor, useragent

PATH = "/settings/security"
NOTICES = {
    "session_revoked": "Session revoked. That device is signed out; its next request is refused.",
    "others_revoked": "Signed out everywhere else. Only this browser is still signed in.",
    **passkeys.NOTICES,
    "grant_revoked": "Access revoked. The application's tokens no longer work; it has to ask "
                     "for your permission again.",
}


def revoke(session: Session, session_id: str, ip: str, user_agent: str) -> str:
    """Revoke a browser session or an application's grant; the notice to show afterwards."""
    active_sessions.revoke(session, session_id, ip, user_agent)
    app = session_id.startswith((active_sessions.GRANT_PREFIX, active_sessions.CONSENT_PREFIX))
    return "grant_revoked" if app else "session_revoked"


def session_row(view: dict[str, Any], now: int) -> dict[str, Any]:
    """A browser session or an OAuth grant, as the Active Sessions list shows it."""
    oauth = view["type"] == "oauth"
    return {
        "id": view["id"], "type": view["type"], "current": view["current"],
        "name": (view.get("client_name") or "An application") if oauth
        else useragent.describe(view.get("user_agent")),
        "user_agent": view.get("user_agent"), "ip": view.get("ip"), "scopes": view.get("scopes") or [],
        "created": timefmt.stamp(view["created_at"], now),
        "last_used": timefmt.stamp(view.get("last_used_at"), now),
    }


def sessions(session: Session) -> dict[str, Any]:
    now = clock.now()
    rows = [session_row(view, now) for view in active_sessions.list_sessions(session)]
    # This device first: the one a person recognises, and the one not to revoke.
    browsers = sorted((r for r in rows if r["type"] == "browser"), key=lambda r: not r["current"])
    return {"browsers": browsers, "apps": [r for r in rows if r["type"] != "browser"],
            "others": sum(not r["current"] for r in browsers)}


def page(session: Session, backup_codes: list[str] | None = None, notice: str | None = None,
         notice_key: str | None = None, confirm_passkey: str | None = None) -> dict[str, Any]:
    """Everything the page shows. `notice_key` comes from the URL after a redirect, so only
    our own messages are ever shown for it (never text from the URL)."""
    user = users.profile(session.user_id)
    return {"two_factor": two_factor.summary(user, backup_codes), "sessions": sessions(session),
            "passkeys": passkeys.section(user, confirm_passkey),
            "notice": notice or NOTICES.get(notice_key or "")}


def find(session: Session, session_id: str) -> dict[str, Any]:
    """One row of Active Sessions, for its confirmation page; anything else is 404."""
    now = clock.now()
    for view in active_sessions.list_sessions(session):
        if view["id"] == session_id and not view["current"]:
            return session_row(view, now)
    raise NotFound("There is no such session or application access on your account. "
                   "It may have ended already.")
