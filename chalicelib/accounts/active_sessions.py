"""Settings → Security → Active Sessions: the user's browser sessions (and OAuth
grants), and revoking any of them with effect on the very next request."""

from __future__ import annotations

from typing import Any

from .. import audit, clock
from ..errors import NotFound
from ..oauth import consent, grants
from ..store import grants as grant_store
from ..store import sessions as session_store
from .sessions import Session

GRANT_PREFIX = "grt_"
CONSENT_PREFIX = "cns_"  # an allowed application with no live grant: forgetting it is all there is


def _browser_view(record: dict[str, Any], current_id: str) -> dict[str, Any]:
    return {"id": record["id"], "type": "browser", "client_name": None, "scopes": [],
            "created_at": record["created_at"], "last_used_at": record["last_used_at"],
            "ip": record.get("ip"), "user_agent": record.get("user_agent"),
            "current": record["id"] == current_id}


def _live_browser_sessions(user_id: str) -> list[dict[str, Any]]:
    now = clock.now()
    return [r for r in session_store.for_user(user_id) if r["expires_at"] > now]


def _grant_view(grant: dict[str, Any]) -> dict[str, Any]:
    """An OAuth grant: the application's access and refresh tokens, ended together."""
    return {"id": grant["id"], "type": "oauth", "client_name": grant.get("client_name"),
            "scopes": list(grant.get("scopes") or []), "created_at": grant["created_at"],
            "last_used_at": grant.get("last_used_at") or grant.get("redeemed_at") or grant["created_at"],
            "ip": grant.get("ip"), "user_agent": grant.get("user_agent"), "current": False}


def _live_grants(user_id: str) -> list[dict[str, Any]]:
    now = clock.now()
    return [g for g in grant_store.for_user(user_id) if grants.active(g, now)]


def _app_views(user_id: str) -> list[dict[str, Any]]:
    """One row per application the user allowed: its remembered consent (the scopes it may
    get without asking) and the newest of its live grants, whose id revokes it."""
    by_client: dict[str, dict[str, Any]] = {}
    for grant in sorted(_live_grants(user_id), key=lambda g: g["created_at"]):
        view, seen = _grant_view(grant), by_client.get(grant["client_id"])
        if seen is not None:
            view["created_at"] = min(view["created_at"], seen["created_at"])
            view["last_used_at"] = max(view["last_used_at"], seen["last_used_at"])
        by_client[grant["client_id"]] = view
    for remembered in consent.for_user(user_id):
        found = by_client.get(remembered["client_id"])
        view = found if found is not None else {
                "id": CONSENT_PREFIX + remembered["client_id"].removeprefix("cli_"), "type": "oauth",
                "client_name": remembered.get("client_name"), "created_at": remembered["created_at"],
                "last_used_at": remembered["updated_at"], "ip": None, "user_agent": None, "current": False}
        by_client[remembered["client_id"]] = view
        view["scopes"] = list(remembered.get("scopes") or [])
        view["remembered"] = True
    return list(by_client.values())


def list_sessions(session: Session) -> list[dict[str, Any]]:
    """Every live session of the caller (browsers, and one row per allowed application), newest first."""
    views = [_browser_view(r, session.id) for r in _live_browser_sessions(session.user_id)]
    views += _app_views(session.user_id)
    return sorted(views, key=lambda v: (v["last_used_at"], v["created_at"]), reverse=True)


def revoke(session: Session, session_id: str, ip: str, user_agent: str) -> None:
    """Revoke one of the caller's sessions or grants; another user's id is simply not found."""
    if session_id.startswith(GRANT_PREFIX):
        _revoke_grant(session, session_id)
        return
    if session_id.startswith(CONSENT_PREFIX):
        _forget_app(session, "cli_" + session_id.removeprefix(CONSENT_PREFIX))
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
    grant = next((g for g in _live_grants(session.user_id) if g["id"] == grant_id), None)
    if grant is None:
        raise NotFound("No such session.")
    _forget_app(session, grant["client_id"])


def _forget_app(session: Session, client_id: str) -> None:
    """End the application's access: every live grant of it, and the remembered consent,
    so its next authorization request asks the user again."""
    remembered = any(c["client_id"] == client_id for c in consent.for_user(session.user_id))
    revoked = [grants.revoke(g["id"], "user_revoked", actor=session.user_id)
               for g in _live_grants(session.user_id) if g["client_id"] == client_id]
    if not remembered and not revoked:
        raise NotFound("No such session.")
    consent.forget(session.user_id, client_id)


def revoke_others(session: Session, ip: str, user_agent: str) -> int:
    """Sign out everywhere else: every browser session but the current one."""
    others = [r for r in _live_browser_sessions(session.user_id) if r["id"] != session.id]
    for record in others:
        session_store.delete(record["digest"])
    audit.record("session.revoked_others", session.workspace_id, user_id=session.user_id,
                 object_id=session.id, ip=ip, user_agent=user_agent, count=str(len(others)))
    return len(others)
