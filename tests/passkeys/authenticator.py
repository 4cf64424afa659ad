"""A software authenticator for the functional tests: answers the server's options the way a
browser and a platform authenticator would (WebAuthn L3 §6.1, §6.5), with knobs to break
each part. The CBOR comes from `cbor2` (the library's own dependency), the keys and
signatures from `cryptography`; the server under test parses all of it with `webauthn`.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import struct
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

ORIGIN = "http://localhost:8000"  # the tests' issuer is http://127.0.0.1:8000
RP_ID = "localhost"
UP, UV, AT = 0x01, 0x04, 0x40


@dataclass
class Key:
    credential_id: bytes
    private: ec.EllipticCurvePrivateKey
    user_handle: bytes
    count: int = 0


@dataclass
class SoftAuthenticator:
    origin: str = ORIGIN
    rp_id: str = RP_ID
    user_verified: bool = True
    counts_up: bool = True
    keys: dict[bytes, Key] = field(default_factory=dict)

    def _auth_data(self, rp_id: str, flags: int, count: int, attested: bytes = b"") -> bytes:
        return hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", count) + attested

    def _client_data(self, kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin,
                           "crossOrigin": False}).encode()

    def create(self, options: dict[str, Any], *, origin: str | None = None, rp_id: str | None = None,
               uv: bool | None = None, credential_id: bytes | None = None) -> dict[str, Any]:
        """navigator.credentials.create(): a new resident key, attestation "none"."""
        private = ec.generate_private_key(ec.SECP256R1())
        numbers = private.public_key().public_numbers()
        cose = cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"),
                            -3: numbers.y.to_bytes(32, "big")})
        cred_id = credential_id or secrets.token_bytes(32)
        key = Key(cred_id, private, base64url_to_bytes(options["user"]["id"]))
        self.keys[cred_id] = key
        verified = self.user_verified if uv is None else uv
        attested = bytes(16) + struct.pack(">H", len(cred_id)) + cred_id + cose
        auth_data = self._auth_data(rp_id or self.rp_id, UP | AT | (UV if verified else 0), 0, attested)
        client_data = self._client_data("webauthn.create", options["challenge"], origin or self.origin)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {"id": bytes_to_base64url(cred_id), "rawId": bytes_to_base64url(cred_id),
                "type": "public-key", "authenticatorAttachment": "platform",
                "clientExtensionResults": {},
                "response": {"clientDataJSON": bytes_to_base64url(client_data),
                             "attestationObject": bytes_to_base64url(attestation),
                             "transports": ["internal"]}}

    def get(self, options: dict[str, Any], *, key: Key | None = None, origin: str | None = None,
            rp_id: str | None = None, uv: bool | None = None, count: int | None = None,
            user_handle: bytes | None = None, challenge: str | None = None) -> dict[str, Any]:
        """navigator.credentials.get(): sign with the chosen (or the only) key."""
        key = key or next(iter(self.keys.values()))
        if count is None:
            if self.counts_up:
                key.count += 1
            count = key.count
        verified = self.user_verified if uv is None else uv
        auth_data = self._auth_data(rp_id or self.rp_id, UP | (UV if verified else 0), count)
        client_data = self._client_data("webauthn.get", challenge or options["challenge"],
                                        origin or self.origin)
        signature = key.private.sign(auth_data + hashlib.sha256(client_data).digest(),
                                     ec.ECDSA(hashes.SHA256()))
        return {"id": bytes_to_base64url(key.credential_id), "rawId": bytes_to_base64url(key.credential_id),
                "type": "public-key", "authenticatorAttachment": "platform",
                "clientExtensionResults": {},
                "response": {"clientDataJSON": bytes_to_base64url(client_data),
                             "authenticatorData": bytes_to_base64url(auth_data),
                             "signature": bytes_to_base64url(signature),
                             "userHandle": bytes_to_base64url(user_handle or key.user_handle)}}
