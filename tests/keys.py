"""Helpers for tests of the Bearer API: make keys, call /v1 with one, count DynamoDB calls."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from chalice.test import Client

from chalicelib.localgateway import gateway_response
from chalicelib.store import db
from tests.conftest import Browser, body_of


def make_key(browser: Browser, scopes: list[str], **fields: Any) -> dict[str, Any]:
    """A key created in the dashboard API; its answer (with `key`)."""
    response = browser.post("/account/api-keys", {"label": "test key", "scopes": scopes, **fields})
    assert response.status_code == 201, response.body
    created: dict[str, Any] = body_of(response)
    return created


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def call(client: Client, method: str, path: str, key: str | None, body: Any = None,
         headers: dict[str, str] | None = None) -> Any:
    sent = {"Content-Type": "application/json", **(bearer(key) if key else {}), **(headers or {})}
    data = json.dumps(body).encode() if body is not None else b""
    return client.http.request(method, path, headers=sent, body=data)


def assert_gateway_refusal(status: int, headers: Any, body: bytes, kind: str = "UNAUTHORIZED") -> None:
    """The answer is byte for byte the deployed gateway response of this kind."""
    want_status, want_headers, want_body = gateway_response(kind)
    assert status == want_status
    assert body == want_body
    lowered = {name.lower(): value for name, value in dict(headers).items()}
    for name, value in want_headers.items():
        assert lowered[name.lower()] == value


@contextmanager
def dynamodb_calls() -> Iterator[Counter[str]]:
    """Count DynamoDB operations made through the store's client (botocore event hooks)."""
    counts: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        counts[model.name] += 1

    events = db.client().meta.events
    events.register("before-call.dynamodb", count, unique_id="test-count-dynamodb")
    try:
        yield counts
    finally:
        events.unregister("before-call.dynamodb", unique_id="test-count-dynamodb")
