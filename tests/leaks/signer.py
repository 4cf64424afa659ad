"""A stand-in for GitHub's side: an ECDSA P-256 key, its keys document, signed reports."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec


@dataclass
class Signer:
    key: ec.EllipticCurvePrivateKey
    key_id: str

    @classmethod
    def new(cls) -> Signer:
        key = ec.generate_private_key(ec.SECP256R1())
        der = key.public_key().public_bytes(serialization.Encoding.DER,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
        return cls(key, hashlib.sha256(der).hexdigest())  # GitHub's ids look like this

    def public_pem(self) -> str:
        return self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def document(self, *others: Signer) -> str:
        """GitHub's keys document listing this key (current) and `others`."""
        entries = [{"key_identifier": s.key_id, "key": s.public_pem(), "is_current": s is self}
                   for s in (self, *others)]
        return json.dumps({"public_keys": entries})

    def sign(self, body: bytes) -> str:
        return base64.b64encode(self.key.sign(body, ec.ECDSA(hashes.SHA256()))).decode()

    def headers(self, body: bytes) -> dict[str, str]:
        return {"Content-Type": "application/json", "Github-Public-Key-Identifier": self.key_id,
                "Github-Public-Key-Signature": self.sign(body)}


def report(*tokens: Any, url: str = "https://github.com/octo/demo/blob/main/config.py",
           source: str = "content", kind: str = "taskforge_api_key") -> bytes:
    """A report body as GitHub sends it: one entry per token."""
    return json.dumps([{"token": t, "type": kind, "url": url, "source": source}
                       for t in tokens]).encode()
