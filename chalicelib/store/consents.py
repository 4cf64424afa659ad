"""Remembered consent: what a user allowed a client, one item per user and client.

`CONSENT#<user_id>` / `CLIENT#<client_id>`: scopes (only ever widened by a new
approval), client_name, created_at, updated_at. One query lists a user's consents.
"""

from __future__ import annotations

from typing import Any

from . import db


def _key(user_id: str, client_id: str) -> tuple[str, str]:
    return f"CONSENT#{user_id}", f"CLIENT#{client_id}"


def get(user_id: str, client_id: str) -> dict[str, Any] | None:
    """Consistent: a consent the user just withdrew must not approve the very next request."""
    return db.record(db.get(*_key(user_id, client_id), consistent=True))


def put(user_id: str, client_id: str, client_name: str, scopes: list[str], now: int) -> None:
    # No condition: the user approved these scopes just now; created_at keeps the first approval.
    db.update(*_key(user_id, client_id),
              "SET scopes = :s, client_name = :n, updated_at = :now, client_id = :c, "
              "created_at = if_not_exists(created_at, :now)",
              vals={":s": scopes, ":n": client_name, ":now": now, ":c": client_id})


def delete(user_id: str, client_id: str) -> None:
    db.delete(*_key(user_id, client_id))


def for_user(user_id: str) -> list[dict[str, Any]]:
    return db.records(db.query_all(f"CONSENT#{user_id}", sk_prefix="CLIENT#"))
