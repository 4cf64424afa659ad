"""Registering, listing and deleting OAuth clients (/account/oauth-clients)."""

from __future__ import annotations

import hashlib
import json

import pytest

from chalicelib import audit
from chalicelib.store import db
from tests.conftest import Account, Browser, body_of, make_account
from tests.oauth.conftest import REDIRECT, claims_of, refresh, register, tokens_for


def test_confidential_client_gets_a_secret_once(browser: Browser, account: Account) -> None:
    created = browser.post("/account/oauth-clients", {"name": "Reports", "type": "confidential",
                                                      "redirect_uris": [REDIRECT], "scopes": ["read"]})
    assert created.status_code == 201
    data = body_of(created)
    assert data["client_id"].startswith("cli_")
    assert data["client_secret"].startswith("tfs_") and len(data["client_secret"]) == 42
    listed = body_of(browser.get("/account/oauth-clients"))["oauth_clients"]
    assert [c["client_id"] for c in listed] == [data["client_id"]]
    assert "client_secret" not in listed[0] and "secret_hash" not in listed[0]
    assert listed[0]["redirect_uris"] == [REDIRECT] and listed[0]["scopes"] == ["read"]
    stored = db.get(f"CLIENT#{data['client_id']}", "CLIENT")
    assert stored is not None and "secret_hash" not in stored
    (entry,) = stored["secrets"].values()  # a SHA-256 digest, checked in constant time
    assert entry["digest"] == hashlib.sha256(data["client_secret"].encode()).hexdigest()
    assert data["client_secret"] not in json.dumps(stored)


def test_public_client_has_no_secret_and_default_scope_is_read(browser: Browser) -> None:
    created = browser.post("/account/oauth-clients", {"name": "CLI", "type": "public",
                                                      "redirect_uris": ["http://127.0.0.1:8765/cb"]})
    data = body_of(created)
    assert created.status_code == 201 and "client_secret" not in data
    assert data["scopes"] == ["read"] and data["type"] == "public"


def test_clients_are_listed_per_workspace(client, browser: Browser) -> None:
    register(browser)
    other = Browser(client)
    other.login(make_account(client, "grace@example.com").email)
    assert body_of(other.get("/account/oauth-clients")) == {"oauth_clients": []}


def test_delete_client_revokes_its_grants(browser: Browser, account: Account) -> None:
    app_client = register(browser)
    issued = tokens_for(browser, app_client)
    assert browser.delete(f"/account/oauth-clients/{app_client.client_id}").status_code == 204
    assert body_of(browser.get("/account/oauth-clients")) == {"oauth_clients": []}
    assert body_of(refresh(browser, app_client, issued["refresh_token"]))["error"] == "invalid_client"
    grant = db.get(f"GRANT#{claims_of(issued['access_token'])['sid']}", "GRANT")
    assert grant is not None and grant["revoked_at"]
    types = [e["type"] for e in audit.events(account.workspace_id)["events"]]
    assert {"oauth.client_created", "oauth.client_deleted", "oauth.grant_revoked"} <= set(types)
    assert browser.delete(f"/account/oauth-clients/{app_client.client_id}").status_code == 404


def test_another_workspace_cannot_delete(client, browser: Browser) -> None:
    app_client = register(browser)
    other = Browser(client)
    other.login(make_account(client, "grace@example.com").email)
    assert other.delete(f"/account/oauth-clients/{app_client.client_id}").status_code == 404
    assert other.delete("/account/oauth-clients/cli_doesnotexist").status_code == 404
    assert len(body_of(browser.get("/account/oauth-clients"))["oauth_clients"]) == 1


@pytest.mark.parametrize("uri", [
    "http://app.example.com/cb",          # plain http off loopback
    "http://localhost:8080/cb",           # a name, not a loopback address (RFC 8252 §8.3)
    "https://app.example.com/cb#frag",    # fragment (RFC 6749 §3.1.2)
    "https://app.example.com/cb#",
    "javascript:alert(1)",
    "/relative/path",
    "https://user:pw@app.example.com/cb",
    "https://app.example.com/ cb",
    "https://app.example.com/çb",
    "https://app.example.com:99999/cb",
    "https://" + "a" * 600 + ".example.com/cb",
    "",
])
def test_bad_redirect_uris_are_refused(browser: Browser, uri: str) -> None:
    response = browser.post("/account/oauth-clients", {"name": "X", "type": "public", "redirect_uris": [uri]})
    assert response.status_code == 400
    assert body_of(response)["error"] == "invalid_request"


@pytest.mark.parametrize("uri", ["http://127.0.0.1:8765/cb", "http://[::1]:9000/cb", "http://127.0.0.2/cb",
                                 "https://app.example.com/cb?tenant=1", "https://app.example.com"])
def test_good_redirect_uris_are_accepted(browser: Browser, uri: str) -> None:
    response = browser.post("/account/oauth-clients", {"name": "X", "type": "public", "redirect_uris": [uri]})
    assert response.status_code == 201, response.body


@pytest.mark.parametrize("body", [
    {"type": "public", "redirect_uris": [REDIRECT]},                             # no name
    {"name": "  ", "type": "public", "redirect_uris": [REDIRECT]},               # blank name
    {"name": "X", "redirect_uris": [REDIRECT]},                                  # no type
    {"name": "X", "type": "spa", "redirect_uris": [REDIRECT]},                   # unknown type
    {"name": "X", "type": "public"},                                             # no redirect URIs
    {"name": "X", "type": "public", "redirect_uris": []},
    {"name": "X", "type": "public", "redirect_uris": 5},
    {"name": "X", "type": "public", "redirect_uris": [REDIRECT] * 11},
    {"name": "X", "type": "public", "redirect_uris": [REDIRECT], "scopes": ["root"]},
    {"name": "X", "type": "public", "redirect_uris": [REDIRECT], "grant_types": ["implicit"]},
    {"name": ["X"], "type": "public", "redirect_uris": [REDIRECT]},
    {"name": "X" * 101, "type": "public", "redirect_uris": [REDIRECT]},
    {"name": "X\u0000", "type": "public", "redirect_uris": [REDIRECT]},
])
def test_bad_bodies_are_a_clear_400(browser: Browser, body: dict) -> None:
    response = browser.post("/account/oauth-clients", body)
    assert response.status_code == 400, response.body
    assert body_of(response)["error"] == "invalid_request"


def test_unicode_name_is_kept(browser: Browser) -> None:
    response = browser.post("/account/oauth-clients", {"name": "Überplan ✓", "type": "public",
                                                       "redirect_uris": [REDIRECT]})
    assert response.status_code == 201 and body_of(response)["name"] == "Überplan ✓"


def test_malformed_and_huge_bodies(browser: Browser) -> None:
    assert browser.post("/account/oauth-clients", raw=b"{not json",
                        headers={"Content-Type": "application/json"}).status_code == 400
    huge = json.dumps({"name": "x" * 70000}).encode()
    assert browser.post("/account/oauth-clients", raw=huge,
                        headers={"Content-Type": "application/json"}).status_code == 400
    assert browser.post("/account/oauth-clients", raw=b"[1,2]",
                        headers={"Content-Type": "application/json"}).status_code == 400


def test_needs_session_and_csrf(client, browser: Browser) -> None:
    body = {"name": "X", "type": "public", "redirect_uris": [REDIRECT]}
    browser.csrf = None
    response = browser.post("/account/oauth-clients", body)
    assert response.status_code == 403 and body_of(response)["error"] == "invalid_csrf_token"
    anonymous = Browser(client)
    assert anonymous.post("/account/oauth-clients", body).status_code == 401
    assert anonymous.get("/account/oauth-clients").status_code == 401


def test_form_post_accepts_space_separated_lists(browser: Browser) -> None:
    from urllib.parse import urlencode

    raw = urlencode({"name": "Form app", "type": "public", "redirect_uris": f"{REDIRECT} https://b.example.com/cb",
                     "scopes": "read write", "csrf_token": browser.csrf}).encode()
    response = browser.post("/account/oauth-clients", raw=raw,
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 201, response.body
    assert body_of(response)["redirect_uris"] == [REDIRECT, "https://b.example.com/cb"]

