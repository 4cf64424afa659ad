"""ES256 signing keys, kept in AWS Secrets Manager (never in code or config), and the JWKS.

The secret (`TASKFORGE_SIGNING_KEY_SECRET`) holds `{"keys": [current, previous]}`,
each `{kid, private_pem, created_at}`. Tokens are signed with the current key; the
JWKS publishes both public keys, so after `rotate()` tokens signed by the previous
key stay valid until they expire (3600 s). Rotating twice within one token
lifetime retires the key two back early: rotate at most once an hour.

Keys are parsed once per container and per secret version. A token whose `kid`
is unknown triggers one fresh read (at most every `REFRESH_SECONDS`), so a
container that has not yet seen a rotation still verifies tokens signed with
the new key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from .. import logs
from ..errors import StoreUnavailable
from ..settings import get_settings
from ..store import secrets

REFRESH_SECONDS = 30
KEEP = 2  # current + previous


@dataclass(frozen=True)
class KeySet:
    kid: str
    private_key: ec.EllipticCurvePrivateKey
    public_keys: dict[str, ec.EllipticCurvePublicKey]
    jwks: dict[str, Any]


_parsed: dict[str, KeySet] = {}
_last_refresh = [0.0]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def public_jwk(public_key: ec.EllipticCurvePublicKey) -> dict[str, str]:
    """RFC 7518 §6.2.1: x and y as 32-byte big-endian, base64url without padding."""
    numbers = public_key.public_numbers()
    return {"kty": "EC", "crv": "P-256", "x": _b64(numbers.x.to_bytes(32, "big")),
            "y": _b64(numbers.y.to_bytes(32, "big"))}


def thumbprint(jwk: dict[str, str]) -> str:
    """RFC 7638 §3: SHA-256 of the required members in lexicographic order, no whitespace."""
    canonical = json.dumps({k: jwk[k] for k in ("crv", "kty", "x", "y")}, separators=(",", ":"))
    return _b64(hashlib.sha256(canonical.encode("ascii")).digest())


def generate() -> dict[str, Any]:
    """A new P-256 key as stored in the secret; the kid is its RFC 7638 thumbprint."""
    private_key = ec.generate_private_key(ec.SECP256R1())
    pem = private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode("ascii")
    return {"kid": thumbprint(public_jwk(private_key.public_key())), "private_pem": pem,
            "created_at": logs.now()}


def _parse(raw: str) -> KeySet:
    entries = json.loads(raw)["keys"]
    private: list[ec.EllipticCurvePrivateKey] = []
    for entry in entries:
        key = serialization.load_pem_private_key(entry["private_pem"].encode("ascii"), None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise StoreUnavailable("The signing key secret holds a key that is not EC P-256.")
        private.append(key)
    if not private:
        raise StoreUnavailable("The signing key secret holds no keys.")
    public = {e["kid"]: k.public_key() for e, k in zip(entries, private, strict=True)}
    jwks = {"keys": [{**public_jwk(key), "kid": kid, "use": "sig", "alg": "ES256"}
                     for kid, key in public.items()]}
    return KeySet(entries[0]["kid"], private[0], public, jwks)


def current(fresh: bool = False) -> KeySet:
    """The key set, parsed once per secret version (fails closed when the secret is missing)."""
    raw = secrets.read(get_settings().signing_key_secret, fresh=fresh)
    if raw is None:
        raise StoreUnavailable("No signing keys: run bootstrap.")
    keyset = _parsed.get(raw)
    if keyset is None:
        keyset = _parse(raw)
        _parsed.clear()
        _parsed[raw] = keyset
    return keyset


def public_key(kid: str) -> ec.EllipticCurvePublicKey | None:
    """The public key for `kid`; an unknown kid re-reads the secret at most every REFRESH_SECONDS."""
    key = current().public_keys.get(kid)
    now = time.monotonic()
    if key is None and now - _last_refresh[0] >= REFRESH_SECONDS:
        _last_refresh[0] = now
        key = current(fresh=True).public_keys.get(kid)
    return key


def ensure() -> bool:
    """Create the first key if the secret does not exist (idempotent); True when created."""
    name = get_settings().signing_key_secret
    if secrets.read(name, fresh=True) is not None:
        return False
    secrets.write(name, json.dumps({"keys": [generate()]}))
    return True


def rotate() -> str:
    """Make a new current key, keep the previous one for verification; returns the new kid."""
    name = get_settings().signing_key_secret
    raw = secrets.read(name, fresh=True)
    old = json.loads(raw)["keys"] if raw else []
    new = generate()
    secrets.write(name, json.dumps({"keys": [new, *old][:KEEP]}))
    logs.log("signing_key_rotated", kid=new["kid"])
    return str(new["kid"])


def retire_previous() -> list[str]:
    """Keep only the current key: tokens signed by any other key fail from now on.

    Routine rotation: run a full access-token lifetime (plus the 300 s secrets cache)
    after `rotate()`. After a key compromise: at once. Returns the retired kids.
    """
    name = get_settings().signing_key_secret
    raw = secrets.read(name, fresh=True)
    if raw is None:
        raise StoreUnavailable("No signing keys: run bootstrap.")
    current_key, *retired = json.loads(raw)["keys"]
    if retired:
        secrets.write(name, json.dumps({"keys": [current_key]}))
        logs.log("signing_keys_retired", kids=[k["kid"] for k in retired])
    return [str(k["kid"]) for k in retired]
