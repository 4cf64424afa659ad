"""Which public clients registered redirect URIs on an origin: `ORIGIN#<origin>` / `ORIGIN`.

A CORS preflight carries no body, so no client_id: this index is how a preflight
from a browser origin is answered (one read). `client_ids` is a string set changed
by ADD / DELETE, so concurrent registrations on one origin never overwrite each other.
"""

from __future__ import annotations

from . import db

SORT = "ORIGIN"


def _pk(origin: str) -> str:
    return f"ORIGIN#{origin}"


def add(origin: str, client_id: str) -> None:
    db.update(_pk(origin), SORT, "ADD client_ids :c", vals={":c": {client_id}})


def remove(origin: str, client_id: str) -> None:
    db.update(_pk(origin), SORT, "DELETE client_ids :c", vals={":c": {client_id}})


def registered(origin: str) -> bool:
    item = db.get(_pk(origin), SORT)
    return bool(item and item.get("client_ids"))
