"""The key itself: `tfk_` + 32 base62 random characters + 6-character base62 CRC32.

The checksum rule lives in `tokens` (shared with `tfr_` refresh tokens); this
module names the API-key prefix and derives what may be shown of a key.
"""

from __future__ import annotations

from .. import tokens

PREFIX = "tfk_"
LENGTH = len(PREFIX) + tokens.RANDOM_CHARS + tokens.CHECKSUM_CHARS


def new_key() -> str:
    return tokens.new_token(PREFIX)


def looks_like_key(credential: str) -> bool:
    """Shape dispatch only: is this credential meant to be an API key (not a JWT)?"""
    return credential.startswith(PREFIX)


def well_formed(key: str) -> bool:
    """Length, alphabet and checksum: a mistyped key is refused without a store read."""
    return tokens.well_formed(key, PREFIX)


def hint(key: str) -> str:
    """What listings show: the prefix, the first 4 random characters and the key's own last 4
    (the end of the key the user holds, checksum included: CONTRACT, "Details clients rely on")."""
    random_part = key[len(PREFIX):len(PREFIX) + tokens.RANDOM_CHARS]
    return f"{PREFIX}{random_part[:4]}\u2026{key[-4:]}"


def digest(key: str) -> str:
    """How a key is stored and looked up: SHA-256, never the key itself."""
    return tokens.digest(key)
