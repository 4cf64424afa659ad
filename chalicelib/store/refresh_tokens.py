"""Records of refresh tokens of the older format, keyed by the SHA-256 digest of the token.

Tokens issued now lead to their grant through their family (`oauth.refresh_tokens`) and
have no record. A grant created before that keeps its tokens' records: rotating one
writes its successor's record with the grant's update (store/grants.rotate), until the
grant expires. A record maps a token to its grant (`grant_id`); whether the token is
current is the grant's `refresh_digest` alone.
"""

from __future__ import annotations

from typing import Any

from . import db

SORT = "REFRESH"


def _pk(digest: str) -> str:
    return f"REFRESH#{digest}"


def _item(record: dict[str, Any]) -> dict[str, Any]:
    return {"pk": _pk(record["digest"]), "sk": SORT, "ttl": record["expires_at"], **record}


def put_action(record: dict[str, Any]) -> dict[str, Any]:
    # A fresh 190-bit token never collides; the condition makes that an invariant.
    return db.put_action(_item(record), "attribute_not_exists(pk)")


def get(digest: str) -> dict[str, Any] | None:
    return db.record(db.get(_pk(digest), SORT, consistent=True))


def get_many(digests: list[str]) -> dict[str, dict[str, Any]]:
    """Consistent reads of many tokens at once (secret scanning reports), by digest."""
    items = db.batch_get([(_pk(digest), SORT) for digest in digests], consistent=True)
    return {item["digest"]: db.record(item) for item in items}

