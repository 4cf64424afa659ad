"""One-time WebAuthn challenges (WebAuthn L3 §13.4.3: random, ≥16 bytes, used once).

Each challenge is bound to what asked for it: the browser session (adding a
passkey), the pending sign-in (passkey as second factor), or a short-lived
`tf_passkey` cookie (passwordless sign-in). It lives 3 minutes and is deleted by
the first answer, right or wrong, so a replayed response finds nothing.
"""

from __future__ import annotations

import secrets

from .. import clock, tokens
from ..settings import get_settings
from ..store import passkeys as store
from .errors import ChallengeExpired

TTL_SECONDS = 180
TIMEOUT_MS = 120_000  # what the browser is told; the record outlives it a little
COOKIE = "tf_passkey"
COOKIE_PATH = "/login"

REGISTER, SIGN_IN, SECOND_FACTOR = "register", "signin", "second_factor"


def issue(binding: str, purpose: str, user_id: str | None = None) -> bytes:
    """A fresh 32-byte challenge for `binding` (a digest); replaces an older one of this kind."""
    challenge, now = secrets.token_bytes(32), clock.now()
    store.put_challenge(binding, purpose, {"challenge": challenge.hex(), "user_id": user_id,
                                           "created_at": now, "expires_at": now + TTL_SECONDS})
    return challenge


def take(binding: str | None, purpose: str, user_id: str | None = None) -> bytes:
    """The challenge issued for `binding`, spent now; 400 when absent, expired or used."""
    record = store.take_challenge(binding, purpose, clock.now()) if binding else None
    if record is None or (user_id is not None and record.get("user_id") != user_id):
        raise ChallengeExpired()
    return bytes.fromhex(record["challenge"])


def new_cookie_token() -> tuple[str, str]:
    """A cookie value for a passwordless sign-in attempt, and the digest its challenge is bound to."""
    token = tokens.opaque()
    return token, tokens.digest(token)


def binding_of(cookie_value: str | None) -> str | None:
    if not cookie_value or len(cookie_value) > 100:
        return None
    return tokens.digest(cookie_value)


def cookie(token: str, max_age: int = TTL_SECONDS) -> str:
    secure = "; Secure" if get_settings().cookie_secure else ""
    return f"{COOKIE}={token}; Path={COOKIE_PATH}; HttpOnly; SameSite=Strict{secure}; Max-Age={max_age}"
