"""Sign-in and sign-up pages in a real browser (Playwright driving Debian's chromium)."""

from __future__ import annotations

import uuid

from tests.e2e.conftest import Stack, screenshot

PASSWORD = "correct horse battery staple"


def test_wrong_password_shows_a_clear_message(page, stack: Stack) -> None:
    page.goto("/login")
    screenshot(page, "login")
    page.get_by_label("Email").fill(stack.demo_email)
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Sign in", exact=True).click()
    assert page.get_by_role("alert").inner_text() == "The email or password is not correct."
    screenshot(page, "login-error")


def test_sign_up_then_sign_in_with_the_keyboard(page, stack: Stack) -> None:
    email = f"browser-{uuid.uuid4().hex[:8]}@example.com"
    page.goto("/signup")
    screenshot(page, "signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Workspace name").fill("Browser Workspace")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/settings/api")
    page.context.clear_cookies()
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/settings/api")
    assert any(c["name"] == "tf_session" and c["httpOnly"] for c in page.context.cookies())
