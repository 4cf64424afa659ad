"""Settings → Security → Active Sessions with OAuth grants: see them, revoke one, effective at once."""

from __future__ import annotations

from tests.conftest import Browser, body_of
from tests.keys import call
from tests.oauth.conftest import OAuthClient, refresh, tokens_for


def test_grants_are_listed_beside_browser_sessions(client, browser: Browser, confidential: OAuthClient):
    tokens_for(browser, confidential, scope="read write")
    sessions = body_of(browser.get("/account/sessions"))["sessions"]
    assert {s["type"] for s in sessions} == {"browser", "oauth"}
    grant = next(s for s in sessions if s["type"] == "oauth")
    assert grant["client_name"] and grant["scopes"] == ["read", "write"] and grant["current"] is False
    assert grant["id"].startswith("grt_")


def test_revoking_a_grant_refuses_its_unexpired_access_token_on_the_next_call(
        client, browser: Browser, confidential: OAuthClient):
    issued = tokens_for(browser, confidential)
    assert call(client, "GET", "/v1/me", issued["access_token"]).status_code == 200
    grant_id = next(s["id"] for s in body_of(browser.get("/account/sessions"))["sessions"]
                    if s["type"] == "oauth")
    assert browser.delete(f"/account/sessions/{grant_id}").status_code == 204
    assert call(client, "GET", "/v1/me", issued["access_token"]).status_code == 401
    assert refresh(browser, confidential, issued["refresh_token"]).status_code == 400
    assert all(s["type"] == "browser" for s in body_of(browser.get("/account/sessions"))["sessions"])
    events = [e["type"] for e in body_of(browser.get("/account/audit-events"))["events"]]
    assert "oauth.grant_revoked" in events and "oauth.grant_created" in events


def test_another_users_grant_is_not_found(client, browser: Browser, confidential: OAuthClient):
    from tests.conftest import make_account

    tokens_for(browser, confidential)
    grant_id = next(s["id"] for s in body_of(browser.get("/account/sessions"))["sessions"]
                    if s["type"] == "oauth")
    other = Browser(client)
    other.login(make_account(client, "eve@example.com").email)
    assert other.delete(f"/account/sessions/{grant_id}").status_code == 404
    assert any(s["id"] == grant_id for s in body_of(browser.get("/account/sessions"))["sessions"])
