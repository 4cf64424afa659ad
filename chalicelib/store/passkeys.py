"""Passkeys (WebAuthn credentials) and their one-time challenges (see infra/TABLE.md).

passkey           `USER#<user_id>` / `PASSKEY#<id>`: credential id, COSE public key, sign
                  count, transports, name, created_at, last_used_at
credential guard  `PASSKEYCRED#<sha256(credential id)>` / `PASSKEY`: user_id, passkey id;
                  written with the passkey in one transaction
challenge         `WEBAUTHN#<binding digest>` / `CHALLENGE#<purpose>`: challenge, user_id,
                  expires_at; TTL cleanup only
"""

from __future__ import annotations

import hashlib
from typing import Any

from . import db
from .users import user_key


def _guard_pk(credential_id: bytes) -> str:
    return "PASSKEYCRED#" + hashlib.sha256(credential_id).hexdigest()


def add(record: dict[str, Any], credential_id: bytes) -> bool:
    """Store a new passkey; False when this credential id is registered already (to anyone)."""
    user_id = record["user_id"]
    item = {"pk": f"USER#{user_id}", "sk": f"PASSKEY#{record['id']}", **record}
    guard = {"pk": _guard_pk(credential_id), "sk": "PASSKEY", "user_id": user_id,
             "passkey_id": record["id"]}
    try:
        # WebAuthn L3 §7.1 step 26: a credential id registers once. The guard's
        # `attribute_not_exists` refuses a second registration, also by another account;
        # the user item must still exist (an account deleted meanwhile gets no passkey).
        db.transact([db.put_action(guard, "attribute_not_exists(pk)"),
                     db.put_action(item, "attribute_not_exists(pk)"),
                     db.condition_check(*user_key(user_id), "attribute_exists(pk)")])
    except db.TransactionCanceled:
        return False
    return True


def list_for(user_id: str) -> list[dict[str, Any]]:
    return db.records(db.query_all(f"USER#{user_id}", sk_prefix="PASSKEY#"))


def get(user_id: str, passkey_id: str) -> dict[str, Any] | None:
    return db.record(db.get(f"USER#{user_id}", f"PASSKEY#{passkey_id}", consistent=True))


def owner(credential_id: bytes) -> dict[str, Any] | None:
    """The guard item for a credential id: who registered it, and the passkey's id."""
    return db.record(db.get(_guard_pk(credential_id), "PASSKEY", consistent=True))


def rename(user_id: str, passkey_id: str, name: str) -> bool:
    try:
        db.update(f"USER#{user_id}", f"PASSKEY#{passkey_id}", "SET #n = :name",
                  names={"#n": "name"}, vals={":name": name},
                  condition="attribute_exists(pk)")  # never recreate a removed passkey
    except db.ConditionFailed:
        return False
    return True


def record_use(user_id: str, passkey_id: str, old_count: int, new_count: int, now: int) -> bool:
    """Save the new signature count; False when another sign-in moved it meanwhile."""
    try:
        # WebAuthn L3 §7.2 step 22: the count only grows. `sign_count = :old` makes two
        # sign-ins racing with the same assertion count once; the loser is refused.
        db.update(f"USER#{user_id}", f"PASSKEY#{passkey_id}",
                  "SET sign_count = :new, last_used_at = :now",
                  vals={":old": old_count, ":new": new_count, ":now": now},
                  condition="attribute_exists(pk) AND sign_count = :old")
    except db.ConditionFailed:
        return False
    return True


def remove(user_id: str, passkey_id: str, credential_id: bytes) -> bool:
    """Delete the passkey and its guard; False when it was already gone."""
    try:
        db.transact([
            # Of two racing removals one wins; the other reports "not found".
            db.delete_action(f"USER#{user_id}", f"PASSKEY#{passkey_id}", "attribute_exists(pk)"),
            db.delete_action(_guard_pk(credential_id), "PASSKEY"),
        ])
    except db.TransactionCanceled:
        return False
    return True


def put_challenge(binding: str, purpose: str, record: dict[str, Any]) -> None:
    """Store (or replace) the challenge for this session or pending sign-in and purpose:
    asking for new options voids the previous challenge of the same kind."""
    db.put({"pk": f"WEBAUTHN#{binding}", "sk": f"CHALLENGE#{purpose}",
            "ttl": record["expires_at"], **record})


def take_challenge(binding: str, purpose: str, now: int) -> dict[str, Any] | None:
    """The live challenge, removed so it works once; None when absent, expired or taken."""
    record = db.get(f"WEBAUTHN#{binding}", f"CHALLENGE#{purpose}", consistent=True)
    if record is None or record["expires_at"] <= now:
        return None
    try:
        # Single use: of two requests answering the same challenge, one deletes it and the
        # other finds it gone (or replaced by a newer challenge: `challenge = :c`).
        db.delete(f"WEBAUTHN#{binding}", f"CHALLENGE#{purpose}",
                  condition="challenge = :c AND expires_at > :now",
                  vals={":c": record["challenge"], ":now": now})
    except db.ConditionFailed:
        return None
    return db.record(record)
