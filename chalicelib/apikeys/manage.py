"""Issuing, listing and revoking API keys for a workspace.

The full key exists only in `issue`'s answer; the store keeps its SHA-256
digest. Creation and revocation are audited with who, from where and which
key id, never the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .. import audit, clock, scopes, tokens, validation
from ..errors import InvalidRequest, NotFound
from ..mailer import notices
from ..store import apikeys as key_store
from . import bounds as key_bounds
from . import keyformat, records

FIELDS = ("label", "scopes", "expires_in_days", "rate_limit_per_minute", "csrf_token")
RETENTION_SECONDS = 30 * 86400  # expired/revoked keys stay listed this long, then TTL removes them
KEY_ID = re.compile(r"^key_[0-9A-Za-z]{16}$")
DEFAULT_PAGE, MAX_PAGE = 100, 100  # one Query of at most ~100 small items per page


@dataclass(frozen=True)
class Caller:
    """Who acts, for the audit log: a signed-in user or a bearer credential."""

    workspace_id: str
    actor: str
    user_id: str | None
    ip: str
    user_agent: str
    bounds: key_bounds.Bounds | None = None  # a bearer key's own limits; None for the dashboard user


@dataclass(frozen=True)
class KeyRequest:
    label: str
    scopes: list[str]
    expires_in_days: int | None
    rate_limit_per_minute: int | None


def parse_request(body: dict[str, Any]) -> KeyRequest:
    """`{label, scopes, expires_in_days?, rate_limit_per_minute?}`, each checked (400 otherwise)."""
    validation.known_fields(body, FIELDS)
    label = validation.required_text(body, "label", max_len=100).strip()
    if not label:
        raise InvalidRequest("'label' must not be blank.")
    requested = validation.string_list(body, "scopes", max_items=3, max_len=20) or []
    if len(requested) == 1:
        requested = requested[0].split()  # a form field or a space-separated string
    return KeyRequest(label, scopes.validate(requested),
                      validation.integer(body, "expires_in_days", 1, 3650),
                      validation.integer(body, "rate_limit_per_minute", 1, 10000))


def issue(caller: Caller, request: KeyRequest) -> dict[str, Any]:
    """Create a key; the answer is the only place its full value ever appears."""
    key, now, key_id = keyformat.new_key(), clock.now(), tokens.new_id("key_")
    wanted = now + request.expires_in_days * 86400 if request.expires_in_days else None
    expires_at, rate_limit = key_bounds.within(caller.bounds, request.scopes, wanted,
                                               request.rate_limit_per_minute)
    record: dict[str, Any] = {"id": key_id, "digest": keyformat.digest(key),
              "workspace_id": caller.workspace_id, "label": request.label,
              "scopes": request.scopes, "hint": keyformat.hint(key), "created_at": now,
              "created_by": caller.actor, "expires_at": expires_at,
              "rate_limit_per_minute": rate_limit}
    key_store.put(record, expires_at + RETENTION_SECONDS if expires_at else None)
    audit_event("api_key.created", caller, key_id, scopes=" ".join(request.scopes))
    notices.notify_workspace(caller.workspace_id, "api_key_created", ip=caller.ip,
                             label=request.label, permissions=" ".join(request.scopes))
    return {**records.public(record, now), "key": key}


def listing(workspace_id: str) -> list[dict[str, Any]]:
    """Every key of the workspace (active first, newest first), without secrets."""
    return _ordered(key_store.for_workspace(workspace_id))


def page(workspace_id: str, limit: str | int | None = None, cursor: str | None = None) -> dict[str, Any]:
    """`{api_keys, next_cursor}`: one page of keys in key-id order (each page active first,
    newest first); `next_cursor` (a key id) fetches the next, and is null on the last page."""
    size = validation.integer({"limit": limit}, "limit", 1, MAX_PAGE) or DEFAULT_PAGE
    if cursor is not None and not KEY_ID.match(cursor):
        raise InvalidRequest("'cursor' is not valid: pass the next_cursor of the previous page.")
    items, more = key_store.page_for_workspace(workspace_id, size, cursor)
    return {"api_keys": _ordered(items), "next_cursor": str(items[-1]["id"]) if more else None}


def _ordered(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    now = clock.now()
    views = [records.public(item, now) for item in items]
    views.sort(key=lambda view: view["created_at"], reverse=True)
    views.sort(key=lambda view: view["status"] != records.ACTIVE)
    return views


def find(workspace_id: str, key_id: str) -> dict[str, Any] | None:
    """One key of this workspace as stored (digest included); None for another workspace's id."""
    return key_store.find(workspace_id, key_id) if KEY_ID.match(key_id) else None


def revoke(caller: Caller, key_id: str) -> None:
    """Revoke one key of the caller's workspace; refused on its very next use.

    Another workspace's id is 404. Revoking an already revoked key succeeds quietly.
    """
    record = find(caller.workspace_id, key_id)
    if record is None:
        raise NotFound("No API key with this id in your workspace.")
    now = clock.now()
    expires_at = record.get("expires_at")
    ttl = min(now, expires_at or now) + RETENTION_SECONDS
    if key_store.revoke(record["digest"], caller.workspace_id, now, caller.actor, ttl):
        audit_event("api_key.revoked", caller, key_id)


def audit_event(event_type: str, caller: Caller, key_id: str, **details: str) -> None:
    audit.record(event_type, caller.workspace_id, actor=caller.actor, user_id=caller.user_id,
                 object_id=key_id, ip=caller.ip, user_agent=caller.user_agent, **details)
