"""Key listing a page at a time: `limit` and `next_cursor` on /account and /v1, and the
Settings → API page's "Next page" link."""

from __future__ import annotations

import re
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.dashboard import api_keys as api_keys_page
from tests.conftest import Browser, body_of
from tests.dashboard.pages import get
from tests.keys import bearer, make_key


def _walk(fetch: Any, limit: int) -> list[list[str]]:
    """Every page's key ids, following next_cursor until it is null."""
    pages, cursor = [], None
    while True:
        answer = fetch(f"?limit={limit}" + (f"&cursor={cursor}" if cursor else ""))
        assert answer.status_code == 200, answer.body
        body = body_of(answer)
        pages.append([key["id"] for key in body["api_keys"]])
        assert not any("key" in k or "digest" in k for k in body["api_keys"])  # never the key itself
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 20


@pytest.mark.parametrize("limit", [2, 5], ids=["partial_last_page", "exact_last_page"])
def test_account_pages_cover_every_key_once(browser: Browser, limit: int) -> None:
    made = {make_key(browser, ["read"])["id"] for _ in range(5)}
    pages = _walk(lambda query: browser.get("/account/api-keys" + query), limit)
    assert [len(p) for p in pages] == ([2, 2, 1] if limit == 2 else [5])  # a full last page: no cursor
    assert sorted(i for p in pages for i in p) == sorted(made)


def test_bearer_pages_match_the_dashboard(client: Client, browser: Browser) -> None:
    admin = make_key(browser, ["admin"])
    made = {make_key(browser, ["read"])["id"] for _ in range(2)} | {admin["id"]}
    pages = _walk(lambda query: client.http.get("/v1/api-keys" + query, headers=bearer(admin["key"])), 2)
    assert [len(p) for p in pages] == [2, 1]
    assert {i for p in pages for i in p} == made


@pytest.mark.parametrize("query", ["?limit=0", "?limit=101", "?limit=abc", "?limit=-1",
                                   "?cursor=nope", "?cursor=key_%F0%9F%98%80", "?cursor=%ED%A0%80",
                                   "?cursor=APIKEY%23x"],
                         ids=["zero", "too_many", "text", "negative", "garbage", "emoji", "surrogate",
                              "table_key"])
def test_bad_paging_is_a_clear_400(browser: Browser, query: str) -> None:
    make_key(browser, ["read"])
    answer = browser.get("/account/api-keys" + query)
    assert answer.status_code == 400, answer.body
    body = body_of(answer)
    assert body["error"] == "invalid_request" and ("limit" in body["error_description"]
                                                   or "cursor" in body["error_description"])


def test_settings_page_links_to_the_next_page(browser: Browser, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api_keys_page, "PAGE_SIZE", 2)
    labels = {f"key number {n}" for n in range(3)}
    for label in labels:
        assert browser.post("/account/api-keys", {"label": label, "scopes": ["read"]}).status_code == 201
    first = get(browser, "/settings/api")
    link = re.search(r'<a href="(/settings/api\?cursor=key_[0-9A-Za-z]{16})" rel="next">Next page</a>',
                     first.html)
    assert link, first.html
    second = get(browser, link.group(1))
    assert second.status == 200 and "Next page" not in second.html and "First page" in second.html
    shown = [label for page in (first, second) for label in labels if label in page.html]
    assert sorted(shown) == sorted(labels)  # each key on exactly one page
    # A mangled cursor shows the first page, not an error.
    assert get(browser, "/settings/api?cursor=%3Cscript%3E").status == 200
