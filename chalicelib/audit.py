"""Security audit log: who did what, from where, to which object. Never a secret."""

from __future__ import annotations

import logging
from typing import Any

from . import clock, logs, tokens
from .errors import InvalidRequest, StoreUnavailable
from .settings import get_settings
from .store import audit as audit_store


def record(event_type: str, workspace_id: str, *, actor: str | None = None,
           user_id: str | None = None, object_id: str | None = None, ip: str | None = None,
           user_agent: str | None = None, **details: str) -> None:
    """Append one event. A store failure is logged, not raised: the action already happened."""
    item = pending(event_type, workspace_id, actor=actor, user_id=user_id, object_id=object_id, ip=ip,
                   user_agent=user_agent, **details)
    try:
        audit_store.append(item)
    except StoreUnavailable:
        logs.log("audit_write_failed", logging.ERROR, type=event_type, workspace_id=workspace_id)
    written(item)


def pending(event_type: str, workspace_id: str, *, actor: str | None = None,
            user_id: str | None = None, object_id: str | None = None, ip: str | None = None,
            user_agent: str | None = None, **details: str) -> dict[str, Any]:
    """One event as a store item, for a caller that writes it together with what it records
    (then calls `written`): the event lands exactly when the action does."""
    now_ns = clock.now_ns()
    event: dict[str, Any] = {"id": tokens.new_id("evt_"), "type": event_type,
                             "workspace_id": workspace_id, "actor": actor or user_id,
                             "user_id": user_id, "object_id": object_id, "ip": ip,
                             "user_agent": user_agent, "time": now_ns // 1_000_000_000,
                             "details": details or None}
    return audit_store.item(event, now_ns, get_settings().audit_retention_days * 86400)


def written(item: dict[str, Any]) -> None:
    logs.log("audit", type=item["type"], workspace_id=item["workspace_id"], object_id=item.get("object_id"))


PUBLIC_FIELDS = ("id", "type", "time", "actor", "user_id", "object_id", "ip", "user_agent", "details")


def events(workspace_id: str, limit: int = 50, cursor: str | None = None) -> dict[str, Any]:
    """`{events, next_cursor}`, newest first."""
    if not 1 <= limit <= 200:
        raise InvalidRequest("'limit' must be between 1 and 200.")
    try:
        items, next_cursor = audit_store.page(workspace_id, limit, cursor)
    except ValueError:
        raise InvalidRequest("'cursor' is not valid; use the next_cursor of a previous page.") from None
    return {"events": [{k: item.get(k) for k in PUBLIC_FIELDS} for item in items],
            "next_cursor": next_cursor}
