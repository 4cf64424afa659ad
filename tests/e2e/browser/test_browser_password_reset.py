"""In Chromium: forgot password → email → new password → sign in; Settings → Account."""

from __future__ import annotations

from tests.e2e import steps
from tests.e2e.conftest import Stack, screenshot

NEW_PASSWORD = "a fresh browser passphrase 5"


def test_forgot_password_email_new_password_sign_in(page, stack: Stack) -> None:
    email = steps.sign_up(page)
    page.context.clear_cookies()
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.wait_for_url("**/password-reset")
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Email me a link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    screenshot(page, "password-reset-requested")
    page.goto(steps.emailed_link(stack.url, email, "/password-reset"))
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()
    page.get_by_role("heading", name="Password changed").wait_for()
    page.get_by_role("link", name="Sign in").click()
    steps.sign_in(page, email, NEW_PASSWORD)
    page.wait_for_url("**/settings/api")


def test_settings_account_change_password_and_delete(page, stack: Stack) -> None:
    email = steps.sign_up(page)
    page.goto("/settings/account")
    assert page.get_by_text(email).first.is_visible()
    page.locator("#current_password").fill(steps.PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.get_by_text("Your password was changed").wait_for()
    screenshot(page, "settings-account")
    page.get_by_role("link", name="Delete account…").click()
    assert page.get_by_role("heading", name="Delete your account?").is_visible()
    assert "active API keys" in page.content() or "active API key" in page.content()
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url("**/login")
    steps.sign_in(page, email, NEW_PASSWORD)
    page.get_by_role("alert").wait_for()
