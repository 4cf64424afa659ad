"""Tasks: `WORKSPACE#<ws>` / `TASK#<id>` (see infra/TABLE.md).

Every operation takes the workspace and builds the partition key from it, so a
task id of another workspace addresses an item that does not exist here.
"""

from __future__ import annotations

from typing import Any

from . import db

PREFIX = "TASK#"


def _key(workspace_id: str, task_id: str) -> tuple[str, str]:
    return f"WORKSPACE#{workspace_id}", f"{PREFIX}{task_id}"


def put(workspace_id: str, task: dict[str, Any]) -> None:
    pk, sk = _key(workspace_id, task["id"])
    # Ids are random: the condition guarantees a create never replaces a task.
    db.put({"pk": pk, "sk": sk, **task}, "attribute_not_exists(pk)")


def get(workspace_id: str, task_id: str) -> dict[str, Any] | None:
    return db.record(db.get(*_key(workspace_id, task_id), consistent=True))


def page(workspace_id: str, limit: int, after: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """Up to `limit` tasks, newest first, after the task id `after`; and the last id if more follow.

    One extra item is read so that a full last page does not hand out a cursor to an empty one.
    """
    pk = f"WORKSPACE#{workspace_id}"
    start = {"pk": pk, "sk": f"{PREFIX}{after}"} if after else None
    items, last = db.query(pk, sk_prefix=PREFIX, limit=limit + 1, forward=False, start=start)
    more = len(items) > limit or (last is not None and bool(items))
    items = db.records(items[:limit])
    return items, (str(items[-1]["id"]) if more else None)


def update(workspace_id: str, task_id: str, fields: dict[str, Any]) -> dict[str, Any] | None:
    """Set fields of an existing task; None when there is no such task in this workspace."""
    names = {f"#f{i}": name for i, name in enumerate(fields)}
    vals = {f":v{i}": value for i, value in enumerate(fields.values())}
    expression = "SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(fields)))
    try:
        # attribute_exists: an update must never create a task (UpdateItem would upsert).
        return db.record(db.update(*_key(workspace_id, task_id), expression, names, vals,
                                   condition="attribute_exists(pk)", return_values="ALL_NEW"))
    except db.ConditionFailed:
        return None


def count(workspace_id: str) -> int:
    return len(db.query_all(f"WORKSPACE#{workspace_id}", sk_prefix=PREFIX))


def delete_all(workspace_id: str) -> None:
    """Every task of the workspace (its last member is leaving)."""
    for task in db.query_all(f"WORKSPACE#{workspace_id}", sk_prefix=PREFIX):
        db.delete(task["pk"], task["sk"])


def delete(workspace_id: str, task_id: str) -> bool:
    """False when there was no such task (so a second DELETE answers 404)."""
    try:
        db.delete(*_key(workspace_id, task_id), condition="attribute_exists(pk)")
    except db.ConditionFailed:
        return False
    return True
