"""Steps a person takes in the dashboard, shared by the browser tests."""

from __future__ import annotations

import uuid

PASSWORD = "correct horse battery staple"


def sign_up(page, workspace: str = "Browser Workspace") -> str:
    """A fresh account through the sign-up page; the browser ends up on Settings → API."""
    email = f"browser-{uuid.uuid4().hex[:10]}@example.com"
    page.goto("/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Workspace name").fill(workspace)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/settings/api")
    return email


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def generate_key(page, label: str, permission: str = "Read-only") -> str:
    """Settings → API → Generate New Key; returns the key the page shows once."""
    page.goto("/settings/api")
    page.get_by_label("Label").fill(label)
    page.get_by_label(permission, exact=True).check()
    page.get_by_role("button", name="Generate New Key").click()
    return shown_key(page)


def shown_key(page) -> str:
    """The new key in the box that shows it once."""
    return str(page.get_by_role("textbox", name="API key").input_value())


def key_item(page, label: str):
    """The list entry of one key on Settings → API."""
    return page.get_by_role("listitem").filter(has_text=label)


def no_horizontal_scroll(page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
