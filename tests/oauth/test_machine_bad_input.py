"""Bad input at the issue-17 routes: lone surrogates, wrong types, nesting, malformed assertions,
odd origins: always a clear 4xx (or a 204 preflight without CORS headers), never a 5xx."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Browser
from tests.oauth.conftest import register

JWT_BEARER = "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
JWT_CLIENT = {"name": "x", "type": "confidential", "grant_types": ["client_credentials"],
              "token_endpoint_auth_method": "private_key_jwt"}


def test_secret_routes_with_odd_ids(browser: Browser) -> None:
    app = register(browser)
    for path in ("/account/oauth-clients/cli_%ED%A0%80/secrets", "/account/oauth-clients/cli_\ud800/secrets",
                 f"/account/oauth-clients/{app.client_id}/secrets/sec_\ud800",
                 f"/account/oauth-clients/{app.client_id}/secrets/{'x' * 5000}"):
        for method in ("POST", "DELETE"):
            answer = browser.request(method, path)
            assert 400 <= answer.status_code < 500, (path, method, answer.body)


@pytest.mark.parametrize("body", [
    {"name": "x", "type": "confidential", "token_endpoint_auth_method": {"a": 1}},
    {"name": "x", "type": "confidential", "grant_types": [{"a": 1}]},
    {**JWT_CLIENT, "jwks": {"keys": [{"kty": "RSA", "n": "\ud800", "e": "AQAB", "kid": "a"}]}},
    {**JWT_CLIENT, "jwks": {"keys": [{"kty": "EC", "crv": "P-256", "x": "\ud800", "y": "a",
                                      "kid": "\ud800"}]}},
    {**JWT_CLIENT, "jwks": {"keys": [[[[[]]]]]}},
    {**JWT_CLIENT, "jwks": "x"},
])
def test_bad_registrations(browser: Browser, body: dict[str, Any]) -> None:
    assert browser.post("/account/oauth-clients", body).status_code == 400


@pytest.mark.parametrize("form", [
    f"grant_type=client_credentials&client_assertion_type={JWT_BEARER}"
    "&client_assertion=eyJhbGciOiJFUzI1NiJ9.W1tbW1tbW11dXV1dXQ.x",
    f"grant_type=client_credentials&client_assertion_type={JWT_BEARER}&client_assertion=a.a.a",
    f"grant_type=client_credentials&client_assertion_type={JWT_BEARER}&client_assertion=" + "a" * 9000,
    "grant_type=client_credentials&client_assertion_type=x",
    "grant_type=client_credentials&client_assertion=a.b.c",
])
def test_malformed_assertions(browser: Browser, form: str) -> None:
    answer = browser.client.http.post("/oauth/token", body=form.encode(),
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code in (400, 401), answer.body


def test_odd_origin_and_userinfo_credentials(browser: Browser) -> None:
    preflight = browser.client.http.request("OPTIONS", "/oauth/token", body=b"",
                                            headers={"Origin": "https://\ud800.example"})
    assert preflight.status_code == 204 and "Access-Control-Allow-Origin" not in preflight.headers
    answer = browser.client.http.get("/oauth/userinfo", headers={"Authorization": "Bearer \ud800"})
    assert answer.status_code == 401
