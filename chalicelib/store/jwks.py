"""The published JWKS: the public half of the signing keys, where the authorizer reads it.

`JWKS` / `PUBLIC`: `keys` (RFC 7517 JWKs: kty, crv, x, y, kid, use, alg), `updated_at`.
Only public keys, so the table may hold them; the private keys stay in Secrets Manager.
A JWT authorizer's cold start reads this item with the DynamoDB client it already has,
instead of creating a Secrets Manager client (~40 ms) to fetch the private keys.
"""

from __future__ import annotations

from typing import Any

from . import db

PK, SORT = "JWKS", "PUBLIC"


def get(consistent: bool = False) -> list[dict[str, Any]] | None:
    """The published keys, or None before bootstrap published any."""
    item = db.get(PK, SORT, consistent=consistent)
    return list(item["keys"]) if item else None


def put(keys: list[dict[str, Any]], now: int) -> None:
    # Unconditional: publishing is an operator action (bootstrap, rotation), and the
    # secret it mirrors is the source of truth; the last publication wins.
    db.put({"pk": PK, "sk": SORT, "keys": keys, "updated_at": now})
