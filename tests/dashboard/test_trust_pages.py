"""Dashboard trust defects (issue 14) through chalice.test.Client: the new key is shown once
after a redirect (a reload creates nothing), the header names who is signed in, the consent
page names the account and the registering workspace."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from chalice.test import Client

from tests.conftest import Account, Browser, make_account

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
KEY = re.compile(r'id="new-key"[^>]*value="(tfk_[0-9A-Za-z]{38})"')


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def post_form(browser: Browser, path: str, fields: dict[str, str]) -> object:
    kept, browser.csrf = browser.csrf, None
    try:
        return browser.request("POST", path, raw=urlencode(fields).encode(), headers=FORM)
    finally:
        browser.csrf = kept


def test_generate_new_key_redirects_and_shows_the_key_once(client: Client, browser: Browser) -> None:
    csrf = csrf_of(browser.get("/settings/api").body.decode())
    posted = post_form(browser, "/settings/api/keys", {"csrf_token": csrf, "label": "Once", "scopes": "read"})
    assert posted.status_code == 303  # type: ignore[attr-defined]
    location = posted.headers["Location"]  # type: ignore[attr-defined]
    assert location.startswith("/settings/api?shown=") and "tfk_" not in location
    shown = browser.get(location).body.decode()
    assert KEY.search(shown)
    again = browser.get(location).body.decode()
    assert not KEY.search(again)
    keys = [k for k in browser.get("/account/api-keys").body.decode().split('"label":"Once"')][1:]
    assert len(keys) == 1


def test_another_session_cannot_take_the_shown_key(client: Client, browser: Browser,
                                                   account: Account) -> None:
    csrf = csrf_of(browser.get("/settings/api").body.decode())
    posted = post_form(browser, "/settings/api/keys", {"csrf_token": csrf, "label": "Mine", "scopes": "read"})
    location = posted.headers["Location"]  # type: ignore[attr-defined]
    other = Browser(client)
    assert other.login(account.email).status_code == 200
    assert not KEY.search(other.get(location).body.decode())
    assert KEY.search(browser.get(location).body.decode())


def test_form_sign_up_then_the_header_names_account_and_workspace(client: Client) -> None:
    browser = Browser(client)
    token = csrf_of(browser.get("/signup").body.decode())
    created = post_form(browser, "/signup", {"csrf_token": token, "email": "hdr@example.com",
                                             "password": "correct horse battery staple",
                                             "workspace": "Hdr WS"})
    assert created.status_code == 303  # type: ignore[attr-defined]
    page = browser.get("/settings/api")
    assert page.status_code == 200
    assert "Signed in as <strong>hdr@example.com</strong>" in page.body.decode()
    assert "Hdr WS" in page.body.decode()


def test_consent_marks_another_workspaces_app_unverified(client: Client, browser: Browser) -> None:
    other = make_account(client, "mallory@example.com")
    mallory = Browser(client)
    assert mallory.login(other.email).status_code == 200
    app = mallory.post("/account/oauth-clients", {"name": "TaskForge Official", "type": "confidential",
                                                   "redirect_uris": ["https://m.example.com/cb"]})
    assert app.status_code == 201
    client_id = json.loads(app.body)["client_id"]
    consent = browser.get(f"/oauth/authorize?response_type=code&client_id={client_id}"
                          "&redirect_uri=https://m.example.com/cb&scope=read&state=s").body.decode()
    assert "You are signed in as <strong>ada@example.com</strong>" in consent
    assert "Not verified by TaskForge" in consent and "Analytical Engines" in consent
    own = browser.post("/account/oauth-clients", {"name": "Mine", "type": "confidential",
                                                   "redirect_uris": ["https://a.example.com/cb"]})
    own_id = json.loads(own.body)["client_id"]
    page = browser.get(f"/oauth/authorize?response_type=code&client_id={own_id}"
                       "&redirect_uri=https://a.example.com/cb&scope=read&state=s").body.decode()
    assert "Registered by your workspace" in page and "Not verified" not in page
