"""What a first user noticed in the dashboard (issue 14, trust defects), in a real browser."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.e2e import steps
from tests.e2e.conftest import Stack
from tests.e2e.http.test_apikeys_http import sign_up_and_in


def test_reloading_after_generate_new_key_creates_nothing(page, stack: Stack) -> None:
    steps.sign_up(page)
    key = steps.generate_key(page, "Deploy bot")
    assert key.startswith("tfk_") and "shown=" in page.url
    page.reload()
    expect(page.get_by_role("textbox", name="API key")).to_have_count(0)
    expect(steps.key_item(page, "Deploy bot")).to_have_count(1)
    page.go_back()
    page.go_forward()
    expect(steps.key_item(page, "Deploy bot")).to_have_count(1)


def test_copy_button_is_hidden_without_javascript(chromium, stack: Stack) -> None:
    context = chromium.new_context(base_url=stack.url, java_script_enabled=False)
    try:
        page = context.new_page()
        steps.sign_up(page)
        key = steps.generate_key(page, "No JS")
        assert key.startswith("tfk_")
        expect(page.get_by_role("button", name="Copy")).to_be_hidden()
    finally:
        context.close()


def test_copy_button_shows_with_javascript(page, stack: Stack) -> None:
    steps.sign_up(page)
    steps.generate_key(page, "With JS")
    expect(page.get_by_role("button", name="Copy")).to_be_visible()


def test_header_names_the_account_and_workspace(page, stack: Stack) -> None:
    email = steps.sign_up(page, workspace="Header Works")
    header = page.get_by_role("banner")
    expect(header).to_contain_text(email)
    expect(header).to_contain_text("Header Works")


def test_key_buttons_name_their_key(page, stack: Stack) -> None:
    steps.sign_up(page)
    steps.generate_key(page, "Billing export")
    page.goto("/settings/api")
    expect(page.get_by_role("button", name="Roll Billing export")).to_be_visible()
    expect(page.get_by_role("button", name="Revoke Billing export")).to_be_visible()


def test_mistyped_settings_addresses(page, stack: Stack) -> None:
    steps.sign_up(page)
    page.goto("/settings")
    page.wait_for_url("**/settings/api")
    answer = page.goto("/settings/nope")
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    page.get_by_role("link", name="Go to Settings → API").click()
    page.wait_for_url("**/settings/api")


def test_revoking_a_session_asks_first(page, chromium, stack: Stack) -> None:
    email = steps.sign_up(page)
    other = chromium.new_context(base_url=stack.url)
    try:
        steps.sign_in(other.new_page(), email)
        page.goto("/settings/security")
        revoke = page.locator("#active-sessions").get_by_role("button", name="Revoke").first
        revoke.click()
        expect(page.get_by_role("heading", name="Sign out")).to_be_visible()
        page.get_by_role("link", name="Cancel").click()
        page.wait_for_url("**/settings/security*")
        page.locator("#active-sessions").get_by_role("button", name="Revoke").first.click()
        page.get_by_role("button", name="Revoke").click()
        expect(page.get_by_role("status").filter(has_text="Session revoked")).to_be_visible()
    finally:
        other.close()


def test_consent_names_the_account_and_an_unverified_registering_workspace(page, stack: Stack) -> None:
    owner = sign_up_and_in(stack)
    registered = owner.http.post(f"{stack.url}/account/oauth-clients", headers={"X-CSRF-Token": owner.csrf},
                                 json={"name": "TaskForge Official", "type": "confidential",
                                       "redirect_uris": ["http://127.0.0.1:9/cb"], "scopes": ["read"]})
    assert registered.status_code == 201, registered.text
    email = steps.sign_up(page, workspace="Victim Works")
    page.goto(f"/oauth/authorize?response_type=code&client_id={registered.json()['client_id']}"
              f"&redirect_uri=http://127.0.0.1:9/cb&scope=read&state={uuid.uuid4().hex}")
    main = page.get_by_role("main")
    expect(main).to_contain_text(f"You are signed in as {email}")
    expect(main).to_contain_text("Victim Works")
    expect(main).to_contain_text("Not verified by TaskForge")
    expect(main).to_contain_text("E2E keys")  # the workspace that registered the app
