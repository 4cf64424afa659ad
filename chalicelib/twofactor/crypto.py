"""TOTP secrets encrypted at rest: AES-256-GCM under a key kept in Secrets Manager.

TOTP secrets must be recoverable (the server recomputes codes), so they are
encrypted rather than hashed. The key never touches the table: it lives in
Secrets Manager (`TASKFORGE_TOTP_KEY_SECRET`) as
`{"current": "<kid>", "keys": {"<kid>": "<base64url 32 bytes>"}}`. Each
ciphertext names its key id, so a rotation adds a new current key and keeps
the old ones for decryption. The user id is the associated data: a ciphertext
copied onto another user's item does not decrypt.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets as pysecrets
from functools import lru_cache
from typing import Any

from .. import logs
from ..errors import ServiceError
from ..settings import get_settings
from ..store import secrets

VERSION = "v1"
NONCE_BYTES = 12  # NIST SP 800-38D §8.2: 96-bit nonces, random, never reused under a key


class KeyUnavailable(ServiceError):
    """The TOTP key is missing or unreadable: fail closed rather than store plaintext."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_keyring() -> str:
    kid = "k" + pysecrets.token_hex(4)
    return json.dumps({"current": kid, "keys": {kid: _b64(os.urandom(32))}})


def ensure_key() -> bool:
    """Create the key if it does not exist yet (bootstrap); True when it was created."""
    name = get_settings().totp_key_secret
    if secrets.read(name, fresh=True) is not None:
        return False
    secrets.write(name, new_keyring())
    return True


@lru_cache(maxsize=4)
def _parse(value: str) -> tuple[str, dict[str, Any]]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        ring = json.loads(value)
        keys = {kid: AESGCM(_unb64(raw)) for kid, raw in ring["keys"].items()}
        current = str(ring["current"])
    except (ValueError, KeyError, TypeError, AttributeError):
        current, keys = "", {}
    if current not in keys:
        logs.log("totp_key_malformed", logging.ERROR)
        raise KeyUnavailable()
    return current, keys


def _keyring(fresh: bool = False) -> tuple[str, dict[str, Any]]:
    value = secrets.read(get_settings().totp_key_secret, fresh=fresh)
    if value is None:
        logs.log("totp_key_missing", logging.ERROR, secret=get_settings().totp_key_secret)
        raise KeyUnavailable()
    return _parse(value)


def encrypt(plaintext: str, user_id: str) -> str:
    """`v1.<kid>.<nonce>.<ciphertext+tag>`, bound to the user id."""
    kid, keys = _keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = keys[kid].encrypt(nonce, plaintext.encode("utf-8"), user_id.encode("utf-8"))
    return ".".join((VERSION, kid, _b64(nonce), _b64(sealed)))


def decrypt(token: str, user_id: str) -> str:
    from cryptography.exceptions import InvalidTag

    try:
        version, kid, nonce, sealed = token.split(".")
    except ValueError:
        raise KeyUnavailable() from None
    _, keys = _keyring()
    if kid not in keys:
        _, keys = _keyring(fresh=True)  # rotated in another container since our cached read
    if version != VERSION or kid not in keys:
        logs.log("totp_key_unknown", logging.ERROR, kid=kid)
        raise KeyUnavailable()
    try:
        return str(keys[kid].decrypt(_unb64(nonce), _unb64(sealed), user_id.encode("utf-8"))
                   .decode("utf-8"))
    except (InvalidTag, ValueError):
        logs.log("totp_secret_undecryptable", logging.ERROR, user_id=user_id)
        raise KeyUnavailable() from None


def derived_keys(purpose: str) -> list[bytes]:
    """Keys for another use (current first), derived from this keyring so no second secret is
    needed: HMAC-SHA256(key, purpose) per key id (NIST SP 800-108 style, one fixed label)."""
    import hashlib
    import hmac

    value = secrets.read(get_settings().totp_key_secret)
    if value is None:
        raise KeyUnavailable()
    try:
        ring = json.loads(value)
        ordered = [ring["current"], *(kid for kid in ring["keys"] if kid != ring["current"])]
        raw = [_unb64(ring["keys"][kid]) for kid in ordered]
    except (ValueError, KeyError, TypeError, AttributeError):
        raise KeyUnavailable() from None
    return [hmac.new(key, purpose.encode("ascii"), hashlib.sha256).digest() for key in raw]
