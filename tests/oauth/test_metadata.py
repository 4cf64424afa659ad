"""RFC 8414 metadata, the JWKS, signing keys in Secrets Manager, and key rotation."""

from __future__ import annotations

import json
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from chalicelib.bootstrap import bootstrap
from chalicelib.errors import Unauthenticated
from chalicelib.oauth import access_tokens, signing_keys
from chalicelib.settings import get_settings
from chalicelib.store import jwks as jwks_store
from chalicelib.store import secrets
from tests.conftest import Browser, body_of
from tests.oauth.conftest import OAuthClient, claims_of, tokens_for


def test_metadata_lists_every_endpoint(client: Any) -> None:
    response = client.http.get("/.well-known/oauth-authorization-server")
    doc = body_of(response)
    issuer = "http://127.0.0.1:8000"
    assert doc["issuer"] == issuer
    assert doc["authorization_endpoint"] == f"{issuer}/oauth/authorize"
    assert doc["token_endpoint"] == f"{issuer}/oauth/token"
    assert doc["revocation_endpoint"] == f"{issuer}/oauth/revoke"
    assert doc["introspection_endpoint"] == f"{issuer}/oauth/introspect"
    assert doc["jwks_uri"] == f"{issuer}/.well-known/jwks.json"
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["response_types_supported"] == ["code"]
    assert doc["grant_types_supported"] == ["authorization_code", "refresh_token", "client_credentials"]
    assert doc["scopes_supported"] == ["read", "write", "admin"]
    assert set(doc["token_endpoint_auth_methods_supported"]) == {"client_secret_basic", "client_secret_post",
                                                                 "private_key_jwt", "none"}
    assert doc["authorization_response_iss_parameter_supported"] is True
    for path in ("/oauth/authorize", "/oauth/token", "/oauth/revoke", "/oauth/introspect",
                 "/.well-known/jwks.json"):
        assert client.http.get(path).status_code != 404


def test_tokens_verify_with_only_the_published_jwks(client: Any, browser: Browser,
                                                    confidential: OAuthClient) -> None:
    issued = tokens_for(browser, confidential)
    jwks = body_of(client.http.get("/.well-known/jwks.json"))
    assert all(k["kty"] == "EC" and k["crv"] == "P-256" and "d" not in k for k in jwks["keys"])
    kid = jwt.get_unverified_header(issued["access_token"])["kid"]
    key = jwt.PyJWK(next(k for k in jwks["keys"] if k["kid"] == kid))
    claims = jwt.decode(issued["access_token"], key, algorithms=["ES256"], audience="taskforge-api",
                        issuer="http://127.0.0.1:8000")
    assert claims["client_id"] == confidential.client_id


def test_keys_live_in_secrets_manager_and_bootstrap_is_idempotent(aws: None) -> None:
    before = signing_keys.current().kid
    bootstrap()
    secrets.forget()
    assert signing_keys.current(fresh=True).kid == before
    stored = json.loads(secrets.read(get_settings().signing_key_secret) or "{}")
    assert [k["kid"] for k in stored["keys"]] == [before]
    assert stored["keys"][0]["private_pem"].startswith("-----BEGIN PRIVATE KEY-----")


def test_rotation_keeps_previous_tokens_valid(client: Any, browser: Browser,
                                              confidential: OAuthClient) -> None:
    old = tokens_for(browser, confidential)
    old_kid = jwt.get_unverified_header(old["access_token"])["kid"]
    new_kid = signing_keys.rotate()
    assert new_kid != old_kid
    published = body_of(client.http.get("/.well-known/jwks.json"))["keys"]
    assert [k["kid"] for k in published] == [new_kid, old_kid]
    new = tokens_for(browser, confidential)
    assert jwt.get_unverified_header(new["access_token"])["kid"] == new_kid
    assert access_tokens.verify(old["access_token"]) and access_tokens.verify(new["access_token"])
    signing_keys.rotate()  # the key two back is retired
    with pytest.raises(Unauthenticated):
        access_tokens.verify(old["access_token"])
    assert access_tokens.verify(new["access_token"])


def test_retiring_the_previous_key(client: Any, browser: Browser, confidential: OAuthClient) -> None:
    old = tokens_for(browser, confidential)
    old_kid = jwt.get_unverified_header(old["access_token"])["kid"]
    assert signing_keys.retire_previous() == []  # nothing to retire yet
    new_kid = signing_keys.rotate()
    assert signing_keys.retire_previous() == [old_kid]
    assert [k["kid"] for k in body_of(client.http.get("/.well-known/jwks.json"))["keys"]] == [new_kid]
    with pytest.raises(Unauthenticated):
        access_tokens.verify(old["access_token"])
    assert access_tokens.verify(tokens_for(browser, confidential)["access_token"])


def test_an_unknown_kid_rereads_the_published_jwks(aws: None, monkeypatch: pytest.MonkeyPatch,
                                                   browser: Browser, confidential: OAuthClient) -> None:
    """Another container rotated: this one still caches the old key set and must catch up."""
    issued = tokens_for(browser, confidential)
    assert access_tokens.verify(issued["access_token"])  # this container now caches the published keys
    entry = signing_keys.generate()
    key = serialization.load_pem_private_key(entry["private_pem"].encode(), None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    new_jwk = {**signing_keys.public_jwk(key.public_key()), "kid": entry["kid"], "use": "sig", "alg": "ES256"}
    # The other container's rotation, published straight to the table (our cache does not see it).
    jwks_store.put([new_jwk, *(jwks_store.get(consistent=True) or [])], 0)
    monkeypatch.setattr(signing_keys, "_last_refresh", [0.0])  # no re-read happened in the last 30 s
    token = jwt.encode(claims_of(issued["access_token"]), key, algorithm="ES256",
                       headers={"typ": "at+jwt", "kid": entry["kid"]})
    assert access_tokens.verify(token).client_id == confidential.client_id


def test_missing_signing_keys_fail_closed(aws: None, client: Any) -> None:
    secrets.client().delete_secret(SecretId=get_settings().signing_key_secret,
                                   ForceDeleteWithoutRecovery=True)
    secrets.forget()
    response = client.http.get("/.well-known/jwks.json")
    assert response.status_code == 503 and body_of(response)["error"] == "temporarily_unavailable"
