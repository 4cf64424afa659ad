"""The password policy (NIST SP 800-63B §3.1.1.2); hashing lives in `hashing`."""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

from ..errors import InvalidRequest

MIN_LENGTH = 12
MAX_LENGTH = 256
_COMMON = Path(__file__).with_name("common_passwords.txt")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = _COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


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
