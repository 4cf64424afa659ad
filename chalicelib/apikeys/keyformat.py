"""The API key itself: its format (`credentials.API_KEYS`) and what may be shown of it.

The prefix, checksum rule and shape dispatch live in `credentials` (shared with refresh
tokens and client secrets); this module derives what a listing shows of a key.
"""

from __future__ import annotations

from .. import tokens
from ..credentials import API_KEYS

PREFIX = API_KEYS.prefix
LENGTH = API_KEYS.length


def new_key() -> str:
    return API_KEYS.new()


def looks_like_key(credential: str) -> bool:
    """Shape dispatch only: is this credential meant to be an API key (not a JWT)?"""
    return API_KEYS.claims(credential)


def well_formed(key: str) -> bool:
    """Length, alphabet and checksum: a mistyped key is refused without a store read."""
    return API_KEYS.well_formed(key)


def hint(key: str) -> str:
    """What listings show: the prefix, the first 4 random characters and the key's own last 4
    (the end of the key the user holds, checksum included: CONTRACT, "Details clients rely on")."""
    random_part = key[len(PREFIX):len(PREFIX) + tokens.RANDOM_CHARS]
    return f"{PREFIX}{random_part[:4]}\u2026{key[-4:]}"


def digest(key: str) -> str:
    """How a key is stored and looked up: SHA-256, never the key itself."""
    return API_KEYS.digest(key)
