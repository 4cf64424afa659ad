"""Settings → Security in a real browser: the product guide's two-factor walkthrough
(scan or type the key, confirm a code, save backup codes, sign in through the second
step) and Active Sessions (revoke another device; sign out everywhere else)."""

from __future__ import annotations

import time
from pathlib import Path

import pyotp
import requests
from playwright.sync_api import expect

from tests.e2e.conftest import Stack, screenshot
from tests.e2e.steps import PASSWORD, sign_in, sign_up

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")


def test_enable_two_factor_then_sign_in_through_the_second_step(page, stack: Stack) -> None:
    email = sign_up(page)
    page.get_by_role("link", name="Security").click()
    expect(page.get_by_role("link", name="Security")).to_have_attribute("aria-current", "page")
    screenshot(page, "security")
    page.get_by_role("button", name="Enable Two-Factor Authentication").click()

    expect(page.get_by_role("img", name="QR code")).to_be_visible()
    secret = page.get_by_label("Secret key").inner_text().replace(" ", "")
    screenshot(page, "security-2fa-enrol")
    totp = pyotp.TOTP(secret)
    page.get_by_label("6-digit code from the app").fill(totp.now())
    page.get_by_role("button", name="Confirm and turn on").click()

    expect(page.get_by_role("status").filter(has_text="Two-factor authentication is on.")).to_be_visible()
    codes = page.get_by_role("list", name="Backup codes").get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10
    with page.expect_download() as download:
        page.get_by_role("link", name="Download backup codes").click()
    assert download.value.suggested_filename == "taskforge-backup-codes.txt"
    saved = Path(download.value.path()).read_text()
    assert all(code in saved for code in codes) and email in saved
    screenshot(page, "security-2fa-backup-codes")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")
    sign_in(page, email)
    page.wait_for_url("**/login/2fa")
    screenshot(page, "login-2fa")
    # The next time step: the step used to confirm is spent, and the next is inside the window.
    page.get_by_label("Authentication code").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/settings/api")
    page.goto("/settings/security")
    expect(page.locator("#two-factor")).to_contain_text("On")
    screenshot(page, "security-2fa-on")


def test_revoke_another_session_from_active_sessions(page, chromium, stack: Stack) -> None:
    email = sign_up(page)
    laptop = chromium.new_context(base_url=stack.url, user_agent=FIREFOX)
    other = laptop.new_page()
    sign_in(other, email)
    other.wait_for_url("**/settings/api")
    cookie = next(c["value"] for c in laptop.cookies() if c["name"] == "tf_session")

    page.goto("/settings/security")
    sessions = page.get_by_role("list", name="Signed-in browsers")
    expect(sessions.get_by_role("listitem")).to_have_count(2)
    expect(sessions.get_by_role("listitem").filter(has_text="This device")).to_have_count(1)
    screenshot(page, "security-active-sessions")
    firefox = sessions.get_by_role("listitem").filter(has_text="Firefox on Windows")
    firefox.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("heading", name="Sign out “Firefox on Windows”?")).to_be_visible()
    page.get_by_role("button", name="Revoke", exact=True).click()  # asks first (issue 14)

    expect(page.get_by_role("status").filter(has_text="Session revoked")).to_be_visible()
    expect(sessions.get_by_role("listitem")).to_have_count(1)
    refused = requests.get(f"{stack.url}/account", cookies={"tf_session": cookie}, timeout=10)
    assert refused.status_code == 401
    other.goto("/settings/api")
    assert "/login" in other.url  # the revoked browser is sent back to sign in
    laptop.close()


def test_sign_out_everywhere_else(page, stack: Stack) -> None:
    email = sign_up(page)
    phones = [requests.Session() for _ in range(2)]
    for phone in phones:
        phone.headers["User-Agent"] = IPHONE
        assert phone.post(f"{stack.url}/login", json={"email": email, "password": PASSWORD},
                          timeout=10).status_code == 200
    page.goto("/settings/security")
    expect(page.get_by_role("listitem").filter(has_text="Safari on iPhone")).to_have_count(2)
    page.get_by_role("button", name="Sign out everywhere else").click()
    expect(page.get_by_role("status").filter(has_text="Signed out everywhere else")).to_be_visible()
    assert all(phone.get(f"{stack.url}/account", timeout=10).status_code == 401 for phone in phones)
    expect(page.get_by_role("button", name="Sign out everywhere else")).to_have_count(0)
