"""OAuth fixtures: registered clients and a signed-in browser that walks the code flow."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from chalicelib.oauth import pkce
from tests.conftest import Browser
from tests.html import hidden_inputs

ROOT_DIR = Path(__file__).resolve().parents[2]
REDIRECT = "https://app.example.com/callback"
VERIFIER = "v" * 43 + "-._~0123456789"
CHALLENGE = pkce.s256(VERIFIER)


@dataclass
class OAuthClient:
    client_id: str
    secret: str | None
    redirect_uri: str
    scopes: list[str]


def register(browser: Browser, kind: str = "confidential", scopes: list[str] | None = None,
             redirect_uris: list[str] | None = None, **extra: Any) -> OAuthClient:
    body = {"name": f"Test {kind} app", "type": kind, "redirect_uris": redirect_uris or [REDIRECT],
            "scopes": scopes or ["read", "write"], **extra}
    response = browser.post("/account/oauth-clients", body)
    assert response.status_code == 201, response.body
    data = json.loads(response.body)
    return OAuthClient(data["client_id"], data.get("client_secret"), body["redirect_uris"][0],
                       body["scopes"])


def authorize_query(client: OAuthClient, **overrides: Any) -> dict[str, Any]:
    query: dict[str, Any] = {"response_type": "code", "client_id": client.client_id,
                             "redirect_uri": client.redirect_uri, "scope": "read",
                             "state": "xyz 123/?&=", "code_challenge": CHALLENGE,
                             "code_challenge_method": "S256"}
    query.update(overrides)
    return {k: v for k, v in query.items() if v is not None}


def form_post(browser: Browser, path: str, fields: Any, headers: dict[str, str] | None = None) -> Any:
    """An HTML form post: only the form's own fields prove CSRF (no X-CSRF-Token header)."""
    sent = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
    saved, browser.csrf = browser.csrf, None
    try:
        return browser.request("POST", path, raw=urlencode(fields, doseq=True).encode(), headers=sent)
    finally:
        browser.csrf = saved


def redirect_params(response: Any) -> dict[str, str]:
    assert response.status_code == 303, response.body
    location = response.headers["Location"]
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def consent(browser: Browser, query: dict[str, Any], decision: str = "allow") -> Any:
    page = browser.get("/oauth/authorize?" + urlencode(query))
    if page.status_code == 303 and "code=" in page.headers["Location"]:
        if decision == "allow":
            return page  # consent remembered: straight back with a code, no page
        page = browser.get("/oauth/authorize?" + urlencode({**query, "prompt": "consent"}))
    assert page.status_code == 200, page.body
    fields = hidden_inputs(page.body.decode())
    return form_post(browser, "/oauth/authorize", {**fields, "decision": decision})


def get_code(browser: Browser, client: OAuthClient, **overrides: Any) -> str:
    return redirect_params(consent(browser, authorize_query(client, **overrides)))["code"]


def basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def token_request(browser: Browser, client: OAuthClient, fields: dict[str, Any],
                  method: str = "basic", path: str = "/oauth/token") -> Any:
    """POST to an OAuth endpoint authenticating as `client` (basic, post or none)."""
    fields = dict(fields)
    headers: dict[str, str] = {}
    if method == "basic":
        assert client.secret
        headers = basic(client.client_id, client.secret)
    elif method == "post":
        fields.update(client_id=client.client_id, client_secret=client.secret)
    else:
        fields["client_id"] = client.client_id
    anonymous = Browser(browser.client)  # the client's server, not the user's browser: no cookies
    return form_post(anonymous, path, fields, headers)


def exchange(browser: Browser, client: OAuthClient, code: str, method: str = "basic",
             **extra: Any) -> Any:
    fields = {"grant_type": "authorization_code", "code": code, "redirect_uri": client.redirect_uri,
              "code_verifier": VERIFIER, **extra}
    return token_request(browser, client, {k: v for k, v in fields.items() if v is not None}, method)


def tokens_for(browser: Browser, client: OAuthClient, scope: str = "read",
               method: str = "basic") -> dict[str, Any]:
    response = exchange(browser, client, get_code(browser, client, scope=scope), method)
    assert response.status_code == 200, response.body
    return dict(json.loads(response.body))


def refresh(browser: Browser, client: OAuthClient, refresh_token: str, method: str = "basic",
            **extra: Any) -> Any:
    return token_request(browser, client, {"grant_type": "refresh_token", "refresh_token": refresh_token,
                                           **extra}, method)


def introspect(browser: Browser, client: OAuthClient, token: str, method: str = "basic") -> Any:
    return token_request(browser, client, {"token": token}, method, path="/oauth/introspect")


def revoke(browser: Browser, client: OAuthClient, token: str, method: str = "basic", **extra: Any) -> Any:
    return token_request(browser, client, {"token": token, **extra}, method, path="/oauth/revoke")


def claims_of(access_token: str) -> dict[str, Any]:
    """The payload without verification (tests read what the token says, then check it elsewhere)."""
    payload = access_token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


@pytest.fixture
def confidential(browser: Browser) -> OAuthClient:
    return register(browser, "confidential")


@pytest.fixture
def public_client(browser: Browser) -> OAuthClient:
    return register(browser, "public")


def grant_of(code: str) -> str:
    """The id of the (pending) grant an authorization code leads to."""
    from chalicelib.oauth import codes

    located = codes.locate(code)
    assert located is not None
    return located[0]
