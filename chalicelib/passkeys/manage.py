"""Listing, renaming and removing passkeys, and the notices for added and removed ones."""

from __future__ import annotations

from typing import Any

from .. import audit
from ..caller import Caller
from ..errors import InvalidRequest, NotFound
from ..mailer import notices
from ..store import passkeys as store

MAX_NAME = 64


def clean_name(value: Any, required: bool = True) -> str | None:
    if value is None or (value == "" and not required):
        if required:
            raise InvalidRequest("'name' is required.")
        return None
    if not isinstance(value, str):
        raise InvalidRequest("'name' must be a string.")
    name = " ".join(value.split())
    # Control characters and lone surrogates (JSON "\ud800") have no place in a label.
    if not 1 <= len(name) <= MAX_NAME or any(ord(c) < 0x20 or ord(c) == 0x7F or 0xD800 <= ord(c) <= 0xDFFF
                                             for c in name):
        raise InvalidRequest(f"'name' must be 1 to {MAX_NAME} printable characters.")
    return name


def public(record: dict[str, Any]) -> dict[str, Any]:
    """What the list shows: never the public key or the credential id's bytes."""
    return {"id": record["id"], "name": record["name"], "created_at": record["created_at"],
            "last_used_at": record.get("last_used_at"), "transports": record.get("transports") or [],
            "backed_up": bool(record.get("backed_up"))}


def records(user_id: str) -> list[dict[str, Any]]:
    return sorted(store.list_for(user_id), key=lambda r: (r.get("created_ns", 0), r["id"]))


def list_passkeys(user_id: str) -> list[dict[str, Any]]:
    return [public(r) for r in records(user_id)]


def _find(user_id: str, passkey_id: Any) -> dict[str, Any]:
    if not isinstance(passkey_id, str) or len(passkey_id) > 40:
        raise NotFound("No such passkey.")
    record = store.get(user_id, passkey_id)
    if record is None:
        raise NotFound("No such passkey.")
    return record


def rename(user_id: str, passkey_id: str, name: Any) -> dict[str, Any]:
    record = _find(user_id, passkey_id)
    cleaned = clean_name(name)
    if cleaned is None:  # clean_name refuses a missing required name; this only narrows the type
        raise InvalidRequest("'name' is required.")
    if not store.rename(user_id, passkey_id, cleaned):
        raise NotFound("No such passkey.")
    return public({**record, "name": cleaned})


def is_last_factor(user: dict[str, Any], passkey_id: str) -> bool:
    """Removing this passkey leaves a 2FA account with no passkey: the page asks first."""
    others = [r for r in store.list_for(user["user_id"]) if r["id"] != passkey_id]
    return bool(user.get("totp_enabled")) and not others


def remove(user: dict[str, Any], passkey_id: str, caller: Caller) -> dict[str, Any]:
    record = _find(user["user_id"], passkey_id)
    if not store.remove(user["user_id"], passkey_id, bytes.fromhex(record["credential_id"])):
        raise NotFound("No such passkey.")
    announce("passkey.removed", user, record, caller)
    return record


def announce(event_type: str, user: dict[str, Any], record: dict[str, Any], caller: Caller) -> None:
    """The one place a passkey added/removed is made known: the audit log and a security
    notice emailed to the account (a failed email is logged and audited; the change stands)."""
    audit.record(event_type, user["workspace_id"], user_id=user["user_id"], object_id=record["id"],
                 ip=caller.ip, user_agent=caller.user_agent, name=record["name"])
    notices.notify(user, event_type.replace(".", "_"), ip=caller.ip, passkey=record["name"])
