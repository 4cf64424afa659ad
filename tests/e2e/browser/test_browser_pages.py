"""What every page promises in a real browser: security headers over HTTP, keyboard use with
a visible focus ring, friendly error pages, and nothing wider than a phone's screen."""

from __future__ import annotations

import requests
from playwright.sync_api import expect

from tests.e2e.conftest import Stack, screenshot
from tests.e2e.steps import no_horizontal_scroll, sign_up


def test_security_headers_over_http(stack: Stack) -> None:
    for path in ("/login", "/signup", "/settings/billing"):
        answer = requests.get(f"{stack.url}{path}", timeout=10, allow_redirects=False)
        csp = answer.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert answer.headers["Referrer-Policy"] == "no-referrer"
        assert "Strict-Transport-Security" not in answer.headers  # http on loopback only


def test_keyboard_only_generate_a_key_with_a_visible_focus_ring(page, stack: Stack) -> None:
    sign_up(page)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")  # to the main content, past the navigation
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "key-label":
            break
    expect(page.get_by_label("Label")).to_be_focused()
    page.keyboard.type("Typed with the keyboard")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # radio group: Read-only -> Write
    expect(page.get_by_label("Write", exact=True)).to_be_checked()
    screenshot(page, "settings-api-keyboard-focus")
    page.get_by_label("Label").press("Enter")
    expect(page.get_by_role("textbox", name="API key")).to_be_focused()


def test_friendly_error_pages(page, stack: Stack) -> None:
    page.goto("/settings/billing")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    screenshot(page, "error-404")
    sign_up(page)
    # A form whose CSRF token went stale (e.g. signed in again in another tab).
    page.locator('form[action="/settings/api/keys"] input[name="csrf_token"]').evaluate(
        "input => { input.value = 'stale'; }")
    page.get_by_label("Label").fill("stale form")
    page.get_by_role("button", name="Generate New Key").click()
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_text("Go back to the page, reload it")).to_be_visible()
    screenshot(page, "error-403")
    page.get_by_role("link", name="Back to TaskForge").click()
    page.wait_for_url("**/settings/api")


def test_pages_at_phone_width(page, stack: Stack) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    for path, name in (("/login", "login-phone"), ("/signup", "signup-phone")):
        page.goto(path)
        assert no_horizontal_scroll(page), path
        screenshot(page, name)
    sign_up(page)
    for path, name in (("/settings/security", "security-phone"),
                       ("/settings/applications", "settings-applications-phone")):
        page.goto(path)
        assert no_horizontal_scroll(page), path
        nav = page.get_by_role("navigation", name="Settings")
        assert nav.bounding_box()["height"] < 60, "the nav fits on one line"
        screenshot(page, name)
