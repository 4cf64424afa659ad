"""PKCE (RFC 7636) and the authorization URL of the code flow (RFC 6749 §4.1.1).

    request = taskforge.authorization_request(base_url, client_id, redirect_uri, scope="read")
    # send the browser to request.url; keep request.state and request.code_verifier
    # (server side, per sign-in) until the redirect comes back.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

from .errors import ApiError


def code_verifier() -> str:
    """43–128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1): 64 characters, 384 random bits."""
    return secrets.token_urlsafe(48)


def code_challenge(verifier: str) -> str:
    """S256: BASE64URL(SHA256(ASCII(code_verifier))) without padding (RFC 7636 §4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class AuthorizationRequest:
    """Where to send the browser, and the two values to keep until it comes back."""

    url: str
    state: str = field(repr=False)
    code_verifier: str = field(repr=False)


def authorization_request(base_url: str, client_id: str, redirect_uri: str, scope: str = "read",
                          state: str | None = None, verifier: str | None = None,
                          **extra: str) -> AuthorizationRequest:
    """The `/oauth/authorize` URL with a fresh state and an S256 challenge (the only method accepted)."""
    state = state or secrets.token_urlsafe(24)
    verifier = verifier or code_verifier()
    query = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
             "scope": scope, "state": state, "code_challenge": code_challenge(verifier),
             "code_challenge_method": "S256", **extra}
    url = f"{base_url.rstrip('/')}/oauth/authorize?{urlencode(query)}"
    return AuthorizationRequest(url, state, verifier)


def code_from_redirect(redirect_url: str, expected_state: str) -> str:
    """The `code` of the redirect back to the app, after checking `state` (RFC 6749 §10.12).

    An `error=` redirect (the user pressed Deny, a bad scope...) raises ApiError with that error.
    """
    query = parse_qs(urlsplit(redirect_url).query)
    got_state = query.get("state", [""])[0]
    if not secrets.compare_digest(got_state.encode(), expected_state.encode()):
        raise ApiError(400, "invalid_state", "The redirect's state is not the one this request sent.")
    if "error" in query:
        raise ApiError(400, query["error"][0], query.get("error_description", [""])[0])
    codes = query.get("code", [])
    if len(codes) != 1 or not codes[0]:
        raise ApiError(400, "invalid_request", "The redirect carries no code.")
    return codes[0]
