"""New keys waiting to be shown once (POST-redirect-GET on Settings → API; see infra/TABLE.md).

`REVEAL#<id>` / `REVEAL`: the sealed (AES-GCM) answer of a key creation, bound to the browser
session that made it, expiring within minutes. Taking it deletes it.
"""

from __future__ import annotations

from . import db
from .codec import from_item


def put(reveal_id: str, session_id: str, sealed: str, expires_at: int) -> None:
    # A fresh random id: the condition only guards against a (practically impossible) reuse.
    db.put({"pk": f"REVEAL#{reveal_id}", "sk": "REVEAL", "session_id": session_id, "sealed": sealed,
            "expires_at": expires_at, "ttl": expires_at}, "attribute_not_exists(pk)")


def take(reveal_id: str, session_id: str, now: int) -> str | None:
    """The sealed answer, once: deleted under a condition, so two reloads cannot both get it."""
    try:
        answer = db.call("delete_item", TableName=db.table(), Key=db.key(f"REVEAL#{reveal_id}", "REVEAL"),
                         ConditionExpression="session_id = :s AND expires_at > :now",
                         ExpressionAttributeValues=db.values({":s": session_id, ":now": now}),
                         ReturnValues="ALL_OLD")
    except db.ConditionFailed:
        return None  # gone already, expired, or another session's
    item = from_item(answer.get("Attributes") or {})
    return str(item["sealed"]) if item.get("sealed") else None
