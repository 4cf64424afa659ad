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


def digest_of(code: str) -> str | None:
    """How the code is stored, or None for one too long to be ours (it costs no read)."""
    return None if len(code) > MAX_CODE_CHARS else tokens.digest(code)

