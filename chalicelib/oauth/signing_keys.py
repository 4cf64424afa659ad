"""ES256 signing keys, kept in AWS Secrets Manager (never in code or config), and the JWKS.

The secret (`TASKFORGE_SIGNING_KEY_SECRET`) holds `{"keys": [current, previous]}`,
each `{kid, private_pem, created_at}`. Tokens are signed with the current key; the
JWKS publishes both public keys, so after `rotate()` tokens signed by the previous
key stay valid until they expire (3600 s). Rotating twice within one token
lifetime retires the key two back early: rotate at most once an hour.

Signing reads the secret (parsed once per container and secret version).
Verification never does: `ensure`, `rotate` and `retire_previous` publish the
public JWKS in the table (store/jwks), and `public_key` reads it there with the
DynamoDB client the authorizer already has: no Secrets Manager client on a JWT
authorizer's cold start. A rotation publishes the new public key before the
secret makes it current, so no token is ever signed with an unpublished key.
The published keys are cached for `CACHE_SECONDS` (a retired key stops
verifying within that time, as with the secret's cache); a token whose `kid` is
unknown triggers one fresh read (at most every `REFRESH_SECONDS`).
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

from .. import clock, logs
from ..errors import StoreUnavailable
from ..settings import get_settings
from ..store import jwks as jwks_store
from ..store import secrets

REFRESH_SECONDS = 30
CACHE_SECONDS = secrets.CACHE_SECONDS
KEEP = 2  # current + previous


@dataclass(frozen=True)
class KeySet:
    kid: str
    private_key: ec.EllipticCurvePrivateKey
    public_keys: dict[str, ec.EllipticCurvePublicKey]
    jwks: dict[str, Any]


_parsed: dict[str, KeySet] = {}
_last_refresh = [0.0]
# The published public keys by kid, and when they were read (time.monotonic()).
_published: dict[str, ec.EllipticCurvePublicKey] = {}
_published_at = [float("-inf")]


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
            "created_at": clock.now()}


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


def from_jwk(jwk: dict[str, Any]) -> ec.EllipticCurvePublicKey:
    """RFC 7518 §6.2.1: a P-256 public key from its x and y coordinates."""
    x, y = (int.from_bytes(base64.urlsafe_b64decode(jwk[c] + "=" * (-len(jwk[c]) % 4)), "big")
            for c in ("x", "y"))
    return ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()


def _read_published(consistent: bool) -> None:
    keys = jwks_store.get(consistent=consistent)
    if keys is None:
        raise StoreUnavailable("No published signing keys: run bootstrap.")
    _published.clear()
    _published.update({jwk["kid"]: from_jwk(jwk) for jwk in keys})
    _published_at[0] = time.monotonic()


def public_key(kid: str) -> ec.EllipticCurvePublicKey | None:
    """The published public key for `kid` (table, not Secrets Manager).

    An unknown kid re-reads the JWKS item (consistently) at most every REFRESH_SECONDS.
    """
    now = time.monotonic()
    if now - _published_at[0] >= CACHE_SECONDS:
        _read_published(consistent=False)
    key = _published.get(kid)
    if key is None and now - _last_refresh[0] >= REFRESH_SECONDS:
        _last_refresh[0] = now
        _read_published(consistent=True)
        key = _published.get(kid)
    return key


def publish(raw: str) -> None:
    """Write the public JWKS of the secret value `raw` to the table (where verifiers read it)."""
    jwks_store.put(_parse(raw).jwks["keys"], clock.now())
    forget_published()


def forget_published() -> None:
    """Drop this container's copy of the published keys (tests, and after publishing)."""
    _published.clear()
    _published_at[0] = float("-inf")


def ensure() -> bool:
    """Create the first key if the secret does not exist, and publish the JWKS (idempotent).

    True when a key was created. An existing secret is published too, so a deployment that
    kept its JWKS only in the secret gets the table item on its next bootstrap.
    """
    name = get_settings().signing_key_secret
    raw = secrets.read(name, fresh=True)
    if raw is not None:
        if jwks_store.get(consistent=True) != _parse(raw).jwks["keys"]:
            publish(raw)
        return False
    raw = json.dumps({"keys": [generate()]})
    publish(raw)
    secrets.write(name, raw)
    return True


def rotate() -> str:
    """Make a new current key, keep the previous one for verification; returns the new kid."""
    name = get_settings().signing_key_secret
    raw = secrets.read(name, fresh=True)
    old = json.loads(raw)["keys"] if raw else []
    new = generate()
    raw = json.dumps({"keys": [new, *old][:KEEP]})
    publish(raw)  # verifiers know the new key before any signer uses it
    secrets.write(name, raw)
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
        kept = json.dumps({"keys": [current_key]})
        secrets.write(name, kept)
        publish(kept)
        logs.log("signing_keys_retired", kids=[k["kid"] for k in retired])
    return [str(k["kid"]) for k in retired]
