"""Deleting an account: password (and code), everything ends at once, the audit log stays."""

from __future__ import annotations

import json

from chalicelib.store import db
from tests import mailbox
from tests.conftest import PASSWORD, Browser, body_of
from tests.keys import bearer

JSON = {"Content-Type": "application/json"}


def delete(browser: Browser, body: object) -> object:
    return browser.request("DELETE", "/account", body)


def test_deletion_needs_the_password(browser: Browser) -> None:
    wrong = delete(browser, {"password": "not my password"})
    assert wrong.status_code == 401 and body_of(wrong)["error"] == "invalid_credentials"
    missing = delete(browser, {})
    assert missing.status_code == 400
    assert browser.get("/account").status_code == 200


def test_deletion_ends_everything_at_once_and_keeps_the_audit_log(client, browser: Browser, account) -> None:
    key = body_of(browser.post("/account/api-keys", {"label": "ci", "scopes": ["admin"]}))["key"]
    created = browser.post("/account/oauth-clients", {"name": "App", "type": "confidential",
                                                       "redirect_uris": ["https://app.example.com/cb"]})
    client_id = body_of(created)["client_id"]
    other_browser = Browser(client)
    other_browser.login(account.email)
    assert client.http.get("/v1/me", headers=bearer(key)).status_code == 200
    summary = client.http.get("/settings/account/delete", headers={
        "Cookie": f"tf_session={browser.cookies['tf_session']}"})
    assert b"1 active API key " in summary.body and b"1 application you registered" in summary.body
    answer = delete(browser, {"password": PASSWORD})
    assert answer.status_code == 204
    assert "Max-Age=0" in answer.headers["Set-Cookie"]
    assert other_browser.get("/account").status_code == 401
    assert client.http.get("/v1/me", headers=bearer(key)).status_code == 401
    assert Browser(client).login(account.email).status_code == 401
    assert db.get(f"WORKSPACE#{account.workspace_id}", "META") is None
    assert db.get(f"CLIENT#{client_id}", "CLIENT")["deleted_at"]
    events, _ = db.query(f"AUDIT#{account.workspace_id}")
    assert "account.deleted" in {e["type"] for e in events}
    assert mailbox.messages(account.email)[0]["subject"] == "Your TaskForge account was deleted"
    # The address is free again: a new sign-up with it works.
    again = client.http.post("/signup", headers=JSON, body=json.dumps(
        {"email": account.email, "password": PASSWORD, "workspace": "Again"}).encode())
    assert again.status_code == 201


def test_deletion_with_two_factor_needs_a_code(client, browser: Browser, account) -> None:
    from tests.twofactor.conftest import enrol, totp_code

    enrolled = enrol(browser, account)
    without = delete(browser, {"password": PASSWORD})
    assert without.status_code == 400
    wrong = delete(browser, {"password": PASSWORD, "code": "000000" if totp_code(enrolled.secret) != "000000"
                             else "111111"})
    assert wrong.status_code == 401 and body_of(wrong)["error"] == "invalid_code"
    assert delete(browser, {"password": PASSWORD, "code": totp_code(enrolled.secret, 1)}).status_code == 204
    assert Browser(client).login(account.email).status_code == 401
