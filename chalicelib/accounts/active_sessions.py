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


def _browser_view(record: dict[str, Any], current_id: str) -> dict[str, Any]:
    return {"id": record["id"], "type": "browser", "client_name": None, "scopes": [],
            "created_at": record["created_at"], "last_used_at": record["last_used_at"],
            "ip": record.get("ip"), "user_agent": record.get("user_agent"),
            "current": record["id"] == current_id}


def _grant_view(grant: dict[str, Any]) -> dict[str, Any]:
    return {"id": grant["id"], "type": "oauth", "client_name": grant.get("client_name"),
            "client_id": grant.get("client_id"), "scopes": list(grant.get("scopes") or []),
            "created_at": grant["created_at"], "last_used_at": grant.get("last_used_at", grant["created_at"]),
            "ip": grant.get("ip"), "user_agent": grant.get("user_agent"), "current": False}


def _live_grants(user_id: str) -> list[dict[str, Any]]:
    now = logs.now()
    return [g for g in grant_store.for_user(user_id) if grants.live(g, now)]


def _live_browser_sessions(user_id: str) -> list[dict[str, Any]]:
    now = logs.now()
    return [r for r in session_store.for_user(user_id) if r["expires_at"] > now]


def list_sessions(session: Session) -> list[dict[str, Any]]:
    """Every live session of the caller, most recently used first."""
    views = [_browser_view(r, session.id) for r in _live_browser_sessions(session.user_id)]
    views += [_grant_view(g) for g in _live_grants(session.user_id)]
    return sorted(views, key=lambda v: (v["last_used_at"], v["created_at"]), reverse=True)


def revoke(session: Session, session_id: str, ip: str, user_agent: str) -> None:
    """Revoke one of the caller's sessions or OAuth grants; another user's id is not found.

    A grant's refresh token stops working and every access token it issued is
    refused by the authorizer on its next request (it reads the grant).
    """
    for grant in _live_grants(session.user_id):
        if grant["id"] == session_id:
            grants.revoke(session_id, "revoked_by_user", actor=session.user_id)
            return
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
