"""Settings → API in a real browser after GitHub reported a key: why it stopped working, where
it was found, and a replacement made from the prefilled form (a stack trusting a test key)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e import steps
from tests.e2e.conftest import Stack, launch, screenshot
from tests.leaks.signer import Signer, report

URL = "https://github.com/octo/demo/blob/main/settings.py"


@pytest.fixture(scope="module")
def github() -> Signer:
    return Signer.new()


@pytest.fixture(scope="module")
def stack(github: Signer) -> Iterator[Stack]:
    """This module's own stack (the `page` fixture follows it), trusting `github`'s key."""
    with launch({"TASKFORGE_SECRET_SCANNING_KEYS": github.document()}) as started:
        yield started


def test_a_leaked_key_says_where_it_was_found_and_is_replaced_in_two_clicks(
        page, stack: Stack, github: Signer) -> None:
    steps.sign_up(page)
    key = steps.generate_key(page, "Nightly export", permission="Write")
    body = report(key, url=URL)
    answer = requests.post(f"{stack.url}/secret-scanning/github", data=body,
                           headers=github.headers(body), timeout=30)
    assert answer.json()[0]["label"] == "true_positive"

    page.goto("/settings/api")
    item = steps.key_item(page, "Nightly export")
    expect(item).to_contain_text("Revoked")
    expect(item).to_contain_text(f"Revoked: found in public at {URL}")
    expect(item.get_by_role("link", name=URL)).to_have_attribute("href", URL)
    screenshot(page, "settings-api-leaked-key")

    item.get_by_role("link", name="Create a replacement key").click()
    expect(page.get_by_label("Label")).to_have_value("Nightly export")
    expect(page.get_by_label("Write", exact=True)).to_be_checked()
    page.get_by_role("button", name="Generate New Key").click()
    replacement = steps.shown_key(page)
    assert replacement != key
    me = requests.get(f"{stack.url}/v1/me", headers={"Authorization": f"Bearer {replacement}"}, timeout=10)
    assert me.status_code == 200 and me.json()["scopes"] == ["write"]
    assert requests.get(f"{stack.url}/v1/me", headers={"Authorization": f"Bearer {key}"},
                        timeout=10).status_code == 401
