"""CORS at /oauth/token and /oauth/revoke: only origins of a public client's redirect URIs."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from tests.conftest import Browser, body_of
from tests.oauth.conftest import VERIFIER, get_code, register

SPA = "https://spa.example.com"
CORS_HEADERS = ("Access-Control-Allow-Origin", "Access-Control-Allow-Methods",
                "Access-Control-Allow-Headers", "Access-Control-Allow-Credentials")


def preflight(browser: Browser, origin: str, path: str = "/oauth/token", method: str = "POST") -> Any:
    return browser.client.http.request("OPTIONS", path, headers={
        "Origin": origin, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "content-type"}, body=b"")


def post(browser: Browser, path: str, fields: dict[str, str], origin: str) -> Any:
    return browser.client.http.post(path, headers={"Origin": origin,
                                                   "Content-Type": "application/x-www-form-urlencoded"},
                                    body=urlencode(fields).encode())


def no_cors(response: Any) -> bool:
    return not any(name in response.headers for name in CORS_HEADERS)


def test_public_client_origin_gets_cors(browser: Browser) -> None:
    spa = register(browser, "public", redirect_uris=[f"{SPA}/callback", "https://spa.example.com:443/other"])
    for path in ("/oauth/token", "/oauth/revoke"):
        answer = preflight(browser, SPA, path)
        assert answer.status_code == 204
        assert answer.headers["Access-Control-Allow-Origin"] == SPA
        assert "POST" in answer.headers["Access-Control-Allow-Methods"]
        assert "content-type" in answer.headers["Access-Control-Allow-Headers"].lower()
        assert "Access-Control-Allow-Credentials" not in answer.headers
    code = get_code(browser, spa)
    issued = post(browser, "/oauth/token", {"grant_type": "authorization_code", "code": code,
                                            "redirect_uri": spa.redirect_uri, "client_id": spa.client_id,
                                            "code_verifier": VERIFIER}, SPA)
    assert issued.status_code == 200 and issued.headers["Access-Control-Allow-Origin"] == SPA
    assert "Access-Control-Allow-Credentials" not in issued.headers and "Origin" in issued.headers["Vary"]
    # Errors are readable too, so the app can tell the user what went wrong.
    replay = post(browser, "/oauth/token", {"grant_type": "authorization_code", "code": code,
                                            "redirect_uri": spa.redirect_uri, "client_id": spa.client_id,
                                            "code_verifier": VERIFIER}, SPA)
    assert replay.status_code == 400 and replay.headers["Access-Control-Allow-Origin"] == SPA
    revoked = post(browser, "/oauth/revoke", {"token": body_of(issued)["refresh_token"],
                                              "client_id": spa.client_id}, SPA)
    assert revoked.status_code == 200 and revoked.headers["Access-Control-Allow-Origin"] == SPA


def test_other_origins_get_no_cors_headers(browser: Browser) -> None:
    spa = register(browser, "public", redirect_uris=[f"{SPA}/callback"])
    web = register(browser, "confidential", redirect_uris=["https://web.example.com/cb"])
    for origin in ("https://evil.example.com", "http://spa.example.com", "https://spa.example.com:8443",
                   "https://web.example.com", "null", "https://spa.example.com/path", "x" * 400):
        assert no_cors(preflight(browser, origin)), origin
    assert no_cors(preflight(browser, SPA, method="DELETE"))
    assert no_cors(preflight(browser, SPA, path="/oauth/revoke", method="PUT"))
    # The actual request from a registered origin, but for another client: no CORS headers.
    answer = post(browser, "/oauth/token", {"grant_type": "client_credentials", "client_id": web.client_id},
                  SPA)
    assert no_cors(answer)
    answer = post(browser, "/oauth/token", {"grant_type": "authorization_code", "code": "x",
                                            "client_id": spa.client_id}, "https://evil.example.com")
    assert answer.status_code == 400 and no_cors(answer)


def test_deleting_the_client_ends_its_origin(browser: Browser) -> None:
    spa = register(browser, "public", redirect_uris=[f"{SPA}/callback"])
    other = register(browser, "public", redirect_uris=[f"{SPA}/second"])
    assert browser.delete(f"/account/oauth-clients/{spa.client_id}").status_code == 204
    assert preflight(browser, SPA).headers.get("Access-Control-Allow-Origin") == SPA  # still `other`'s
    assert browser.delete(f"/account/oauth-clients/{other.client_id}").status_code == 204
    assert no_cors(preflight(browser, SPA))


def test_loopback_origin_with_port(browser: Browser) -> None:
    register(browser, "public", redirect_uris=["http://127.0.0.1:5173/callback"])
    assert preflight(browser, "http://127.0.0.1:5173").headers["Access-Control-Allow-Origin"] == \
        "http://127.0.0.1:5173"
    assert no_cors(preflight(browser, "http://127.0.0.1:5174"))
