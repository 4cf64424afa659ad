"""Settings → Security → Activity in a real browser, and a key's last use (when, IP, user
agent) on Settings → API."""

from __future__ import annotations

import requests
from playwright.sync_api import expect

from tests.e2e.conftest import Stack, screenshot
from tests.e2e.steps import generate_key, key_item, no_horizontal_scroll, sign_up


def test_activity_reads_as_sentences_newest_first_and_filters(page, stack: Stack) -> None:
    sign_up(page, workspace="Activity Workspace")
    key = generate_key(page, "CI deploy", "Write")

    used = requests.get(f"{stack.url}/v1/me", timeout=10,
                        headers={"Authorization": f"Bearer {key}", "User-Agent": "curl/8.5.0"})
    assert used.status_code == 200
    page.goto("/settings/api")
    item = key_item(page, "CI deploy")
    expect(item).to_contain_text("Last used from")
    expect(item).to_contain_text("127.0.0.1 · curl")
    hint = item.locator("code").first.inner_text()  # what the person sees for this key
    assert hint.startswith(key[:8] + "…")
    screenshot(page, "settings-api-last-used-from")

    item.get_by_role("button", name="Revoke").click()
    page.get_by_role("button", name="Revoke", exact=True).click()
    expect(page.locator(".notice")).to_contain_text("Key revoked")

    page.goto("/settings/security")
    page.get_by_role("link", name="Activity").click()
    page.wait_for_url("**/settings/security/activity")
    expect(page.get_by_role("heading", name="Activity")).to_be_visible()
    nav = page.get_by_role("navigation", name="Settings")
    expect(nav.get_by_role("link", name="Security")).to_have_attribute("aria-current", "page")
    events = page.locator(".activity-event .item-title")
    expect(events.nth(0)).to_have_text(f'API key "CI deploy" ({hint}) revoked by you from 127.0.0.1')
    expect(events.nth(1)).to_have_text(f'API key "CI deploy" ({hint}) created by you with write access '
                                       "from 127.0.0.1")
    # Older: the sign-in, the emailed verification link followed, the sign-up (newest first).
    texts = [text.strip() for text in events.all_inner_texts()]
    signed_up = 'You signed up, creating the workspace "Activity Workspace" from 127.0.0.1'
    assert texts.index("You signed in from 127.0.0.1") < texts.index(signed_up) == len(texts) - 1
    assert "Email address of your account verified from 127.0.0.1" in texts
    expect(page.locator(".activity-event").nth(0)).to_contain_text("Chrome (headless) on Linux")
    screenshot(page, "settings-security-activity")

    page.get_by_label("Show").select_option(label="Sign-ups and sign-ins")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/settings/security/activity?type=signin")
    expect(events).to_have_count(2)
    expect(events.nth(0)).to_have_text("You signed in from 127.0.0.1")
    expect(page.get_by_label("Show")).to_have_value("signin")

    page.get_by_label("Show").select_option(label="Two-factor authentication")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No two-factor authentication activity.")).to_be_visible()

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/settings/security/activity")
    expect(events.nth(0)).to_be_visible()
    assert no_horizontal_scroll(page)
    screenshot(page, "settings-security-activity-phone")
