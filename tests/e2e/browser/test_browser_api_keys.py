"""Settings → API in a real browser: the product guide's "Generate New Key" walkthrough,
then the key used with an HTTP client, revoked and rolled from the page."""

from __future__ import annotations

import requests
from playwright.sync_api import expect

from tests.e2e.conftest import Stack, screenshot
from tests.e2e.steps import generate_key, key_item, no_horizontal_scroll, shown_key, sign_up


def me(stack: Stack, key: str) -> requests.Response:
    return requests.get(f"{stack.url}/v1/me", headers={"Authorization": f"Bearer {key}"}, timeout=10)


def test_generate_a_key_use_it_then_revoke_it(page, stack: Stack) -> None:
    sign_up(page)
    expect(page.get_by_role("link", name="API")).to_have_attribute("aria-current", "page")
    screenshot(page, "settings-api-empty")

    page.get_by_label("Label").fill("CI deploy")
    page.get_by_label("Write", exact=True).check()
    page.get_by_label("Expiry").select_option(label="After 30 days")
    page.get_by_role("button", name="Generate New Key").click()
    key = shown_key(page)
    assert key.startswith("tfk_") and len(key) == 42
    expect(page.get_by_text("Copy this key now: it won't be shown again.")).to_be_visible()
    expect(page.get_by_role("textbox", name="API key")).to_be_focused()
    screenshot(page, "settings-api-new-key")

    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=stack.url)
    page.get_by_role("button", name="Copy").click()
    expect(page.locator("#new-key-status")).to_have_text("Copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == key

    answer = me(stack, key)
    assert answer.status_code == 200
    assert answer.json()["principal_type"] == "api_key" and answer.json()["scopes"] == ["write"]

    page.get_by_role("link", name="I have stored the key safely").click()
    assert key not in page.content()  # shown once
    item = key_item(page, "CI deploy")
    expect(item).to_contain_text(key[:8])  # the hint: prefix and first characters
    expect(item).to_contain_text("Write")
    expect(item).not_to_contain_text("Never used")
    item.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("heading", name="Revoke the API key “CI deploy”?")).to_be_visible()
    screenshot(page, "settings-api-revoke-confirm")
    page.get_by_role("button", name="Revoke", exact=True).click()

    expect(page.locator(".notice")).to_contain_text("Key revoked")
    expect(key_item(page, "CI deploy")).to_contain_text("Revoked")
    screenshot(page, "settings-api-revoked")
    refused = me(stack, key)
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_token"


def test_roll_a_key_keeps_the_old_one_working_for_the_chosen_time(page, stack: Stack) -> None:
    sign_up(page)
    old_key = generate_key(page, "Reporting script")
    page.goto("/settings/api")
    key_item(page, "Reporting script").get_by_role("button", name="Roll").click()
    page.get_by_label("In 1 hour").check()
    screenshot(page, "settings-api-roll-confirm")
    page.get_by_role("button", name="Roll key").click()

    new_key = shown_key(page)
    assert new_key.startswith("tfk_") and new_key != old_key
    expect(page.get_by_text("The old key keeps working until")).to_be_visible()
    screenshot(page, "settings-api-rolled")
    assert me(stack, new_key).status_code == 200
    assert me(stack, old_key).status_code == 200  # for the hour chosen

    page.goto("/settings/api")
    expect(page.get_by_role("listitem").filter(has_text="Being replaced")).to_have_count(1)
    expect(page.get_by_role("listitem").filter(has_text="Reporting script")).to_have_count(2)


def test_bad_input_is_explained_on_the_page_and_the_form_kept(page, stack: Stack) -> None:
    sign_up(page)
    page.get_by_label("Label").fill("   ")
    page.get_by_label("Rate limit").fill("25")
    page.get_by_role("button", name="Generate New Key").click()
    expect(page.get_by_role("alert")).to_contain_text("Give the key a label")
    expect(page.get_by_label("Rate limit")).to_have_value("25")
    screenshot(page, "settings-api-error")


def test_settings_api_reads_well_at_phone_width(page, stack: Stack) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    sign_up(page)
    generate_key(page, "Phone-width key with a rather long descriptive label", "Admin")
    assert no_horizontal_scroll(page)
    screenshot(page, "settings-api-phone-new-key")
    page.goto("/settings/api")
    assert no_horizontal_scroll(page)
    screenshot(page, "settings-api-phone")
