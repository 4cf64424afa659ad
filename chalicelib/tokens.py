"""Random secrets, their digests, and the checksummed token rule.

A checksummed token is prefix + 32 base62 characters (~190 bits) + 6 base62
characters of zlib.crc32(prefix + random). Which prefixes exist and what each
token is belongs to `credentials`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import zlib

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
RANDOM_CHARS = 32
CHECKSUM_CHARS = 6


def random_base62(length: int) -> str:
    return "".join(secrets.choice(BASE62) for _ in range(length))


def base62(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, rem = divmod(number, 62)
        digits.append(BASE62[rem])
    return "".join(reversed(digits))


def checksum(body: str) -> str:
    return base62(zlib.crc32(body.encode("ascii")), CHECKSUM_CHARS)


def new_token(prefix: str, body: str | None = None) -> str:
    """prefix + `body` (default: RANDOM_CHARS random base62 characters) + its checksum."""
    body = prefix + (random_base62(RANDOM_CHARS) if body is None else body)
    return body + checksum(body)


def well_formed(token: str, prefix: str) -> bool:
    """Shape and checksum only: no store read (RFC 6750 §3.1 invalid_token when false)."""
    if len(token) != len(prefix) + RANDOM_CHARS + CHECKSUM_CHARS or not token.startswith(prefix):
        return False
    if not token.isascii() or any(c not in BASE62 for c in token[len(prefix):]):
        return False
    body, check = token[:-CHECKSUM_CHARS], token[-CHECKSUM_CHARS:]
    return hmac.compare_digest(checksum(body), check)


def digest(secret: str) -> str:
    """SHA-256 hex digest: how random secrets are stored and looked up."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def opaque() -> str:
    """A 256-bit URL-safe random string (session cookies, codes, CSRF tokens)."""
    return secrets.token_urlsafe(32)


def new_id(prefix: str = "") -> str:
    """A public identifier (not a secret): prefix + 16 base62 characters."""
    return prefix + random_base62(16)


def same(a: str, b: str) -> bool:
    """Constant-time comparison for secrets."""
    # surrogatepass: a hostile lone surrogate compares unequal instead of raising.
    return hmac.compare_digest(a.encode("utf-8", "surrogatepass"), b.encode("utf-8", "surrogatepass"))
