"""Steps a person takes in the dashboard, shared by the browser tests."""

from __future__ import annotations

import re
import uuid

import requests

from tests.html import hidden_inputs

PASSWORD = "correct horse battery staple"


def outbox(base_url: str, to: str) -> list[dict]:
    """The emails sent to `to` through the local stack's SES (moto), newest first."""
    answer = requests.get(f"{base_url}/_local/outbox", params={"to": to}, timeout=10)
    assert answer.status_code == 200, answer.text
    return list(answer.json()["messages"])


def emailed_link(base_url: str, to: str, path: str) -> str:
    """The newest link to `path` emailed to `to`, as the person would click it."""
    for message in outbox(base_url, to):
        # Links are under the issuer (http://127.0.0.1:PORT) even when the page was opened at
        # http://localhost:PORT, as the passkey tests do.
        found = re.search(r"https?://[^/\s]+" + re.escape(path) + r"\?token=[A-Za-z0-9_-]+", message["text"])
        if found:
            return found.group(0)
    raise AssertionError(f"no email to {to} with a {path} link")


def verify_email(base_url: str, email: str) -> None:
    """Follow the verification link emailed at sign-up (JSON, as the page's button does)."""
    token = emailed_link(base_url, email, "/verify-email").rsplit("=", 1)[1]
    answer = requests.post(f"{base_url}/verify-email", json={"token": token}, timeout=10)
    assert answer.status_code == 204, answer.text


def sign_up(page, workspace: str = "Browser Workspace") -> str:
    """A fresh account through the sign-up page; the browser ends up on Settings → API."""
    email = f"browser-{uuid.uuid4().hex[:10]}@example.com"
    page.goto("/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Workspace name").fill(workspace)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/settings/api")
    follow_verification(page, email)
    page.goto("/settings/api")
    return email


def follow_verification(page, email: str) -> None:
    """Open the emailed verification link in the browser and confirm, as the person would."""
    base_url = page.url.split("/settings", 1)[0].split("/verify-email", 1)[0]
    page.goto(emailed_link(base_url, email, "/verify-email"))
    page.get_by_role("button", name="Verify my email address").click()
    page.get_by_role("heading", name="Email verified").wait_for()


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


def through_sign_in(browser: requests.Session, base_url: str, answer: requests.Response,
                    email: str, password: str = PASSWORD) -> requests.Response:
    """An /oauth/authorize answer that sent the browser to sign in: fill in the sign-in form and
    follow it back to /oauth/authorize. Any other answer comes back as it is."""
    if answer.status_code != 303 or not answer.headers["Location"].startswith("/login?next="):
        return answer
    login_page = browser.get(base_url + answer.headers["Location"])
    fields = {**hidden_inputs(login_page.text), "email": email, "password": password}
    signed_in = browser.post(f"{base_url}/login", data=fields, allow_redirects=False)
    assert signed_in.status_code == 303, signed_in.text
    return browser.get(base_url + signed_in.headers["Location"], allow_redirects=False)
