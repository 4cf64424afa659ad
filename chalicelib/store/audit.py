"""Audit events: append-only, per workspace, newest first, expired by TTL."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from . import db

_SORT = re.compile(r"^[0-9]{20}#evt_[0-9A-Za-z]{1,64}$")  # what `append` writes as sk


def item(event: dict[str, Any], time_ns: int, retention_seconds: int) -> dict[str, Any]:
    """The event as stored; its key (time, then a fresh random id) is never written twice."""
    sort = f"{time_ns:020d}#{event['id']}"
    stored = {"pk": f"AUDIT#{event['workspace_id']}", "sk": sort,
              "ttl": time_ns // 1_000_000_000 + retention_seconds, **event}
    if event.get("user_id"):
        stored.update({"gsi1pk": f"USER#{event['user_id']}", "gsi1sk": f"AUDIT#{sort}"})
    return stored


def append(stored: dict[str, Any]) -> None:
    """Write an event `item` built; append-only: an event is never overwritten."""
    db.put(stored, "attribute_not_exists(pk)")


def page(workspace_id: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """One page, newest first; the cursor is an opaque encoding of the last key.

    Raises ValueError for a cursor that is not one we issued for this workspace.
    """
    start = _decode(cursor) if cursor else None
    if cursor and (start is None or start["pk"] != f"AUDIT#{workspace_id}"):
        raise ValueError("bad cursor")
    items, last = db.query(f"AUDIT#{workspace_id}", limit=limit, forward=False, start=start)
    return items, _encode(last) if last else None


def cursor_after(item: dict[str, Any]) -> str:
    """The cursor of the page that starts right after `item` (an item `page` returned)."""
    return _encode({"pk": item["pk"], "sk": item["sk"]})


def _encode(key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode()


def _decode(cursor: str) -> dict[str, Any] | None:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
    except (ValueError, UnicodeError):
        return None
    if not isinstance(key, dict) or set(key) != {"pk", "sk"}:
        return None
    if not all(isinstance(v, str) for v in key.values()) or not _SORT.match(key["sk"]):
        return None
    return key
