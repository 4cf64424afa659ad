"""Backup codes: ten single-use codes like `7k2m-q9xd`, stored as Argon2id hashes.

The first four characters name the code's item (`BACKUP#<code_id>`), the last
four are the secret part, hashed. Checking a code therefore reads one item and
runs at most one Argon2 verification. The Crockford base32 alphabet has no
i, l, o or u, so codes read aloud or copied by hand survive. 40 bits a code;
with five tries per 15 minutes, guessing one is out of reach.
"""

from __future__ import annotations

import secrets
from typing import Any

from .. import clock, hashing, tokens
from ..store import backup_codes as store
from .codes import BACKUP_ALPHABET, BACKUP_LENGTH

CODES_PER_SET = 10
ID_CHARS = 4


def _random(length: int) -> str:
    return "".join(secrets.choice(BACKUP_ALPHABET) for _ in range(length))


def generate() -> list[str]:
    """Ten codes with distinct identifiers, formatted `xxxx-xxxx`."""
    ids: set[str] = set()
    while len(ids) < CODES_PER_SET:
        ids.add(_random(ID_CHARS))
    return [f"{code_id}-{_random(BACKUP_LENGTH - ID_CHARS)}" for code_id in sorted(ids)]


def new_set(user_id: str) -> tuple[str, list[str], list[dict[str, Any]]]:
    """A set id, the codes to show once, and the items to store (hashes only)."""
    set_id, codes, now = tokens.new_id("bcs_"), generate(), clock.now()
    items = [store.item(user_id, code[:ID_CHARS], set_id,
                        hashing.hash_secret(code[ID_CHARS + 1:]), now) for code in codes]
    return set_id, codes, items


def spend(user: dict[str, Any], code: str) -> bool:
    """Use a normalised code (8 characters, no dash) once; True when it was valid and unused."""
    code_id, secret = code[:ID_CHARS], code[ID_CHARS:]
    live_set = user.get("backup_set_id")
    item = store.get(user["user_id"], code_id)
    usable = (item is not None and live_set is not None and item.get("set_id") == live_set
              and "used_at" not in item)
    # An unusable code still costs one (dummy) Argon2 verification: same time either way.
    if not hashing.verify(item["secret_hash"] if usable and item else None, secret) or not usable:
        return False
    return store.spend(user["user_id"], code_id, str(live_set), clock.now())


def remaining(user: dict[str, Any]) -> int:
    live_set = user.get("backup_set_id")
    if not live_set:
        return 0
    return sum(1 for item in store.for_user(user["user_id"])
               if item.get("set_id") == live_set and "used_at" not in item)


def cleanup(user_id: str, live_set: str | None) -> None:
    store.delete_other_sets(user_id, live_set)
