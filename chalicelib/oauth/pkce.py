"""PKCE (RFC 7636), S256 only, as RFC 9700 §2.1.1 recommends.

A small hook used by the authorization endpoint (check the challenge) and the
token endpoint (check the verifier against it).
"""

from __future__ import annotations

import base64
import hashlib
import re

from .. import tokens
from .errors import InvalidGrant, InvalidRequest

S256 = "S256"
# RFC 7636 §4.1: verifier = 43*128 unreserved characters.
_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
# RFC 7636 §4.2: an S256 challenge is BASE64URL(SHA256(verifier)): exactly 43 characters.
_S256_CHALLENGE = re.compile(r"^[A-Za-z0-9\-_]{43}$")


def check_challenge(challenge: str | None, method: str | None, required: bool) -> str | None:
    """The challenge to bind to the code, or None when the client sent none (and may not)."""
    if challenge is None:
        if method is not None:
            raise InvalidRequest("code_challenge_method was sent without code_challenge.")
        if required:
            # RFC 9700 §2.1.1 / RFC 7636 §4.4.1: public clients must use PKCE.
            raise InvalidRequest("Public clients must send code_challenge (PKCE, S256).")
        return None
    # RFC 7636 §4.3 defaults a missing method to "plain"; RFC 9700 §2.1.1: we accept S256 only.
    if method != S256:
        raise InvalidRequest("Only code_challenge_method=S256 is supported.")
    if not _S256_CHALLENGE.match(challenge):
        raise InvalidRequest("code_challenge must be 43 base64url characters (S256).")
    return challenge


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


def well_formed(verifier: str) -> bool:
    return bool(_VERIFIER.match(verifier))


def check_verifier(challenge: str | None, verifier: str | None) -> None:
    """RFC 7636 §4.6 at the token endpoint: the verifier must hash to the code's challenge."""
    if challenge is None:
        if verifier is not None:
            # RFC 9700 §4.8.2 (PKCE downgrade): a verifier for a code issued without a
            # challenge means the challenge was stripped on the way: refuse it.
            raise InvalidGrant("This code was issued without a code_challenge; code_verifier is not allowed.")
        return
    if verifier is None:
        raise InvalidRequest("code_verifier is required for this code.")
    if not well_formed(verifier):
        raise InvalidRequest("code_verifier must be 43 to 128 unreserved characters.")
    if not tokens.same(s256(verifier), challenge):
        raise InvalidGrant("code_verifier does not match the code_challenge.")
