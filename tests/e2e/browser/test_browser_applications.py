"""Settings → Applications and the OAuth consent page in a real browser: register an app,
approve its consent, use the token, then find and revoke it in Active Sessions (the product
guide's "rotate a compromised token"), deny a consent, and delete the app."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from playwright.sync_api import expect

from tests.e2e.conftest import Stack, screenshot
from tests.e2e.steps import sign_up

REDIRECT = "http://127.0.0.1:9/callback"  # never contacted: the browser's request is intercepted


def authorize_url(client_id: str, challenge: str, state: str) -> str:
    return "/oauth/authorize?" + urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT,
        "scope": "read write", "state": state, "code_challenge": challenge,
        "code_challenge_method": "S256"})


def open_consent(page, url: str) -> None:
    """Open the authorization URL as the app would send the person there; the app's callback
    is answered by the browser itself."""
    page.route(f"{REDIRECT}**", lambda route: route.fulfill(status=200, body="back at the app",
                                                            content_type="text/plain"))
    page.goto(url)


def landed(page) -> dict[str, str]:
    """The query the consent page sent the browser back to the app with."""
    page.wait_for_url(f"{REDIRECT}**")
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def me(stack: Stack, token: str) -> requests.Response:
    return requests.get(f"{stack.url}/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_register_an_app_approve_consent_then_revoke_it_in_active_sessions(page, stack: Stack) -> None:
    sign_up(page)
    page.get_by_role("link", name="Applications").click()
    expect(page.get_by_role("link", name="Applications")).to_have_attribute("aria-current", "page")
    screenshot(page, "settings-applications")
    page.get_by_label("Name").fill("Acme Reports")
    page.get_by_label("Redirect URIs").fill(REDIRECT)
    page.get_by_label("Confidential").check()
    page.get_by_label("Write", exact=True).check()
    page.get_by_role("button", name="Register application").click()
    client_id = page.get_by_role("textbox", name="Client ID").input_value()
    secret = page.get_by_role("textbox", name="Client secret").input_value()
    assert client_id.startswith("cli_") and secret.startswith("tfs_")
    expect(page.get_by_text("Copy the client secret now: it won't be shown again.")).to_be_visible()
    screenshot(page, "settings-applications-registered")

    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    open_consent(page, authorize_url(client_id, challenge, "state-1"))
    question = "Allow Acme Reports to use your TaskForge account?"
    expect(page.get_by_role("heading", name=question)).to_be_visible()
    screenshot(page, "oauth-consent")
    page.get_by_role("button", name="Allow").click()
    params = landed(page)
    assert params["state"] == "state-1" and params["iss"] == stack.url

    issued = requests.post(f"{stack.url}/oauth/token", auth=(client_id, secret), timeout=10, data={
        "grant_type": "authorization_code", "code": params["code"], "redirect_uri": REDIRECT,
        "code_verifier": verifier})
    assert issued.status_code == 200, issued.text
    tokens = issued.json()
    answer = me(stack, tokens["access_token"])
    assert answer.status_code == 200 and answer.json()["client_id"] == client_id

    page.goto("/settings/security")
    apps = page.get_by_role("list", name="Applications")
    app = apps.get_by_role("listitem").filter(has_text="Acme Reports")
    expect(app).to_contain_text("read, write")
    screenshot(page, "security-active-sessions-app")
    app.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("heading", name="Revoke access for “Acme Reports”?")).to_be_visible()
    page.get_by_role("button", name="Revoke", exact=True).click()  # asks first (issue 14)
    expect(page.get_by_role("status").filter(has_text="Access revoked")).to_be_visible()
    assert me(stack, tokens["access_token"]).status_code == 401
    refreshed = requests.post(f"{stack.url}/oauth/token", auth=(client_id, secret), timeout=10,
                              data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant"

    open_consent(page, authorize_url(client_id, challenge, "state-2"))
    page.get_by_role("button", name="Deny").click()
    denied = landed(page)
    assert denied["error"] == "access_denied" and denied["state"] == "state-2" and "code" not in denied

    page.goto("/settings/applications")
    app_item = page.get_by_role("listitem").filter(has_text="Acme Reports")
    app_item.get_by_role("button", name="Delete", exact=True).click()
    screenshot(page, "settings-applications-delete-confirm")
    page.get_by_role("button", name="Delete", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Application deleted")).to_be_visible()
    expect(page.get_by_text("No applications yet")).to_be_visible()
