"""Argon2id hashing for low-entropy secrets people hold: passwords and backup codes.

OWASP Password Storage Cheat Sheet: Argon2id, m=19 MiB, t=2, p=1. Hashes made
with other parameters are upgraded at the next successful sign-in.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argon2 import PasswordHasher


@lru_cache(maxsize=1)
def hasher() -> PasswordHasher:
    # argon2 (cffi bindings) is imported on first use, not with the module: app.py's cold
    # start, which every Lambda of the app pays, stays within 1.15x of the bare floor.
    from argon2 import PasswordHasher, Type

    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1,
                          hash_len=32, salt_len=16, type=Type.ID)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hasher().hash("taskforge dummy password for timing")


def hash_secret(secret: str) -> str:
    return hasher().hash(secret)


def verify(stored_hash: str | None, secret: str) -> bool:
    """Check a secret; with no stored hash, spend the same time on a dummy hash."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return hasher().verify(stored_hash or _dummy_hash(), secret) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return hasher().check_needs_rehash(stored_hash)
