"""API keys, keyed by the SHA-256 digest of the key (see infra/TABLE.md).

The authorizer's whole store cost is `get`: one consistent GetItem on the key's
own item. Listing and revocation go through gsi1 (`WORKSPACE#<ws>` /
`APIKEY#<id>`), so a key id only ever resolves inside its own workspace.
"""

from __future__ import annotations

from typing import Any

from ..errors import StoreUnavailable
from . import db

SORT = "KEY"


def _pk(digest: str) -> str:
    return f"APIKEY#{digest}"


def put(record: dict[str, Any], ttl: int | None) -> None:
    item = {"pk": _pk(record["digest"]), "sk": SORT,
            "gsi1pk": f"WORKSPACE#{record['workspace_id']}", "gsi1sk": f"APIKEY#{record['id']}",
            "ttl": ttl, **record}
    try:
        # A fresh 190-bit key never collides; the condition makes overwriting one impossible.
        db.put(item, "attribute_not_exists(pk)")
    except (db.ConditionFailed, StoreUnavailable):
        # The answer to a put that landed was lost (and botocore's retry then found the item):
        # the key is stored if its item holds this very id; otherwise the failure stands.
        if (get(record["digest"]) or {}).get("id") != record["id"]:
            raise


def get(digest: str) -> dict[str, Any] | None:
    """The one read of an authorizer decision. Consistent, so a revocation is seen at once."""
    return db.record(db.get(_pk(digest), SORT, consistent=True))


def get_many(digests: list[str]) -> dict[str, dict[str, Any]]:
    """Consistent reads of many keys at once (secret scanning reports), by digest."""
    items = db.batch_get([(_pk(digest), SORT) for digest in digests], consistent=True)
    return {item["digest"]: db.record(item) for item in items}


def for_workspace(workspace_id: str) -> list[dict[str, Any]]:
    return db.records(db.query_all(f"WORKSPACE#{workspace_id}", index=db.GSI1, sk_prefix="APIKEY#"))


def page_for_workspace(workspace_id: str, limit: int,
                       after: str | None) -> tuple[list[dict[str, Any]], bool]:
    """Up to `limit` keys in key-id order after the key id `after`, and whether more follow.

    The cursor is the public key id, never a table key (those hold the key's digest): the
    range starts at `after` itself, which is dropped. One extra item is read so that a
    full last page does not promise a next one.
    """
    low = f"APIKEY#{after}" if after else "APIKEY#"
    items, last = db.query(f"WORKSPACE#{workspace_id}", index=db.GSI1, limit=limit + 2,
                           sk_range=(low, "APIKEY$"))  # "$" sorts right after "#": the prefix's end
    items = [db.record(item) for item in items if item.get("id") != after]
    more = len(items) > limit or (last is not None and bool(items))
    return items[:limit], more


def find(workspace_id: str, key_id: str) -> dict[str, Any] | None:
    """The key with this id in this workspace; another workspace's id is simply absent."""
    items, _ = db.query(f"WORKSPACE#{workspace_id}", index=db.GSI1, sk_prefix=f"APIKEY#{key_id}")
    return next((db.record(item) for item in items if item.get("id") == key_id), None)


def revoke(digest: str, workspace_id: str, now: int, revoked_by: str, ttl: int) -> bool:
    """Mark the key revoked; False when it already was (so only one caller records it)."""
    try:
        db.update(_pk(digest), SORT, "SET revoked_at = :now, revoked_by = :by, #t = :ttl",
                  names={"#t": "ttl"},
                  vals={":now": now, ":by": revoked_by, ":ttl": ttl, ":ws": workspace_id},
                  # Exists, belongs to this workspace, and not yet revoked: a second
                  # revocation must not overwrite who revoked it and when.
                  condition="attribute_exists(pk) AND workspace_id = :ws "
                            "AND attribute_not_exists(revoked_at)")
    except db.ConditionFailed:
        return False
    return True


def revoke_leaked(digest: str, now: int, revoked_by: str, url: str, source: str, ttl: int) -> bool:
    """Mark the key revoked because it was found in public, with where; False if already revoked."""
    try:
        db.update(_pk(digest), SORT,
                  "SET revoked_at = :now, revoked_by = :by, revoked_reason = :why, "
                  "leak_url = :url, leak_source = :src, #t = :ttl",
                  names={"#t": "ttl"},
                  vals={":now": now, ":by": revoked_by, ":why": "leaked", ":url": url,
                        ":src": source, ":ttl": ttl},
                  # Exists and not yet revoked: a second report of the same key (or a user's
                  # revocation that landed first) keeps the first revocation's time and reason.
                  condition="attribute_exists(pk) AND attribute_not_exists(revoked_at)")
    except db.ConditionFailed:
        return False
    return True


def touch(digest: str, now: int, min_interval: int = 60, ip: str | None = None,
          user_agent: str | None = None) -> None:
    """Record use (when, and from where if known) at most once a minute: the condition turns
    every other write into a no-op. Unknown IP or user agent leave the stored ones as they are."""
    sets = ["last_used_at = :now"]
    vals: dict[str, Any] = {":now": now, ":edge": now - min_interval}
    if ip:
        sets.append("last_used_ip = :ip")
        vals[":ip"] = ip
    if user_agent:
        sets.append("last_used_user_agent = :ua")
        vals[":ua"] = user_agent
    try:
        db.update(_pk(digest), SORT, "SET " + ", ".join(sets), vals=vals,
                  condition="attribute_exists(pk) AND "
                            "(attribute_not_exists(last_used_at) OR last_used_at < :edge)")
    except db.ConditionFailed:
        pass


def roll(new: dict[str, Any], new_ttl: int | None, old_digest: str, old_expires_at: int,
         old_ttl: int) -> bool:
    """Store the successor and schedule the old key's expiry together; False if the old
    key was revoked or rolled by someone else first."""
    item = {"pk": _pk(new["digest"]), "sk": SORT, "gsi1pk": f"WORKSPACE#{new['workspace_id']}",
            "gsi1sk": f"APIKEY#{new['id']}", "ttl": new_ttl, **new}
    try:
        db.transact([
            db.put_action(item, "attribute_not_exists(pk)"),
            db.update_action(_pk(old_digest), SORT, "SET expires_at = :exp, rolled_to = :new, #t = :ttl",
                             names={"#t": "ttl"},
                             vals={":exp": old_expires_at, ":new": new["id"], ":ttl": old_ttl,
                                   ":ws": new["workspace_id"]},
                             # Still this workspace's, not revoked, not already rolled: a key
                             # is rolled once, and a revocation is never undone by a roll.
                             condition="attribute_exists(pk) AND workspace_id = :ws AND "
                                       "attribute_not_exists(revoked_at) AND "
                                       "attribute_not_exists(rolled_to)"),
        ])
    except db.TransactionCanceled:
        return False
    return True
