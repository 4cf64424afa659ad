"""Authorization codes (RFC 6749 §4.1.2): random, short-lived, single use, stored as a digest.

A code is 256 random bits. It leads to the (pending) grant that holds its digest and what
it is bound to (client, redirect URI, PKCE challenge, user, scopes): the grant's id is
derived from the code through the grant's refresh-token family (`locate`), so the token
endpoint redeems a code with one conditional write to that grant (token.exchange_code).
"""

from __future__ import annotations

from typing import Any

from .. import clock, tokens
from . import grants, refresh_tokens

MAX_CODE_CHARS = 100


def issue(client: dict[str, Any], binding: dict[str, Any]) -> str:
    """Store a new code's pending grant; the code itself is returned once, in the redirect."""
    code = tokens.opaque()
    grant_id, code_digest, _ = _locate(code)
    grants.create(grant_id, client, binding, code_digest, clock.now())
    return code


def locate(code: str) -> tuple[str, str, str] | None:
    """(grant id, the code's digest, the grant's refresh-token family), or None for what
    cannot be one of ours (no read)."""
    return None if len(code) > MAX_CODE_CHARS else _locate(code)


def _locate(code: str) -> tuple[str, str, str]:
    family = refresh_tokens.family_of(code)
    return grants.id_for_family(family), tokens.digest(code), family
