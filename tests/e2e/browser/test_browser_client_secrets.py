"""Settings → Applications in a real browser: rotate a client secret (the new one is shown once,
both work), then delete the old one; it stops working at the token endpoint."""

from __future__ import annotations

import requests
from playwright.sync_api import expect

from tests.e2e import steps
from tests.e2e.conftest import Stack


def token_status(stack: Stack, client_id: str, secret: str) -> int:
    """An authenticated request with a bad code answers 400; a wrong secret 401."""
    answer = requests.post(f"{stack.url}/oauth/token", auth=(client_id, secret), timeout=10,
                           data={"grant_type": "authorization_code", "code": "x"})
    return answer.status_code


def test_rotate_and_delete_a_client_secret(page, stack: Stack) -> None:
    steps.sign_up(page)
    page.goto("/settings/applications")
    page.get_by_label("Name").fill("Rotating app")
    page.get_by_label("Redirect URIs").fill("https://app.example.com/callback")
    page.get_by_label("Confidential").check()
    page.get_by_role("button", name="Register application").click()
    client_id = page.get_by_role("textbox", name="Client ID").input_value()
    old_secret = page.get_by_role("textbox", name="Client secret").input_value()
    page.get_by_role("link", name="Done").click()
    expect(page.get_by_role("table", name="Client secrets of Rotating app")).to_contain_text("Never")
    page.get_by_role("button", name="Rotate secret").click()
    expect(page.get_by_text("Copy the new client secret now: it won't be shown again.")).to_be_visible()
    new_secret = page.locator("#new-client-secret").input_value()
    assert new_secret.startswith("tfs_") and new_secret != old_secret
    assert token_status(stack, client_id, old_secret) == 400
    assert token_status(stack, client_id, new_secret) == 400
    page.goto("/settings/applications")
    rows = page.get_by_role("table", name="Client secrets of Rotating app").locator("tbody tr")
    expect(rows).to_have_count(2)
    rows.first.get_by_role("button", name="Delete secret").click()
    expect(page.get_by_text("Client secret deleted. It no longer works.")).to_be_visible()
    table = page.get_by_role("table", name="Client secrets of Rotating app")
    expect(table.locator("tbody tr")).to_have_count(1)
    statuses = {token_status(stack, client_id, old_secret), token_status(stack, client_id, new_secret)}
    assert statuses == {400, 401}  # exactly one of the two still works
