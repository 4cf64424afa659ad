"""The client_credentials grant (RFC 6749 §4.4): a machine client acting for its workspace."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib import audit
from chalicelib.oauth import client_credentials
from tests.conftest import Account, Browser, body_of
from tests.keys import make_key
from tests.oauth.conftest import OAuthClient, claims_of, introspect, register, revoke, token_request


def machine(browser: Browser, scopes: list[str] | None = None, **extra: Any) -> OAuthClient:
    return register(browser, "confidential", scopes=scopes or ["read", "write"],
                    grant_types=["client_credentials"], **extra)


def cc(browser: Browser, app: OAuthClient, method: str = "basic", **fields: Any) -> Any:
    return token_request(browser, app, {"grant_type": "client_credentials", **fields}, method)


def bearer(browser: Browser, token: str, path: str = "/v1/me") -> Any:
    return browser.client.http.get(path, headers={"Authorization": f"Bearer {token}"})


def test_machine_client_gets_a_workspace_token(browser: Browser, account: Account) -> None:
    app = register(browser, "confidential", scopes=["write"], grant_types=["client_credentials"],
                   redirect_uris=None)
    listed = body_of(browser.get("/account/oauth-clients"))["oauth_clients"][0]
    assert listed["grant_types"] == ["client_credentials"]
    assert listed["token_endpoint_auth_method"] == "client_secret_basic"
    assert listed["last_token_at"] is None
    answer = cc(browser, app)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    issued = body_of(answer)
    assert set(issued) == {"access_token", "token_type", "expires_in", "scope"}  # §4.4.3: no refresh token
    assert issued["scope"] == "write" and issued["token_type"] == "Bearer" and issued["expires_in"] == 3600
    claims = claims_of(issued["access_token"])
    assert claims["sub"] == app.client_id == claims["client_id"]
    me = bearer(browser, issued["access_token"])
    assert me.status_code == 200
    assert body_of(me) == {"principal_type": "client", "workspace_id": account.workspace_id,
                           "scopes": ["write"], "credential_id": app.client_id, "client_id": app.client_id}
    headers = {"Authorization": f"Bearer {issued['access_token']}", "Content-Type": "application/json"}
    tasks = browser.client.http.post("/v1/tasks", headers=headers,
                                     body=json.dumps({"title": "nightly export"}).encode())
    assert tasks.status_code == 201
    assert body_of(browser.get("/account/oauth-clients"))["oauth_clients"][0]["last_token_at"]
    event = next(e for e in audit.events(account.workspace_id)["events"]
                 if e["type"] == "oauth.client_token_issued")
    assert event["actor"] == app.client_id and event["user_id"] is None


def test_scope_narrower_allowed_wider_refused(browser: Browser) -> None:
    app = machine(browser, ["write"])
    assert body_of(cc(browser, app, scope="read"))["scope"] == "read"
    wider = cc(browser, app, scope="admin")
    assert wider.status_code == 400 and body_of(wider)["error"] == "invalid_scope"


def test_clients_not_registered_for_it_are_refused(browser: Browser) -> None:
    web = register(browser)  # authorization_code + refresh_token
    refused = cc(browser, web)
    assert refused.status_code == 400 and body_of(refused)["error"] == "unauthorized_client"
    public = register(browser, "public")
    refused = cc(browser, public, method="none")
    assert refused.status_code == 400 and body_of(refused)["error"] == "unauthorized_client"
    wrong = OAuthClient(web.client_id, "tfs_wrong", web.redirect_uri, web.scopes)
    assert body_of(cc(browser, wrong))["error"] == "invalid_client"


@pytest.mark.parametrize("body", [
    {"type": "public", "grant_types": ["client_credentials"]},
    {"type": "confidential", "grant_types": ["refresh_token"]},
    {"type": "confidential", "grant_types": ["implicit"]},
    {"type": "confidential", "grant_types": "client_credentials password"},
    {"type": "confidential", "token_endpoint_auth_method": "none"},
    {"type": "public", "token_endpoint_auth_method": "client_secret_basic"},
    {"type": "confidential", "token_endpoint_auth_method": ["client_secret_post"]},
    {"type": "confidential", "token_endpoint_auth_method": "tls_client_auth"},
])
def test_bad_registrations(browser: Browser, body: dict[str, Any]) -> None:
    answer = browser.post("/account/oauth-clients", {"name": "bad", "redirect_uris": ["https://a.example.com/cb"],
                                                     **body})
    assert answer.status_code == 400 and body_of(answer)["error"] == "invalid_request"


def test_redirect_uris_needed_only_for_the_code_flow(browser: Browser) -> None:
    answer = browser.post("/account/oauth-clients", {"name": "web", "type": "confidential"})
    assert answer.status_code == 400
    answer = browser.post("/account/oauth-clients", {"name": "cron", "type": "confidential",
                                                     "grant_types": ["client_credentials"]})
    assert answer.status_code == 201 and body_of(answer)["redirect_uris"] == []


def test_deleting_the_client_or_its_secret_ends_its_tokens(browser: Browser) -> None:
    app = machine(browser)
    first = body_of(cc(browser, app))["access_token"]
    rotated = body_of(browser.post(f"/account/oauth-clients/{app.client_id}/secrets"))
    second_app = OAuthClient(app.client_id, rotated["client_secret"], app.redirect_uri, app.scopes)
    second = body_of(cc(browser, second_app))["access_token"]
    assert bearer(browser, first).status_code == 200 and bearer(browser, second).status_code == 200
    old_id = claims_of(first)["sid"]
    assert browser.delete(f"/account/oauth-clients/{app.client_id}/secrets/{old_id}").status_code == 204
    assert bearer(browser, first).status_code == 401  # obtained with the deleted secret
    assert bearer(browser, second).status_code == 200
    assert browser.delete(f"/account/oauth-clients/{app.client_id}").status_code == 204
    assert bearer(browser, second).status_code == 401


def test_introspection_and_revocation_know_client_tokens(browser: Browser, account: Account) -> None:
    app = machine(browser)
    token = body_of(cc(browser, app))["access_token"]
    info = body_of(introspect(browser, app, token))
    assert info["active"] is True and info["sub"] == app.client_id and info["client_id"] == app.client_id
    assert info["workspace_id"] == account.workspace_id
    assert revoke(browser, app, token).status_code == 200
    assert bearer(browser, token).status_code == 401
    assert body_of(introspect(browser, app, token)) == {"active": False}
    other = machine(browser)
    foreign = body_of(cc(browser, other))["access_token"]
    refused = revoke(browser, app, foreign)
    assert refused.status_code == 400 and bearer(browser, foreign).status_code == 200


def test_token_issuance_is_rate_limited_per_client(browser: Browser, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_credentials, "TOKENS_PER_MINUTE", 2)
    app, other = machine(browser), machine(browser)
    assert cc(browser, app).status_code == 200 and cc(browser, app).status_code == 200
    limited = cc(browser, app)
    assert limited.status_code == 429 and body_of(limited)["error"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) > 0 and limited.headers["Cache-Control"] == "no-store"
    assert cc(browser, other).status_code == 200


def test_client_principal_uses_admin_routes_as_itself(browser: Browser, account: Account) -> None:
    """It reads as the workspace's admin and revokes as itself (audited), but mints no
    credential that would outlive the client (issue 14, finding 6)."""
    app = machine(browser, ["admin"])
    token = body_of(cc(browser, app))["access_token"]
    bearer = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    created = browser.client.http.post("/v1/api-keys", headers=bearer,
                                       body=json.dumps({"label": "from a job", "scopes": ["read"]}).encode())
    assert created.status_code == 403 and body_of(created)["error"] == "forbidden"
    key = make_key(browser, ["read"])
    assert browser.client.http.get("/v1/api-keys", headers=bearer).status_code == 200
    assert browser.client.http.delete(f"/v1/api-keys/{key['id']}", headers=bearer).status_code == 204
    event = next(e for e in audit.events(account.workspace_id)["events"] if e["type"] == "api_key.revoked")
    assert event["actor"] == app.client_id


def test_settings_page_lists_machine_clients(browser: Browser) -> None:
    app = machine(browser)
    html = browser.get("/settings/applications").body.decode()
    assert "client_credentials" in html and "Last machine token" in html and "Never" in html
    cc(browser, app)
    after = browser.get("/settings/applications").body.decode().split("Last machine token")[1]
    assert "Never</dd>" not in after
