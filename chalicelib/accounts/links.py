"""Emailed link tokens: 256 random bits, stored only as their SHA-256 digest.

Every way a token can be wrong (unknown, used, expired, voided by a newer link,
another user's, malformed, not text) is the same 400 `invalid_token`, and nothing
changes.
"""

from __future__ import annotations

import re
from typing import Any

from .. import clock, tokens
from ..errors import InvalidToken
from ..store import account_tokens as store

# tokens.opaque(): 32 random bytes, URL-safe base64 without padding.
_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")
TTL = {"verify": 24 * 3600, "reset": 30 * 60, "email": 24 * 3600}


def issue(user: dict[str, Any], purpose: str, **extra: str) -> str:
    """A new link token for `purpose` (voiding the user's older ones); shown only in the email."""
    token, now = tokens.opaque(), clock.now()
    record = {"digest": tokens.digest(token), "purpose": purpose, "user_id": user["user_id"],
              "email_lower": str(user["email"]).lower(), "created_at": now,
              "expires_at": now + TTL[purpose], **extra}
    if not store.issue(record):
        raise InvalidToken("This account no longer exists.")
    return token


def find(token: Any, purpose: str, user_id: str | None = None) -> dict[str, Any]:
    """The live link record for a token, or 400 invalid_token. With `user_id`, it must be theirs."""
    if not isinstance(token, str) or not _SHAPE.match(token):
        raise InvalidToken()
    record = store.get(tokens.digest(token), purpose)
    if record is None or record["expires_at"] <= clock.now():
        raise InvalidToken()
    if user_id is not None and not tokens.same(record["user_id"], user_id):
        raise InvalidToken()
    return record
