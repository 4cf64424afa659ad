"""access_tokens.verify: the authorizer's JWT decision (RFC 9068 §4, RFC 8725)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import subprocess
import sys
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from chalicelib.errors import Unauthenticated
from chalicelib.oauth import access_tokens, signing_keys
from chalicelib.store import db
from tests.conftest import Account, Browser
from tests.oauth.conftest import ROOT_DIR, OAuthClient, claims_of, revoke, tokens_for


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _resign(token: str, header: dict[str, Any] | None = None, claims: dict[str, Any] | None = None,
            key: Any = None, algorithm: str = "ES256") -> str:
    """The same token with changed header/claims, signed with our current key unless told otherwise."""
    keyset = signing_keys.current()
    new_header = {"alg": algorithm, "typ": "at+jwt", "kid": keyset.kid, **(header or {})}
    payload = {**claims_of(token), **(claims or {})}
    return jwt.encode({k: v for k, v in payload.items() if v is not None},
                      key if key is not None else keyset.private_key, algorithm=algorithm,
                      headers={k: v for k, v in new_header.items() if v is not None})


@pytest.fixture
def issued(browser: Browser, confidential: OAuthClient) -> dict[str, Any]:
    return tokens_for(browser, confidential, scope="read write")


def test_valid_token_gives_a_user_principal(issued: dict[str, Any], account: Account,
                                            confidential: OAuthClient) -> None:
    principal = access_tokens.verify(issued["access_token"])
    claims = claims_of(issued["access_token"])
    assert principal.principal_type == "user" and principal.user_id == account.user_id
    assert principal.workspace_id == account.workspace_id and principal.client_id == confidential.client_id
    assert principal.scopes == ("read", "write") and principal.credential_id == claims["sid"]
    header = jwt.get_unverified_header(issued["access_token"])
    assert header == {"alg": "ES256", "typ": "at+jwt", "kid": signing_keys.current().kid}


def test_alg_none_is_refused(issued: dict[str, Any]) -> None:
    header = _b64(json.dumps({"alg": "none", "typ": "at+jwt", "kid": signing_keys.current().kid}).encode())
    body = issued["access_token"].split(".")[1]
    for token in (f"{header}.{body}.", f"{header}.{body}.{issued['access_token'].split('.')[2]}"):
        with pytest.raises(Unauthenticated):
            access_tokens.verify(token)


def test_hs256_signed_with_the_public_key_is_refused(issued: dict[str, Any]) -> None:
    """Key confusion: the attacker uses our published public key as an HMAC secret."""
    keyset = signing_keys.current()
    public_pem = keyset.public_keys[keyset.kid].public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    jwk_json = json.dumps(keyset.jwks["keys"][0]).encode()
    for secret in (public_pem, jwk_json):
        header = _b64(json.dumps({"alg": "HS256", "typ": "at+jwt", "kid": keyset.kid}).encode())
        signing_input = f"{header}.{issued['access_token'].split('.')[1]}"
        signature = _b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())
        with pytest.raises(Unauthenticated):
            access_tokens.verify(f"{signing_input}.{signature}")


def test_other_keys_and_algorithms_are_refused(issued: dict[str, Any]) -> None:
    attacker = ec.generate_private_key(ec.SECP256R1())
    forged = [
        _resign(issued["access_token"], key=attacker),                                   # our kid, their key
        _resign(issued["access_token"], header={"kid": "unknown-kid"}),                  # unknown kid
        _resign(issued["access_token"], header={"kid": None}),                           # no kid
        _resign(issued["access_token"], key=ec.generate_private_key(ec.SECP384R1()), algorithm="ES384"),
        _resign(issued["access_token"], key=rsa.generate_private_key(65537, 2048), algorithm="RS256"),
    ]
    for token in forged:
        with pytest.raises(Unauthenticated):
            access_tokens.verify(token)


def test_typ_must_be_at_jwt(issued: dict[str, Any]) -> None:
    for typ in ("JWT", None, "id_token+jwt"):
        with pytest.raises(Unauthenticated):
            access_tokens.verify(_resign(issued["access_token"], header={"typ": typ}))
    assert access_tokens.verify(_resign(issued["access_token"], header={"typ": "application/at+jwt"}))


@pytest.mark.parametrize("claims", [
    {"iss": "https://evil.example.com"}, {"aud": "another-api"}, {"iss": None}, {"aud": None},
    {"exp": None}, {"iat": None}, {"sub": None}, {"jti": None}, {"sid": None}, {"client_id": None},
    {"scope": None}, {"workspace_id": None}, {"scope": 7}, {"exp": "soon"},
])
def test_claims_are_checked(issued: dict[str, Any], claims: dict[str, Any]) -> None:
    with pytest.raises(Unauthenticated):
        access_tokens.verify(_resign(issued["access_token"], claims=claims))


def test_expiry_and_not_before_allow_at_most_60_seconds_of_skew(issued: dict[str, Any]) -> None:
    now = int(time.time())
    assert access_tokens.verify(_resign(issued["access_token"], claims={"exp": now - 30}))
    assert access_tokens.verify(_resign(issued["access_token"], claims={"nbf": now + 30}))
    for claims in ({"exp": now - 90}, {"nbf": now + 90}, {"iat": now + 90}):
        with pytest.raises(Unauthenticated):
            access_tokens.verify(_resign(issued["access_token"], claims=claims))


def test_tampered_or_malformed_tokens(issued: dict[str, Any]) -> None:
    header, body, signature = issued["access_token"].split(".")
    other_body = _b64(json.dumps({**claims_of(issued["access_token"]), "scope": "admin"}).encode())
    for token in (f"{header}.{other_body}.{signature}", f"{header}.{body}", "a.b.c", "...",
                  f"{header}.{body}.{signature}." , "x" * 5000, issued["access_token"] + "x"):
        with pytest.raises(Unauthenticated):
            access_tokens.verify(token)


def test_revoked_grant_and_revoked_jti(browser: Browser, confidential: OAuthClient,
                                       issued: dict[str, Any]) -> None:
    from tests.oauth.conftest import refresh

    newer = json.loads(refresh(browser, confidential, issued["refresh_token"]).body)
    assert revoke(browser, confidential, issued["access_token"]).status_code == 200
    with pytest.raises(Unauthenticated):
        access_tokens.verify(issued["access_token"])
    assert access_tokens.verify(newer["access_token"])  # only that one token ended
    db.update(f"GRANT#{claims_of(newer['access_token'])['sid']}", "GRANT", "SET revoked_at = :t",
              vals={":t": 1})
    with pytest.raises(Unauthenticated):
        access_tokens.verify(newer["access_token"])


def test_at_most_one_store_read(issued: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Warm: the grant only. Cold, once per container: the published JWKS first."""
    calls: list[str] = []
    events = db.client().meta.events
    recorder = lambda **kw: calls.append(kw["params"]["Key"]["pk"]["S"].split("#")[0])  # noqa: E731
    events.register("before-parameter-build.dynamodb", recorder)
    try:
        access_tokens.verify(issued["access_token"])
        assert calls == ["JWKS", "GRANT"]
        calls.clear()
        access_tokens.verify(issued["access_token"])
        # An unknown kid within REFRESH_SECONDS of the last re-read costs no read at all.
        monkeypatch.setattr(signing_keys, "_last_refresh", [time.monotonic()])
        with pytest.raises(Unauthenticated):
            access_tokens.verify(_resign(issued["access_token"], header={"kid": "unknown"}))
    finally:
        events.unregister("before-parameter-build.dynamodb", recorder)
    assert calls == ["GRANT"]


def test_import_path_is_light() -> None:
    code = ("import sys, chalicelib.oauth.access_tokens; "
            "print(sorted(m for m in ('argon2', 'jinja2', 'boto3', 'segno', 'chalice') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT_DIR, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
