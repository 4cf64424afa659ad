"""The TaskForge API's tasks, strictly per workspace.

Every function takes the caller's workspace id (from the authorizer, never from
the request), so another workspace's task is indistinguishable from one that
does not exist: 404 either way.
"""

from __future__ import annotations

import re
from typing import Any

from . import clock, tokens, validation
from .errors import InvalidRequest, NotFound
from .store import tasks as task_store

FIELDS = ("title", "done")
PUBLIC_FIELDS = ("id", "title", "done", "created_at", "updated_at")
MAX_TITLE = 500
DEFAULT_LIMIT, MAX_LIMIT = 50, 100
_TASK_ID = re.compile(r"^tsk_[0-9A-Za-z]{16}$")


def new_task_id() -> str:
    """Time-ordered (8 base62 digits of epoch milliseconds, then 8 random) so lists sort by age."""
    return "tsk_" + tokens.base62(clock.now_ns() // 1_000_000, 8) + tokens.random_base62(8)


def create(workspace_id: str, body: dict[str, Any]) -> dict[str, Any]:
    validation.known_fields(body, FIELDS)
    now = clock.now()
    task = {"id": new_task_id(), "title": _title(body, required=True),
            "done": bool(validation.boolean(body, "done")), "created_at": now, "updated_at": now}
    task_store.put(workspace_id, task)
    return _public(task)


def get(workspace_id: str, task_id: str) -> dict[str, Any]:
    task = task_store.get(workspace_id, task_id) if _TASK_ID.match(task_id) else None
    if task is None:
        raise _not_found()
    return _public(task)


def page(workspace_id: str, limit: str | None, cursor: str | None) -> dict[str, Any]:
    """`{tasks, next_cursor}`, newest first; `next_cursor` is null on the last page."""
    size = validation.integer({"limit": limit}, "limit", 1, MAX_LIMIT) or DEFAULT_LIMIT
    if cursor is not None and not _TASK_ID.match(cursor):
        raise InvalidRequest("'cursor' is not valid: pass the next_cursor of the previous page.")
    items, next_cursor = task_store.page(workspace_id, size, cursor)
    return {"tasks": [_public(item) for item in items], "next_cursor": next_cursor}


def update(workspace_id: str, task_id: str, body: dict[str, Any]) -> dict[str, Any]:
    validation.known_fields(body, FIELDS)
    changes: dict[str, Any] = {}
    if body.get("title") is not None:
        changes["title"] = _title(body, required=False)
    done = validation.boolean(body, "done")
    if done is not None:
        changes["done"] = done
    if not changes:
        raise InvalidRequest("Send 'title' and/or 'done' to change.")
    changes["updated_at"] = clock.now()
    task = task_store.update(workspace_id, task_id, changes) if _TASK_ID.match(task_id) else None
    if task is None:
        raise _not_found()
    return _public(task)


def delete(workspace_id: str, task_id: str) -> None:
    if not (_TASK_ID.match(task_id) and task_store.delete(workspace_id, task_id)):
        raise _not_found()


def _title(body: dict[str, Any], required: bool) -> str:
    title = validation.text(body, "title", max_len=MAX_TITLE, required=required) or ""
    if not title.strip():
        raise InvalidRequest("'title' must not be blank.")
    return title


def _public(task: dict[str, Any]) -> dict[str, Any]:
    return {name: task.get(name) for name in PUBLIC_FIELDS}


def _not_found() -> NotFound:
    return NotFound("No task with this id in your workspace.")
