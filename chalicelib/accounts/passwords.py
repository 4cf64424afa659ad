"""Argon2id password hashing at OWASP's parameters, and the password policy.

OWASP Password Storage Cheat Sheet: Argon2id, m=19 MiB, t=2, p=1. Hashes made
with other parameters are upgraded at the next successful sign-in.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InvalidRequest

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_LENGTH = 12
MAX_LENGTH = 256
_COMMON = Path(__file__).with_name("common_passwords.txt")


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


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = _COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


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


def check_policy(password: str) -> None:
    """Refuse passwords that are short, one repeated character, or common (NIST 800-63B §3.1.1.2)."""
    if len(password) < MIN_LENGTH:
        raise InvalidRequest(f"Choose a password of at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise InvalidRequest(f"Choose a password of at most {MAX_LENGTH} characters.")
    if len(set(password)) == 1:
        raise InvalidRequest("A password of one repeated character is too easy to guess.")
    lowered = password.lower()
    stem = lowered.rstrip(string.digits + string.punctuation)
    if lowered in common_passwords() or stem in common_passwords():
        raise InvalidRequest("That password is on the list of the most common passwords. "
                             "Choose something less predictable.")
