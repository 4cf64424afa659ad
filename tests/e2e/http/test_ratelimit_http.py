"""Exactness over HTTP: with limit L, M > L concurrent requests let exactly L through."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.e2e.conftest import Stack
from tests.e2e.http.test_apikeys_http import sign_up_and_in

LIMIT, REQUESTS = 7, 20


def _wait_clear_of_window_edge() -> None:
    """All requests must land in one fixed window: never start in a window's last 5 s."""
    if time.time() % 60 > 55:
        time.sleep(60 - time.time() % 60 + 0.2)


def test_concurrent_requests_let_exactly_the_limit_through(stack: Stack) -> None:
    key = sign_up_and_in(stack).create_key(["read"], rate_limit_per_minute=LIMIT)["key"]
    _wait_clear_of_window_edge()

    def hit(_: int) -> requests.Response:
        return requests.get(f"{stack.url}/v1/me", headers={"Authorization": f"Bearer {key}"}, timeout=30)

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(hit, range(REQUESTS)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses.count(200) == LIMIT
    assert statuses.count(429) == REQUESTS - LIMIT
    limited = next(a for a in answers if a.status_code == 429)
    assert int(limited.headers["Retry-After"]) >= 1
    assert all("X-RateLimit-Remaining" in a.headers for a in answers)
