"""Client secrets: SHA-256 digests checked in constant time, and rotation without downtime.

A secret (`tfs_` + 190 random bits + checksum) is high-entropy, so a SHA-256
digest is as safe to store as an Argon2 hash and costs microseconds per token
request instead of ~50 ms of Argon2 (CONTRACT "Credentials"). A client holds
at most two secrets: rotation adds a second one, both work, and deleting the
old one ends it (and the client_credentials tokens it obtained).

Clients registered before digests were used keep an Argon2 `secret_hash`;
their first successful authentication replaces it with a digest entry.
"""

from __future__ import annotations

from typing import Any

from .. import audit, clock, tokens
from ..credentials import CLIENT_SECRETS
from ..errors import Conflict, NotFound
from ..store import oauth_clients as client_store

TOUCH_SECONDS = 60  # last_used_at is precise to a minute: at most one write per secret per minute


def new_entry(now: int) -> tuple[str, str, dict[str, Any]]:
    """A new secret (returned once), its id, and the entry stored for it."""
    secret = CLIENT_SECRETS.new()
    return secret, tokens.new_id("sec_"), {"digest": CLIENT_SECRETS.digest(secret), "created_at": now}


def views(client: dict[str, Any]) -> list[dict[str, Any]]:
    """The secrets as the owner sees them: id and dates, never the digest."""
    entries = client.get("secrets") or {}
    return sorted(({"secret_id": sid, "created_at": e["created_at"], "last_used_at": e.get("last_used_at")}
                   for sid, e in entries.items()), key=lambda v: (v["created_at"], v["secret_id"]))


def verify(client: dict[str, Any], presented: str) -> str | None:
    """The id of the secret that matches `presented`, or None.

    Every stored digest is compared (tokens.same, constant time), with no early
    exit, so the time taken does not say which secret, if any, was close.
    """
    if not CLIENT_SECRETS.well_formed(presented):
        return None  # the checksum refuses typos and guesses without any comparison
    digest, found = CLIENT_SECRETS.digest(presented), None
    for secret_id, entry in sorted((client.get("secrets") or {}).items()):
        if tokens.same(entry["digest"], digest) and found is None:
            found = secret_id
    if found is None and client.get("secret_hash"):
        return _legacy(client, presented)
    if found is not None:
        _touch(client, found)
    return found


def _legacy(client: dict[str, Any], presented: str) -> str | None:
    from .. import hashing

    if not hashing.verify(client["secret_hash"], presented):
        return None
    secret_id = tokens.new_id("sec_")
    now = clock.now()
    client_store.replace_legacy_hash(client["client_id"], secret_id,
                                     {"digest": tokens.digest(presented), "created_at": client["created_at"],
                                      "last_used_at": now})
    return secret_id


def _touch(client: dict[str, Any], secret_id: str) -> None:
    now = clock.now()
    last = (client["secrets"][secret_id].get("last_used_at") or 0)
    if now - last >= TOUCH_SECONDS:
        client_store.touch_secret(client["client_id"], secret_id, now)


def _owned(workspace_id: str, client_id: str) -> dict[str, Any]:
    record = client_store.get(client_id) if client_id.startswith("cli_") and len(client_id) <= 40 else None
    if record is None or record.get("deleted_at") or record["workspace_id"] != workspace_id:
        raise NotFound("No such OAuth client.")
    return record


def add(workspace_id: str, client_id: str, actor: str, user_id: str | None = None) -> dict[str, Any]:
    """A second secret for the client: `{secret_id, client_secret, created_at}`, the secret only here."""
    record = _owned(workspace_id, client_id)
    if record.get("secret_hash") and not record.get("secrets"):
        raise Conflict("secret_upgrade_pending", "Use the current client secret once at the token "
                       "endpoint (it is upgraded on first use), then add a new one.")
    if "secrets" not in record:
        raise Conflict("no_client_secret", "This client has no secret: it is public or uses private_key_jwt.")
    now = clock.now()
    secret, secret_id, entry = new_entry(now)
    if not client_store.add_secret(client_id, workspace_id, secret_id, entry):
        raise Conflict("too_many_secrets", f"A client has at most {client_store.MAX_SECRETS} secrets: "
                       "delete the old one first.")
    audit.record("oauth.client_secret_added", workspace_id, actor=actor, user_id=user_id,
                 object_id=client_id, secret_id=secret_id)
    return {"secret_id": secret_id, "client_secret": secret, "created_at": now}


def delete(workspace_id: str, client_id: str, secret_id: str, actor: str, user_id: str | None = None) -> None:
    """Delete one secret; it stops working at once, as do client_credentials tokens it obtained."""
    record = _owned(workspace_id, client_id)
    if secret_id not in (record.get("secrets") or {}):
        raise NotFound("No such client secret.")
    if len(record["secrets"]) < 2 or not client_store.remove_secret(client_id, workspace_id, secret_id):
        raise Conflict("last_client_secret", "This is the client's only secret: add a new one first.")
    audit.record("oauth.client_secret_deleted", workspace_id, actor=actor, user_id=user_id,
                 object_id=client_id, secret_id=secret_id)
