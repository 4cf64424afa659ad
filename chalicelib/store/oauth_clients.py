"""OAuth clients, and the links from a client to the grants issued to it (see infra/TABLE.md).

The client item is `CLIENT#<client_id>` / `CLIENT`, listed per workspace through
gsi1 (`WORKSPACE#<ws>` / `CLIENT#<client_id>`). Each grant adds a link item
`CLIENT#<client_id>` / `GRANT#<grant_id>` in the same transaction that creates
it, so deleting a client can find and revoke every grant it holds.
"""

from __future__ import annotations

from typing import Any

from . import db

SORT = "CLIENT"


def _pk(client_id: str) -> str:
    return f"CLIENT#{client_id}"


def put(client: dict[str, Any]) -> None:
    item = {"pk": _pk(client["client_id"]), "sk": SORT,
            "gsi1pk": f"WORKSPACE#{client['workspace_id']}", "gsi1sk": f"CLIENT#{client['client_id']}",
            **client}
    # A random 95-bit id never collides; the condition makes overwriting a client impossible.
    db.put(item, "attribute_not_exists(pk)")


def get(client_id: str) -> dict[str, Any] | None:
    """Consistent: a deleted client must stop working on the very next request."""
    return db.record(db.get(_pk(client_id), SORT, consistent=True))


def for_workspace(workspace_id: str) -> list[dict[str, Any]]:
    return db.records(db.query_all(f"WORKSPACE#{workspace_id}", index=db.GSI1, sk_prefix="CLIENT#"))


def mark_deleted(client_id: str, workspace_id: str, now: int) -> dict[str, Any] | None:
    """Soft-delete and drop from the workspace listing; None when absent, foreign or already deleted."""
    try:
        deleted = db.update(_pk(client_id), SORT, "SET deleted_at = :now REMOVE gsi1pk, gsi1sk",
                            vals={":now": now, ":ws": workspace_id},
                            # Only a live client of the caller's own workspace: another workspace's
                            # id behaves as absent, and a second delete changes nothing.
                            condition="attribute_exists(pk) AND workspace_id = :ws "
                                      "AND attribute_not_exists(deleted_at)",
                            return_values="ALL_NEW")
    except db.ConditionFailed:
        return None
    return db.record(deleted)


def grant_link(client_id: str, grant_id: str, expires_at: int) -> dict[str, Any]:
    """The item that lists a grant under its client, so deleting the client revokes it."""
    return {"pk": _pk(client_id), "sk": f"GRANT#{grant_id}", "grant_id": grant_id, "ttl": expires_at}


def grant_ids(client_id: str) -> list[str]:
    return [item["grant_id"] for item in db.query_all(_pk(client_id), sk_prefix="GRANT#")]


# Client secrets live in the client item's `secrets` map (`{secret_id: {digest, created_at,
# last_used_at}}`), so authenticating a client stays one read.
MAX_SECRETS = 2


def add_secret(client_id: str, workspace_id: str, secret_id: str, entry: dict[str, Any]) -> bool:
    """Add a secret to a live client of this workspace; False when absent, foreign or full."""
    try:
        db.update(_pk(client_id), SORT, "SET secrets.#s = :e", names={"#s": secret_id},
                  vals={":e": entry, ":ws": workspace_id, ":max": MAX_SECRETS},
                  # Only a live client of the caller's workspace, and never more than MAX_SECRETS
                  # at once: rotation is "add one, then delete the old", not an unbounded list.
                  condition="attribute_exists(pk) AND workspace_id = :ws "
                            "AND attribute_not_exists(deleted_at) AND size(secrets) < :max")
    except db.ConditionFailed:
        return False
    return True


def remove_secret(client_id: str, workspace_id: str, secret_id: str) -> bool:
    """Delete one secret; False when absent, foreign, or the client's only secret."""
    try:
        db.update(_pk(client_id), SORT, "REMOVE secrets.#s", names={"#s": secret_id},
                  vals={":ws": workspace_id, ":one": 1},
                  # The secret must exist and not be the last one: a confidential client
                  # without any secret could never authenticate again.
                  condition="attribute_exists(secrets.#s) AND workspace_id = :ws "
                            "AND attribute_not_exists(deleted_at) AND size(secrets) > :one")
    except db.ConditionFailed:
        return False
    return True


def touch_secret(client_id: str, secret_id: str, now: int) -> None:
    """Record when a secret was last used (best effort: a race loses one timestamp)."""
    try:
        db.update(_pk(client_id), SORT, "SET secrets.#s.last_used_at = :now", names={"#s": secret_id},
                  vals={":now": now},
                  # Never recreate a secret deleted since our read.
                  condition="attribute_exists(secrets.#s)")
    except db.ConditionFailed:
        pass


def replace_legacy_hash(client_id: str, secret_id: str, entry: dict[str, Any]) -> None:
    """Swap a pre-SHA-256 Argon2 `secret_hash` for a digest entry after one successful check."""
    try:
        db.update(_pk(client_id), SORT, "SET secrets = :m REMOVE secret_hash",
                  vals={":m": {secret_id: entry}},
                  # Only while the legacy hash is still there: a concurrent migration wins once.
                  condition="attribute_exists(secret_hash) AND attribute_not_exists(secrets)")
    except db.ConditionFailed:
        pass


def touch_token(client_id: str, now: int) -> None:
    """When the client last got a token for itself (client_credentials), for the admin's list."""
    try:
        db.update(_pk(client_id), SORT, "SET last_token_at = :now", vals={":now": now},
                  # Never recreate a deleted client's item.
                  condition="attribute_exists(pk) AND attribute_not_exists(deleted_at)")
    except db.ConditionFailed:
        pass


def revoke_jti(client_id: str, jti: str) -> None:
    """Refuse one of the client's own access tokens from now on (RFC 7009 §2.1)."""
    try:
        db.update(_pk(client_id), SORT, "ADD revoked_jtis :jti", vals={":jti": {jti}},
                  # Only an existing client: never create a stub item.
                  condition="attribute_exists(pk)")
    except db.ConditionFailed:
        pass
