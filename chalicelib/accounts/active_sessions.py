"""Settings → Security → Active Sessions: the user's browser sessions (and OAuth
grants), and revoking any of them with effect on the very next request."""

from __future__ import annotations

from typing import Any

from .. import audit, logs
from ..errors import NotFound
from ..store import sessions as session_store
from .sessions import Session


def _browser_view(record: dict[str, Any], current_id: str) -> dict[str, Any]:
    return {"id": record["id"], "type": "browser", "client_name": None, "scopes": [],
            "created_at": record["created_at"], "last_used_at": record["last_used_at"],
            "ip": record.get("ip"), "user_agent": record.get("user_agent"),
            "current": record["id"] == current_id}


def _live_browser_sessions(user_id: str) -> list[dict[str, Any]]:
    now = logs.now()
    return [r for r in session_store.for_user(user_id) if r["expires_at"] > now]


def list_sessions(session: Session) -> list[dict[str, Any]]:
    """Every live session of the caller, most recently used first."""
    views = [_browser_view(r, session.id) for r in _live_browser_sessions(session.user_id)]
    return sorted(views, key=lambda v: (v["last_used_at"], v["created_at"]), reverse=True)


def revoke(session: Session, session_id: str, ip: str, user_agent: str) -> None:
    """Revoke one of the caller's sessions; another user's id is simply not found."""
    for record in _live_browser_sessions(session.user_id):
        if record["id"] == session_id:
            session_store.delete(record["digest"])
            audit.record("session.revoked", session.workspace_id, user_id=session.user_id,
                         object_id=session_id, ip=ip, user_agent=user_agent)
            return
    raise NotFound("No such session.")


def revoke_others(session: Session, ip: str, user_agent: str) -> int:
    """Sign out everywhere else: every browser session but the current one."""
    others = [r for r in _live_browser_sessions(session.user_id) if r["id"] != session.id]
    for record in others:
        session_store.delete(record["digest"])
    audit.record("session.revoked_others", session.workspace_id, user_id=session.user_id,
                 object_id=session.id, ip=ip, user_agent=user_agent, count=str(len(others)))
    return len(others)
