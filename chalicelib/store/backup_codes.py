"""Backup codes: `USER#<user_id>` / `BACKUP#<code_id>`, one item per code (see infra/TABLE.md)."""

from __future__ import annotations

from typing import Any

from . import db

PREFIX = "BACKUP#"


def item(user_id: str, code_id: str, set_id: str, secret_hash: str, now: int) -> dict[str, Any]:
    return {"pk": f"USER#{user_id}", "sk": f"{PREFIX}{code_id}", "user_id": user_id,
            "code_id": code_id, "set_id": set_id, "secret_hash": secret_hash, "created_at": now}


def get(user_id: str, code_id: str) -> dict[str, Any] | None:
    return db.record(db.get(f"USER#{user_id}", f"{PREFIX}{code_id}", consistent=True))


def spend(user_id: str, code_id: str, set_id: str, now: int) -> bool:
    """Mark a code used; False when it was used meanwhile or its set was replaced."""
    try:
        # Single use: `attribute_not_exists(used_at)` lets exactly one of two racing
        # requests spend the code; `set_id = :set` refuses codes of a voided set.
        db.update(f"USER#{user_id}", f"{PREFIX}{code_id}", "SET used_at = :now",
                  vals={":now": now, ":set": set_id},
                  condition="attribute_exists(pk) AND attribute_not_exists(used_at) AND set_id = :set")
    except db.ConditionFailed:
        return False
    return True


def _items(user_id: str) -> list[dict[str, Any]]:
    return db.query_all(f"USER#{user_id}", sk_prefix=PREFIX)


def for_user(user_id: str) -> list[dict[str, Any]]:
    return db.records(_items(user_id))


def delete_other_sets(user_id: str, keep_set: str | None) -> None:
    """Remove codes of sets other than `keep_set` (they are already void: cleanup only)."""
    for code in _items(user_id):
        if code.get("set_id") == keep_set:
            continue
        try:
            # Only the old code: a new code that reused this id belongs to `keep_set`.
            db.delete(code["pk"], code["sk"], condition="set_id = :old",
                      vals={":old": code.get("set_id")})
        except db.ConditionFailed:
            pass
