"""Issue 17 over HTTP against the local stack, with Authlib unmodified: client_credentials with a
secret and with private_key_jwt, secret rotation, OpenID Connect id_token validation (Authlib's
CodeIDToken), remembered consent, and CORS headers as a browser would see them."""

from __future__ import annotations

import json
import time
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey
from authlib.jose import jwt as authlib_jwt
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oidc.core import CodeIDToken
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc.jwk import ECKey
from jwt.algorithms import ECAlgorithm

from tests.e2e.conftest import Stack
from tests.e2e.http.interop import REDIRECT, Person


def me(stack: Stack, token: str) -> requests.Response:
    return requests.get(f"{stack.url}/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_client_credentials_and_rotation_with_authlib(stack: Stack) -> None:
    person = Person(stack)
    app = person.register(type="confidential", grant_types=["client_credentials"], scopes=["write"])
    session = OAuth2Session(app["client_id"], app["client_secret"], scope="read")
    token = session.fetch_token(f"{stack.url}/oauth/token", grant_type="client_credentials")
    assert token["scope"] == "read" and "refresh_token" not in token
    answer = me(stack, token["access_token"])
    assert answer.status_code == 200 and answer.json()["principal_type"] == "client"
    assert "user_id" not in answer.json() and answer.json()["client_id"] == app["client_id"]
    # Rotate: both secrets work until the old one is deleted; then only the new one.
    added = person.setup.post(f"{stack.url}/account/oauth-clients/{app['client_id']}/secrets",
                              headers={"X-CSRF-Token": person.csrf}).json()
    rotated = OAuth2Session(app["client_id"], added["client_secret"], scope="write")
    renewed = rotated.fetch_token(f"{stack.url}/oauth/token", grant_type="client_credentials")
    assert renewed["scope"] == "write"
    old_id = next(s["secret_id"] for s in person.setup.get(f"{stack.url}/account/oauth-clients").json()
                  ["oauth_clients"][0]["secrets"] if s["secret_id"] != added["secret_id"])
    deleted = person.setup.delete(f"{stack.url}/account/oauth-clients/{app['client_id']}/secrets/{old_id}",
                                  headers={"X-CSRF-Token": person.csrf})
    assert deleted.status_code == 204
    assert me(stack, token["access_token"]).status_code == 401  # obtained with the deleted secret
    stale = requests.post(f"{stack.url}/oauth/token", data={"grant_type": "client_credentials"},
                          auth=(app["client_id"], app["client_secret"]), timeout=10)
    assert stale.status_code == 401 and stale.json()["error"] == "invalid_client"


def test_private_key_jwt_with_authlib(stack: Stack) -> None:
    person = Person(stack)
    key = ec.generate_private_key(ec.SECP256R1())
    jwk = {**json.loads(ECAlgorithm.to_jwk(key.public_key())), "kid": "job-key-1"}
    app = person.register(type="confidential", grant_types=["client_credentials"], scopes=["read"],
                          token_endpoint_auth_method="private_key_jwt", jwks={"keys": [jwk]})
    assert "client_secret" not in app
    pem = ECKey.import_key(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()))  # Authlib reads PEM as RSA
    token_url = f"{stack.url}/oauth/token"

    def signer() -> PrivateKeyJWT:
        # Authlib's assertion lives 3600 s by default: ask for 2 minutes (we accept at most 5).
        return PrivateKeyJWT(token_url, claims={"exp": int(time.time()) + 120}, headers={"kid": "job-key-1"},
                             alg="ES256")

    session = OAuth2Session(app["client_id"], pem, token_endpoint_auth_method=signer(), scope="read")
    token = session.fetch_token(token_url, grant_type="client_credentials")
    assert me(stack, token["access_token"]).json()["principal_type"] == "client"
    # A replayed assertion (the same jti) is refused.
    replay = signer()
    first = OAuth2Session(app["client_id"], pem, token_endpoint_auth_method=replay)
    first.fetch_token(token_url, grant_type="client_credentials")
    again = requests.post(token_url, data={"grant_type": "client_credentials",
                                           "client_assertion_type":
                                               "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                                           "client_assertion": replay.sign(first, token_url)}, timeout=10)
    assert again.status_code == 401 and again.json()["error"] == "invalid_client"


def test_openid_connect_with_authlib_id_token_validation(stack: Stack) -> None:
    person = Person(stack)
    app = person.register(type="confidential", redirect_uris=[REDIRECT], scopes=["read"])
    oauth = OAuth2Session(app["client_id"], app["client_secret"], scope="openid email read",
                          redirect_uri=REDIRECT, code_challenge_method="S256")
    verifier, nonce = generate_token(48), generate_token(20)
    url, _ = oauth.create_authorization_url(f"{stack.url}/oauth/authorize", code_verifier=verifier,
                                            nonce=nonce)
    token = oauth.fetch_token(f"{stack.url}/oauth/token", authorization_response=person.authorize(url),
                              code_verifier=verifier)
    config = requests.get(f"{stack.url}/.well-known/openid-configuration", timeout=10).json()
    jwks = JsonWebKey.import_key_set(requests.get(config["jwks_uri"], timeout=10).json())
    claims = authlib_jwt.decode(token["id_token"], jwks, claims_cls=CodeIDToken,
                                claims_options={"iss": {"essential": True, "value": config["issuer"]}},
                                claims_params={"nonce": nonce, "client_id": app["client_id"],
                                               "access_token": token["access_token"]})
    claims.validate()  # iss, aud, exp, iat, auth_time, nonce, at_hash
    assert claims["email"] == person.email
    info = requests.get(config["userinfo_endpoint"], timeout=10,
                        headers={"Authorization": f"Bearer {token['access_token']}"}).json()
    assert info["sub"] == claims["sub"] and info["email"] == person.email
    assert me(stack, token["id_token"]).status_code == 401  # never an API credential
    # Consent is remembered: the next authorization goes straight back with a code.
    url, _ = oauth.create_authorization_url(f"{stack.url}/oauth/authorize", code_verifier=verifier)
    assert person.browser.get(url, allow_redirects=False).headers["Location"].startswith(REDIRECT + "?code=")
    silent, _ = oauth.create_authorization_url(f"{stack.url}/oauth/authorize", code_verifier=verifier,
                                               prompt="none")
    stranger = requests.get(silent, allow_redirects=False, timeout=10)
    assert "error=login_required" in stranger.headers["Location"]


def test_cors_for_a_single_page_app(stack: Stack) -> None:
    person = Person(stack)
    spa_origin = "http://127.0.0.1:5173"
    app: dict[str, Any] = person.register(type="public", redirect_uris=[f"{spa_origin}/callback"])
    preflight = requests.options(f"{stack.url}/oauth/token", timeout=10, headers={
        "Origin": spa_origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == spa_origin
    assert "Access-Control-Allow-Credentials" not in preflight.headers
    answer = requests.post(f"{stack.url}/oauth/token", headers={"Origin": spa_origin}, timeout=10,
                           data={"grant_type": "authorization_code", "code": "x",
                                 "client_id": app["client_id"]})
    assert answer.status_code == 400 and answer.headers["Access-Control-Allow-Origin"] == spa_origin
    evil = requests.options(f"{stack.url}/oauth/token", timeout=10, headers={
        "Origin": "https://evil.example.com", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in evil.headers
