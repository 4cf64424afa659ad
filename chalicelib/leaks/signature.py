"""The alert's signature: ECDSA P-256 / SHA-256, base64 DER, over the raw request body.

GitHub signs the exact bytes it sends (Github-Public-Key-Signature) with the key named by
Github-Public-Key-Identifier. Nothing in the body is parsed or looked up before this passes.
"""

from __future__ import annotations

import base64
import binascii

from cryptography.exceptions import InvalidSignature as BadSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from . import keys
from .errors import InvalidSignature

MAX_HEADER_CHARS = 512  # a DER P-256 signature is at most 72 bytes (96 base64 characters)


def verify(body: bytes, key_id: str | None, signature: str | None) -> None:
    """Return quietly when the signature is good; InvalidSignature (401) otherwise."""
    if not key_id or not signature or len(key_id) > MAX_HEADER_CHARS or len(signature) > MAX_HEADER_CHARS:
        raise InvalidSignature()
    try:
        der = base64.b64decode(signature.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidSignature() from None
    public_key = keys.public_key(key_id.strip())
    try:
        public_key.verify(der, body, ec.ECDSA(hashes.SHA256()))
    except (BadSignature, ValueError):
        raise InvalidSignature() from None
