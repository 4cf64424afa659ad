"""Read-only lookup of an API key item for token introspection.

The item is `APIKEY#<digest>` / `KEY` (infra/TABLE.md).

Introspection only reads; issuing, listing and revoking keys live in the API-key module.
"""

from __future__ import annotations

from typing import Any

from . import db


def get(digest: str) -> dict[str, Any] | None:
    return db.get(f"APIKEY#{digest}", "KEY", consistent=True)
