"""Authorization codes, keyed by the SHA-256 digest of the code (see infra/TABLE.md).

A code is redeemed by one conditional UpdateItem that sets `used_at` and the grant id
under `attribute_not_exists(used_at)`: that condition is what makes a code single-use
(RFC 6749 §4.1.2), and the same write reads the code, so an exchange reads it no other way.
"""

from __future__ import annotations

from typing import Any

from ..errors import StoreUnavailable
from . import db

SORT = "CODE"
CLEANUP_SECONDS = 3600


def _pk(digest: str) -> str:
    return f"CODE#{digest}"


def put(record: dict[str, Any]) -> None:
    # The record outlives its 60 s validity (TTL is cleanup only): a replay after
    # expiry must still find `grant_id` to revoke what the code issued.
    item = {"pk": _pk(record["digest"]), "sk": SORT,
            "ttl": record["expires_at"] + CLEANUP_SECONDS, **record}
    # A fresh 256-bit code never collides; the condition makes that an invariant.
    db.put(item, "attribute_not_exists(pk)")


def get(digest: str) -> dict[str, Any] | None:
    return db.record(db.get(_pk(digest), SORT, consistent=True))


def redeem(digest: str, grant_id: str, now: int,
           binding: dict[str, Any]) -> tuple[bool, dict[str, Any] | None]:
    """Mark the code used by `grant_id` if it is unused, unexpired and `binding` holds.

    `binding` is what the token request must match: `client_id`, `redirect_uri` (None when
    the request sent none) and `code_challenge` (what the request's verifier hashes to, or
    None without a verifier). `(True, the code's record)` when redeemed, else `(False,
    the record as it was, or None)`: the caller tells why from it. Nothing is written
    unless every binding holds, so a wrong verifier does not use the code up.
    """
    vals: dict[str, Any] = {":now": now, ":grant": grant_id, ":client": binding["client_id"]}
    condition = ("attribute_exists(pk) AND attribute_not_exists(used_at) AND expires_at > :now "
                 "AND client_id = :client")
    if binding["redirect_uri"] is None:
        condition += " AND redirect_uri_given = :false"
        vals[":false"] = False
    else:
        condition += " AND redirect_uri = :uri"
        vals[":uri"] = binding["redirect_uri"]
    if binding["code_challenge"] is None:
        condition += " AND attribute_not_exists(code_challenge)"
    else:
        condition += " AND code_challenge = :challenge"
        vals[":challenge"] = binding["code_challenge"]
    try:
        record = db.update(_pk(digest), SORT, "SET used_at = :now, grant_id = :grant", vals=vals,
                           condition=condition, return_values="ALL_NEW")
    except db.ConditionFailed as lost:
        return False, db.record(lost.old) if lost.old else None
    return True, db.record(record or {})


def release(digest: str, grant_id: str) -> bool:
    """Undo `redeem` by `grant_id` whose grant could not be stored, so the code still works;
    False when it could not be undone (the code then stays used: fail closed)."""
    try:
        db.update(_pk(digest), SORT, "REMOVE used_at, grant_id", vals={":grant": grant_id},
                  condition="grant_id = :grant")
    except (db.ConditionFailed, StoreUnavailable):
        return False
    return True
