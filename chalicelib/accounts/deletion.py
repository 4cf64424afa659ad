"""Deleting an account: password (and a 2FA code when 2FA is on) in the same request.

At once: every browser session and OAuth grant of the user ends and the user's API
keys are revoked. The workspace is deleted when the user was its last member (today
every workspace has exactly one member, its owner), with every key, OAuth client
(and the clients' grants) and task in it. Audit events are kept: they expire with
the retention period like any other (TTL), so an operator can still investigate.

Credentials end before the account record goes, so a failure half-way (store
unavailable: 503) never leaves a deleted account with live credentials; calling
again finishes the job. A notice goes to the address (failure: logged, audited).
"""

from __future__ import annotations

from typing import Any

from .. import audit, clock
from ..apikeys import manage
from ..caller import Caller
from ..errors import Conflict, InvalidRequest
from ..mailer import notices
from ..oauth import clients, grants
from ..store import apikeys as key_store
from ..store import backup_codes as backup_store
from ..store import grants as grant_store
from ..store import tasks as task_store
from ..store import users as user_store
from ..twofactor import codes, verify
from .password_change import check_current, end_sessions
from .sessions import Session


def delete(session: Session, password: str, code: Any, caller: Caller) -> None:
    user = user_store.get(session.user_id)
    if user is None:
        raise Conflict("account_gone", "This account no longer exists.")
    check_current(user, password)
    if user.get("totp_enabled"):
        if code is None or code == "":
            raise InvalidRequest("'code' is required: two-factor authentication is on.")
        verify.check(user, codes.parse(code), caller)
    workspace = user_store.workspace(user["workspace_id"]) or {}
    last_member = workspace.get("owner_id") in (None, user["user_id"])
    counts = _end_credentials(user, last_member, caller)
    backup_store.delete_other_sets(user["user_id"], None)
    if not user_store.delete_account(user, user["workspace_id"] if last_member else None):
        raise Conflict("account_changed", "The account changed meanwhile. Try again.")
    audit.record("account.deleted", user["workspace_id"], user_id=user["user_id"],
                 object_id=user["user_id"], ip=caller.ip, user_agent=caller.user_agent,
                 workspace_deleted=str(last_member).lower(), **counts)
    notices.notify(user, "account_deleted", ip=caller.ip)


def _end_credentials(user: dict[str, Any], last_member: bool, caller: Caller) -> dict[str, str]:
    user_id, workspace_id, now = user["user_id"], user["workspace_id"], clock.now()
    sessions_ended = end_sessions(user_id)
    grants_ended = sum(grants.revoke(g["id"], "account_deleted", actor=user_id)
                       for g in grant_store.for_user(user_id) if grants.live(g, now))
    key_caller = manage.Caller(workspace_id, user_id, user_id, caller.ip, caller.user_agent)
    keys = [k for k in key_store.for_workspace(workspace_id)
            if not k.get("revoked_at") and (last_member or k.get("created_by") == user_id)]
    for key in keys:
        manage.revoke(key_caller, key["id"])
    deleted_clients = clients.list_for(workspace_id) if last_member else []
    for client in deleted_clients:
        clients.delete(workspace_id, client["client_id"], user_id, user_id=user_id)
    if last_member:
        task_store.delete_all(workspace_id)
    return {"sessions_ended": str(sessions_ended), "grants_revoked": str(grants_ended),
            "api_keys_revoked": str(len(keys)), "oauth_clients_deleted": str(len(deleted_clients))}


def summary(user_id: str) -> dict[str, int]:
    """What deleting the account would end, for the confirmation on Settings → Account."""
    user = user_store.get(user_id) or {}
    workspace_id = str(user.get("workspace_id", ""))
    now = clock.now()
    return {
        "api_keys": sum(1 for k in key_store.for_workspace(workspace_id) if not k.get("revoked_at")),
        "oauth_clients": len(clients.list_for(workspace_id)),
        "grants": sum(1 for g in grant_store.for_user(user_id) if grants.active(g, now)),
        "tasks": task_store.count(workspace_id),
    }
