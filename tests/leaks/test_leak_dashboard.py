"""Settings → API after secret scanning revoked a key: why, where, and a replacement one click away."""

from __future__ import annotations

import re
from html import unescape

from tests.conftest import Browser
from tests.keys import make_key
from tests.leaks.conftest import alert
from tests.leaks.signer import Signer, report

URL = "https://github.com/octo/demo/blob/main/.env"


def page(browser: Browser, path: str = "/settings/api") -> str:
    response = browser.get(path)
    assert response.status_code == 200
    return unescape(response.body.decode())


def test_a_leaked_key_says_where_it_was_found_and_offers_a_replacement(
        browser: Browser, github: Signer) -> None:
    created = make_key(browser, ["write"], label="Deploy bot")
    body = report(created["key"], url=URL)
    assert alert(browser, body, github.headers(body)).status_code == 200
    html = page(browser)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert f"Revoked: found in public at {URL} ." in text
    assert f'<a href="{URL}" rel="noopener noreferrer nofollow">' in html
    replace = f"/settings/api?replace={created['id']}"
    assert f'href="{replace}#generate-title"' in html
    form = page(browser, replace)
    assert 'name="label" type="text" maxlength="100" required value="Deploy bot"' in form
    assert re.search(r'id="scope-write"[^>]*checked', form)


def test_a_url_that_is_not_https_is_shown_as_text_not_a_link(browser: Browser, github: Signer) -> None:
    created = make_key(browser, ["read"])
    url = "javascript:alert(1)//<b>x</b>"
    body = report(created["key"], url=url)
    assert alert(browser, body, github.headers(body)).status_code == 200
    html = browser.get("/settings/api").body.decode()
    assert "Revoked: found in public at" in html
    assert 'href="javascript' not in html and "<b>x</b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_a_key_revoked_by_hand_shows_no_leak(browser: Browser) -> None:
    created = make_key(browser, ["read"])
    assert browser.delete(f"/account/api-keys/{created['id']}").status_code == 204
    assert "found in public" not in page(browser)
    assert 'value="test key"' not in page(browser, "/settings/api?replace=key_nonexistent0000")
