"""Authorization codes (RFC 6749 §4.1.2): random, short-lived, single use, stored as a digest.

A code is bound to the client, redirect URI, PKCE challenge, user and scopes it
was issued for; the token endpoint checks each binding (token.exchange_code).
"""

from __future__ import annotations

from typing import Any

from .. import clock, tokens
from ..settings import get_settings
from ..store import codes as code_store

MAX_CODE_CHARS = 100


def issue(binding: dict[str, Any]) -> str:
    """Store a new code for `binding`; the code itself is returned once, in the redirect."""
    code, now = tokens.opaque(), clock.now()
    # RFC 6749 §4.1.2 recommends at most 10 minutes; RFC 9700 §4.2: as short as practical (60 s).
    code_store.put({"digest": tokens.digest(code), **binding, "created_at": now,
                    "expires_at": now + get_settings().code_ttl})
    return code


def find(code: str) -> dict[str, Any] | None:
    """The code's record (used or not), or None; an implausible code costs no read."""
    if len(code) > MAX_CODE_CHARS:
        return None
    return code_store.get(tokens.digest(code))
