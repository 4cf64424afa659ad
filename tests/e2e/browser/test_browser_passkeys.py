"""Passkeys in Debian's chromium with its virtual authenticator (DevTools WebAuthn domain:
ctap2, internal transport, resident keys, user verification). The dashboard is opened at
http://localhost:$PORT: browsers refuse WebAuthn on an IP-address origin, and the RP id for
the local issuer http://127.0.0.1:$PORT is `localhost` (CONTRACT: Passkeys)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pyotp
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Stack, screenshot
from tests.e2e.steps import sign_in, sign_up

REDIRECT = "http://127.0.0.1:9/callback"  # never contacted: the browser's request is intercepted

# Chromium's virtual authenticator answers a conditional (autofill) request at once, as if the
# person had picked the passkey from the email field's suggestions. Tests of the buttons turn
# autofill off, so the page waits for the click; test_autofill keeps it.
NO_AUTOFILL = ("if (window.PublicKeyCredential) { PublicKeyCredential.isConditionalMediationAvailable"
               " = function () { return Promise.resolve(false); }; }")


def open_local(chromium: Any, stack: Stack, autofill: bool) -> tuple[Any, Any]:
    """A fresh context at http://localhost:$PORT with a virtual platform authenticator."""
    context = chromium.new_context(base_url=stack.url.replace("127.0.0.1", "localhost"))
    context.set_default_timeout(15_000)
    if not autofill:
        context.add_init_script(NO_AUTOFILL)
    tab = context.new_page()
    cdp = context.new_cdp_session(tab)
    cdp.send("WebAuthn.enable")
    added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True}})
    tab.authenticator = (cdp, added["authenticatorId"])
    return context, tab


@pytest.fixture
def local(chromium: Any, stack: Stack) -> Iterator[Any]:
    context, tab = open_local(chromium, stack, autofill=False)
    yield tab
    context.close()


@pytest.fixture
def autofilling(chromium: Any, stack: Stack) -> Iterator[Any]:
    context, tab = open_local(chromium, stack, autofill=True)
    yield tab
    context.close()


def credentials(page: Any) -> list[dict[str, Any]]:
    cdp, authenticator_id = page.authenticator
    found: list[dict[str, Any]] = cdp.send("WebAuthn.getCredentials",
                                           {"authenticatorId": authenticator_id})["credentials"]
    return found


def add_passkey(page: Any, name: str) -> None:
    page.goto("/settings/security")
    section = page.locator("#passkeys")
    section.get_by_label("Name (optional)").fill(name)
    section.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("status").filter(has_text="Passkey added.")).to_be_visible()
    expect(page.get_by_role("list", name="Passkeys")).to_contain_text(name)


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url("**/login")


def test_add_sign_in_without_password_second_factor_remove(local: Any) -> None:
    page = local
    sign_up(page)
    add_passkey(page, "Laptop")
    [stored] = credentials(page)
    assert stored["isResidentCredential"] is True
    screenshot(page, "security-passkeys")

    sign_out(page)
    expect(page.get_by_label("Password")).to_be_empty()
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url("**/settings/api")
    page.goto("/settings/security")
    expect(page.get_by_role("list", name="Passkeys")).not_to_contain_text("Never")
    assert credentials(page)[0]["signCount"] >= 1

    page.get_by_role("button", name="Enable Two-Factor Authentication").click()
    secret = page.get_by_label("Secret key").inner_text().replace(" ", "")
    page.get_by_label("6-digit code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Confirm and turn on").click()
    expect(page.get_by_role("status").filter(has_text="Two-factor authentication is on.")).to_be_visible()
    email = page.evaluate("fetch('/account').then(r => r.json()).then(a => a.email)")
    page.goto("/settings/security")
    sign_out(page)
    sign_in(page, email)
    page.wait_for_url("**/login/2fa")
    screenshot(page, "login-2fa-passkey")
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url("**/settings/api")

    page.goto("/settings/security")
    item = page.get_by_role("list", name="Passkeys").get_by_role("listitem").filter(has_text="Laptop")
    item.get_by_label("New name for Laptop").fill("Work laptop")
    item.get_by_role("button", name="Rename").click()
    expect(page.get_by_role("status").filter(has_text="Passkey renamed.")).to_be_visible()
    item = page.get_by_role("list", name="Passkeys").get_by_role("listitem").filter(has_text="Work laptop")
    item.get_by_role("button", name="Remove").click()
    # The last passkey of an account with 2FA on: the page asks first.
    confirm = page.locator("#passkey-confirm")
    expect(confirm).to_contain_text("your last passkey")
    screenshot(page, "security-passkey-remove-confirm")
    confirm.get_by_role("button", name="Remove").click()
    expect(page.get_by_role("status").filter(has_text="Passkey removed.")).to_be_visible()
    expect(page.locator("#passkeys")).to_contain_text("No passkeys yet.")

    sign_out(page)
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.locator("[data-passkey-signin] [data-passkey-status]")).to_contain_text(
        "not accepted")
    assert "/login" in page.url


def test_passkey_sign_in_returns_to_next(local: Any) -> None:
    page = local
    sign_up(page)
    add_passkey(page, "Phone")
    sign_out(page)
    page.goto("/login?next=/settings/security%23passkeys")
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url("**/settings/security*")


def test_autofill_offers_the_passkey_in_the_email_field(autofilling: Any) -> None:
    page = autofilling
    sign_up(page)
    add_passkey(page, "Laptop")
    page.get_by_role("button", name="Sign out", exact=True).click()
    # /login starts a conditional request; the virtual authenticator picks the passkey.
    page.wait_for_url("**/settings/api")
    assert page.get_by_role("button", name="Sign out", exact=True).is_visible()


def test_on_the_ip_address_the_buttons_point_to_localhost(page: Any, stack: Stack) -> None:
    page.goto("/login")
    button = page.get_by_role("button", name="Sign in with a passkey")
    expect(button).to_be_disabled()
    local_url = stack.url.replace("127.0.0.1", "localhost")
    expect(page.locator("[data-passkey-signin]")).to_contain_text(f"Passkeys work at {local_url}")


def test_without_javascript_the_buttons_say_they_need_it(chromium: Any, stack: Stack) -> None:
    context = chromium.new_context(base_url=stack.url.replace("127.0.0.1", "localhost"),
                                   java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto("/login")
        expect(tab.get_by_role("button", name="Sign in with a passkey")).to_be_disabled()
        expect(tab.locator("[data-passkey-signin]")).to_contain_text("needs JavaScript")
        sign_up(tab)  # everything else works without scripts
        tab.goto("/settings/security")
        expect(tab.get_by_role("button", name="Add a passkey")).to_be_disabled()
    finally:
        context.close()


def test_oauth_sign_in_with_a_passkey_returns_to_consent(local: Any) -> None:
    page = local
    sign_up(page)
    add_passkey(page, "Laptop")
    csrf = page.request.get("/account").json()["csrf_token"]
    created = page.request.post("/account/oauth-clients", headers={"X-CSRF-Token": csrf}, data={
        "name": "Acme Reports", "type": "public", "redirect_uris": [REDIRECT], "scopes": ["read"]})
    assert created.status == 201, created.text()
    client_id = created.json()["client_id"]
    sign_out(page)

    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    page.route(f"{REDIRECT}**", lambda route: route.fulfill(status=200, body="back at the app",
                                                            content_type="text/plain"))
    page.goto("/oauth/authorize?" + urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT, "scope": "read",
        "state": "s-1", "code_challenge": challenge, "code_challenge_method": "S256"}))
    page.wait_for_url("**/login?next=*")
    page.get_by_role("button", name="Sign in with a passkey").click()
    question = "Allow Acme Reports to use your TaskForge account?"
    expect(page.get_by_role("heading", name=question)).to_be_visible()
    page.get_by_role("button", name="Allow").click()
    page.wait_for_url(f"{REDIRECT}**")
    params = parse_qs(urlsplit(page.url).query)
    assert params["state"] == ["s-1"] and params["code"][0]
