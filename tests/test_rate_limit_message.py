"""The 429 says the limit and when to retry, in words (issue 14, trust defects); headers unchanged."""

from __future__ import annotations

from chalice.test import Client

from tests.conftest import Browser, body_of
from tests.keys import call, make_key


def test_429_names_the_limit_and_the_wait(client: Client, browser: Browser) -> None:
    key = make_key(browser, ["read"], rate_limit_per_minute=2)["key"]
    assert [call(client, "GET", "/v1/me", key).status_code for _ in range(2)] == [200, 200]
    limited = call(client, "GET", "/v1/me", key)
    assert limited.status_code == 429
    wait = int(limited.headers["Retry-After"])
    description = body_of(limited)["error_description"]
    assert "2 requests per minute for this key" in description
    assert f"try again in {wait} second" in description
    assert limited.headers["X-RateLimit-Limit"] == "2" and limited.headers["X-RateLimit-Remaining"] == "0"
