"""Pre-session CSRF tokens for the sign-in and sign-up forms (login CSRF, issue 14 finding 8).

A double-submit cookie alone proves only that cookie and field match: an attacker who can plant
a cookie (a sibling subdomain, a man-in-the-middle on plain http) chooses both and signs the
victim into the attacker's account. So the token is issued and signed by the server,
`<random>.<issued_at>.<HMAC-SHA256>`, under a key derived from the TOTP keyring (Secrets
Manager), and expires (OWASP CSRF Prevention Cheat Sheet, "Signed Double-Submit Cookie").
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from .. import clock, tokens
from ..twofactor import crypto

PURPOSE = "taskforge/pre-session-csrf/v1"
TTL_SECONDS = 12 * 3600  # a sign-in page left open over a working day still works
MAX_LENGTH = 100


def _mac(key: bytes, message: str) -> str:
    digest = hmac.new(key, message.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def issue() -> str:
    message = f"{tokens.opaque()}.{clock.now()}"
    return f"{message}.{_mac(crypto.derived_keys(PURPOSE)[0], message)}"


def valid(token: str | None) -> bool:
    """Issued by us (any key of the ring, for rotations), not expired, not from the future."""
    if not token or len(token) > MAX_LENGTH or not token.isascii() or token.count(".") != 2:
        return False
    nonce, issued, mac = token.split(".")
    if not issued.isdigit() or not 0 <= clock.now() - int(issued) <= TTL_SECONDS:
        return False
    message = f"{nonce}.{issued}"
    return any(tokens.same(mac, _mac(key, message)) for key in crypto.derived_keys(PURPOSE))
