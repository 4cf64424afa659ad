"""private_key_jwt (RFC 7523 §2.2/§3): registered jwks, ES256/RS256 assertions, each refusal."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from tests.conftest import Browser, body_of
from tests.oauth.conftest import OAuthClient, claims_of, form_post, get_code

ISSUER = "http://127.0.0.1:8000"
TOKEN_URL = f"{ISSUER}/oauth/token"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
EC_KEY = ec.generate_private_key(ec.SECP256R1())
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def jwk(key: Any, kid: str) -> dict[str, Any]:
    algorithm = ECAlgorithm if isinstance(key, ec.EllipticCurvePrivateKey) else RSAAlgorithm
    return {**json.loads(algorithm.to_jwk(key.public_key())), "kid": kid}


def register_jwt_client(browser: Browser, keys: list[dict[str, Any]] | None = None,
                        grant_types: list[str] | None = None) -> OAuthClient:
    answer = browser.post("/account/oauth-clients", {
        "name": "Signed job", "type": "confidential", "redirect_uris": ["https://app.example.com/callback"],
        "scopes": ["read", "write"], "token_endpoint_auth_method": "private_key_jwt",
        "grant_types": grant_types or ["authorization_code", "client_credentials"],
        "jwks": {"keys": keys or [jwk(EC_KEY, "ec-1"), jwk(RSA_KEY, "rsa-1")]}})
    assert answer.status_code == 201, answer.body
    data = body_of(answer)
    assert "client_secret" not in data and "secrets" not in data  # no shared secret at all
    return OAuthClient(data["client_id"], None, "https://app.example.com/callback", ["read", "write"])


def assertion(client_id: str, key: Any = EC_KEY, alg: str = "ES256", kid: str | None = "ec-1",
              **claims: Any) -> str:
    now = int(time.time())
    body = {"iss": client_id, "sub": client_id, "aud": TOKEN_URL, "iat": now, "exp": now + 60,
            "jti": str(uuid.uuid4()), **claims}
    headers = {"kid": kid} if kid else {}
    return jwt.encode({k: v for k, v in body.items() if v is not None}, key, algorithm=alg, headers=headers)


def post(browser: Browser, fields: dict[str, Any], path: str = "/oauth/token",
         headers: dict[str, str] | None = None) -> Any:
    return form_post(Browser(browser.client), path, fields, headers)


def cc(browser: Browser, signed: str, **extra: Any) -> Any:
    return post(browser, {"grant_type": "client_credentials", "client_assertion_type": JWT_BEARER,
                          "client_assertion": signed, **extra})


def test_es256_and_rs256_assertions_get_tokens(browser: Browser) -> None:
    app = register_jwt_client(browser)
    listed = body_of(browser.get("/account/oauth-clients"))["oauth_clients"][0]
    assert listed["token_endpoint_auth_method"] == "private_key_jwt"
    assert [k["kid"] for k in listed["jwks"]["keys"]] == ["ec-1", "rsa-1"]
    ec_answer = cc(browser, assertion(app.client_id))
    assert ec_answer.status_code == 200, ec_answer.body
    assert claims_of(body_of(ec_answer)["access_token"])["sid"] == "key:ec-1"
    rs_answer = cc(browser, assertion(app.client_id, RSA_KEY, "RS256", "rsa-1", aud=ISSUER))
    assert rs_answer.status_code == 200, rs_answer.body
    bearer = {"Authorization": "Bearer " + body_of(rs_answer)["access_token"]}
    me = browser.client.http.get("/v1/me", headers=bearer)
    assert body_of(me)["principal_type"] == "client"


def test_authorization_code_with_an_assertion(browser: Browser) -> None:
    app = register_jwt_client(browser)
    code = get_code(browser, app, code_challenge=None, code_challenge_method=None)
    answer = post(browser, {"grant_type": "authorization_code", "code": code,
                            "redirect_uri": app.redirect_uri, "client_assertion_type": JWT_BEARER,
                            "client_assertion": assertion(app.client_id)})
    assert answer.status_code == 200, answer.body
    token = body_of(answer)["access_token"]
    for path in ("/oauth/introspect", "/oauth/revoke"):
        signed = assertion(app.client_id, aud=ISSUER + path)
        answered = post(browser, {"token": token, "client_assertion_type": JWT_BEARER,
                                  "client_assertion": signed}, path)
        assert answered.status_code == 200, answered.body
    assert browser.client.http.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256(client_id: str) -> str:
    """The classic confusion attack: the registered public key used as an HMAC secret (built by hand:
    PyJWT itself refuses to sign this)."""
    now = int(time.time())
    header = _b64(json.dumps({"alg": "HS256", "kid": "ec-1"}).encode())
    payload = _b64(json.dumps({"iss": client_id, "sub": client_id, "aud": TOKEN_URL, "exp": now + 60,
                               "jti": "h"}).encode())
    secret = json.dumps(jwk(EC_KEY, "ec-1")).encode()
    signature = _b64(hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    return f"{header}.{payload}.{signature}"


def _none(client_id: str) -> str:
    now = int(time.time())
    return jwt.encode({"iss": client_id, "sub": client_id, "aud": TOKEN_URL, "exp": now + 60, "jti": "n"},
                      None, algorithm="none", headers={"kid": "ec-1"})


OTHER_KEY = ec.generate_private_key(ec.SECP256R1())


@pytest.mark.parametrize("make, why", [
    (lambda c: assertion(c, OTHER_KEY), "signature"),                               # wrong key
    (_none, "alg none"),
    (_hs256, "HS256 with the public key as secret"),
    (lambda c: assertion(c, kid="unknown"), "unknown kid"),
    (lambda c: assertion(c, EC_KEY, "ES256", "rsa-1"), "alg does not match the key"),
    (lambda c: assertion(c, exp=int(time.time()) - 120), "expired"),
    (lambda c: assertion(c, exp=int(time.time()) + 3600), "exp too far ahead"),
    (lambda c: assertion(c, aud="https://elsewhere.example.com/token"), "wrong aud"),
    (lambda c: assertion(c, iss="cli_someoneelse"), "iss differs from sub"),
    (lambda c: assertion(c, jti=None), "no jti"),
    (lambda c: assertion(c, exp=None), "no exp"),
    (lambda c: "not.a.jwt", "garbage"),
])
def test_bad_assertions_are_invalid_client(browser: Browser, make: Any, why: str) -> None:
    app = register_jwt_client(browser)
    answer = cc(browser, make(app.client_id))
    assert answer.status_code == 401, (why, answer.body)
    assert body_of(answer)["error"] == "invalid_client", why


def test_a_jti_works_once(browser: Browser) -> None:
    app = register_jwt_client(browser)
    signed = assertion(app.client_id)
    assert cc(browser, signed).status_code == 200
    replayed = cc(browser, signed)
    assert replayed.status_code == 401 and "already used" in body_of(replayed)["error_description"]


def test_method_mixups(browser: Browser) -> None:
    app = register_jwt_client(browser)
    wrong_type = cc(browser, assertion(app.client_id), client_assertion_type="urn:example:saml")
    assert wrong_type.status_code == 401
    with_secret = cc(browser, assertion(app.client_id), client_secret="tfs_x")
    assert with_secret.status_code == 400 and body_of(with_secret)["error"] == "invalid_request"
    with_basic = post(browser, {"grant_type": "client_credentials", "client_assertion_type": JWT_BEARER,
                                "client_assertion": assertion(app.client_id)},
                      headers={"Authorization": "Basic Y2xpX3g6eQ=="})
    assert with_basic.status_code == 400
    other_id = cc(browser, assertion(app.client_id), client_id="cli_another")
    assert other_id.status_code == 401
    # A secret client cannot authenticate with an assertion, nor a jwt client with no proof.
    secret_client = body_of(browser.post("/account/oauth-clients", {
        "name": "s", "type": "confidential", "grant_types": ["client_credentials"]}))
    assert cc(browser, assertion(secret_client["client_id"])).status_code == 401
    bare = post(browser, {"grant_type": "client_credentials", "client_id": app.client_id})
    assert bare.status_code == 401


@pytest.mark.parametrize("jwks", [
    None,
    {"keys": []},
    {"keys": "x"},
    {"keys": [{"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA", "kid": "k"}]},   # not on the curve
    {"keys": [{**jwk(EC_KEY, "a"), "d": "secret"}]},                              # a private key
    {"keys": [{k: v for k, v in jwk(EC_KEY, "a").items() if k != "kid"}]},        # no kid
    {"keys": [jwk(EC_KEY, "a"), jwk(RSA_KEY, "a")]},                              # duplicate kid
    {"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "h"}]},                       # symmetric
    {"keys": [jwk(rsa.generate_private_key(public_exponent=65537, key_size=1024), "small")]},
    {"keys": [jwk(ec.generate_private_key(ec.SECP384R1()), "p384")]},
    {"keys": [jwk(EC_KEY, f"k{i}") for i in range(6)]},
    {"keys": [{**jwk(EC_KEY, "a"), "x": 5}]},
])
def test_bad_jwks_are_refused(browser: Browser, jwks: Any) -> None:
    answer = browser.post("/account/oauth-clients", {
        "name": "bad", "type": "confidential", "grant_types": ["client_credentials"],
        "token_endpoint_auth_method": "private_key_jwt", "jwks": jwks})
    assert answer.status_code == 400 and body_of(answer)["error"] == "invalid_request", answer.body


def test_jwks_only_with_private_key_jwt(browser: Browser) -> None:
    answer = browser.post("/account/oauth-clients", {
        "name": "bad", "type": "confidential", "grant_types": ["client_credentials"],
        "jwks": {"keys": [jwk(EC_KEY, "a")]}})
    assert answer.status_code == 400


def test_exp_at_most_five_minutes_ahead(browser: Browser) -> None:
    app = register_jwt_client(browser)
    now = int(time.time())
    assert cc(browser, assertion(app.client_id, exp=now + 290)).status_code == 200
    assert cc(browser, assertion(app.client_id, exp=now + 310)).status_code == 401
