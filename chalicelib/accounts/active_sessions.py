"""Settings → Security → Active Sessions: the user's browser sessions (and OAuth
grants), and revoking any of them with effect on the very next request."""

from __future__ import annotations

from typing import Any

from .. import audit, logs
from ..errors import NotFound
from ..oauth import grants
from ..store import grants as grant_store
from ..store import sessions as session_store
from .sessions import Session

GRANT_PREFIX = "grt_"


def _browser_view(record: dict[str, Any], current_id: str) -> dict[str, Any]:
    return {"id": record["id"], "type": "browser", "client_name": None, "scopes": [],
            "created_at": record["created_at"], "last_used_at": record["last_used_at"],
            "ip": record.get("ip"), "user_agent": record.get("user_agent"),
            "current": record["id"] == current_id}


def _live_browser_sessions(user_id: str) -> list[dict[str, Any]]:
    now = logs.now()
    return [r for r in session_store.for_user(user_id) if r["expires_at"] > now]


def _grant_view(grant: dict[str, Any]) -> dict[str, Any]:
    """An OAuth grant: the application's access and refresh tokens, ended together."""
    return {"id": grant["id"], "type": "oauth", "client_name": grant.get("client_name"),
            "scopes": list(grant.get("scopes") or []), "created_at": grant["created_at"],
            "last_used_at": grant.get("last_used_at") or grant["created_at"],
            "ip": grant.get("ip"), "user_agent": grant.get("user_agent"), "current": False}


def _live_grants(user_id: str) -> list[dict[str, Any]]:
    now = logs.now()
    return [g for g in grant_store.for_user(user_id) if grants.live(g, now)]


def list_sessions(session: Session) -> list[dict[str, Any]]:
    """Every live session of the caller (browsers and OAuth grants), most recently used first."""
    views = [_browser_view(r, session.id) for r in _live_browser_sessions(session.user_id)]
    views += [_grant_view(g) for g in _live_grants(session.user_id)]
    return sorted(views, key=lambda v: (v["last_used_at"], v["created_at"]), reverse=True)


def revoke(session: Session, session_id: str, ip: str, user_agent: str) -> None:
    """Revoke one of the caller's sessions or grants; another user's id is simply not found."""
    if session_id.startswith(GRANT_PREFIX):
        _revoke_grant(session, session_id)
        return
    for record in _live_browser_sessions(session.user_id):
        if record["id"] == session_id:
            session_store.delete(record["digest"])
            audit.record("session.revoked", session.workspace_id, user_id=session.user_id,
                         object_id=session_id, ip=ip, user_agent=user_agent)
            return
    raise NotFound("No such session.")


def _revoke_grant(session: Session, grant_id: str) -> None:
    """End an application's access: its refresh token fails at once, its access tokens at
    the authorizer on their very next use (it reads the grant)."""
    if not any(g["id"] == grant_id for g in _live_grants(session.user_id)):
        raise NotFound("No such session.")
    grants.revoke(grant_id, "user_revoked", actor=session.user_id)


def revoke_others(session: Session, ip: str, user_agent: str) -> int:
    """Sign out everywhere else: every browser session but the current one."""
    others = [r for r in _live_browser_sessions(session.user_id) if r["id"] != session.id]
    for record in others:
        session_store.delete(record["digest"])
    audit.record("session.revoked_others", session.workspace_id, user_id=session.user_id,
                 object_id=session.id, ip=ip, user_agent=user_agent, count=str(len(others)))
    return len(others)
