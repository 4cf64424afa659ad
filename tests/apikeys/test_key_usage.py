"""Last use of an API key: when, from which IP and with which user agent, written by the
existing once-a-minute touch (no extra writes), and shown on Settings → API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.apikeys import keyformat
from chalicelib.store import apikeys as key_store
from tests.conftest import Browser
from tests.dashboard.pages import get
from tests.keys import bearer, dynamodb_calls, make_key

EVENTS = Path(__file__).resolve().parents[1] / "events"


def stored(key: str) -> dict[str, Any]:
    record = key_store.get(keyformat.digest(key))
    assert record is not None
    return record


def test_v1_records_ip_and_user_agent_with_the_one_touch(client: Client, browser: Browser) -> None:
    key = make_key(browser, ["read"])["key"]
    with dynamodb_calls() as calls:
        answer = client.http.get("/v1/me", headers={**bearer(key), "User-Agent": "ci-deploy/1.4 (+curl)"})
    assert answer.status_code == 200
    # The authorizer's read, the limiter's counter, and the one (deferred) touch.
    assert dict(calls) == {"GetItem": 1, "UpdateItem": 2}
    record = stored(key)
    assert record["last_used_ip"] == "127.0.0.1"  # chalice's local source IP
    assert record["last_used_user_agent"] == "ci-deploy/1.4 (+curl)"
    assert record["last_used_at"] > 0

    with dynamodb_calls() as calls:
        again = client.http.get("/v1/me", headers={**bearer(key), "User-Agent": "other/2"})
    assert again.status_code == 200
    assert dict(calls) == {"GetItem": 1, "UpdateItem": 1}  # within the minute: the limiter's write only
    assert stored(key)["last_used_user_agent"] == "ci-deploy/1.4 (+curl)"


def test_listing_shows_last_use_details(client: Client, browser: Browser) -> None:
    created = make_key(browser, ["read"])
    client.http.get("/v1/me", headers={**bearer(created["key"]), "User-Agent": "curl/8.5.0"})
    listed = json.loads(browser.get("/account/api-keys").body)["api_keys"]
    mine = next(k for k in listed if k["id"] == created["id"])
    assert (mine["last_used_ip"], mine["last_used_user_agent"]) == ("127.0.0.1", "curl/8.5.0")
    assert "digest" not in mine


def test_settings_api_shows_when_and_from_where(client: Client, browser: Browser) -> None:
    created = make_key(browser, ["read"])
    page = get(browser, "/settings/api")
    assert "Last used from" not in page.html  # never used: only "Never"
    client.http.get("/v1/me", headers={**bearer(created["key"]),
                                       "User-Agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) "
                                                     "AppleWebKit/537.36 Chrome/126.0 Safari/537.36"})
    html = get(browser, "/settings/api").html
    assert "Last used from" in html and "127.0.0.1" in html and "Chrome on macOS" in html


def gateway_event(kind: str, key: str) -> Any:
    return json.loads((EVENTS / f"{kind}.json").read_text().replace("Bearer <KEY>", f"Bearer {key}"))


@pytest.mark.parametrize(("kind", "ip", "agent"), [
    ("http_v2", "203.0.113.7", "curl/8.5.0"),
    ("request_v1", None, "curl/8.5.0"),
    ("token", None, None),
])
def test_gateway_authorizer_records_what_its_event_carries(client: Client, browser: Browser, kind: str,
                                                           ip: str | None, agent: str | None) -> None:
    key = make_key(browser, ["read"])["key"]
    event = gateway_event(kind, key)
    if kind == "request_v1":
        ip = event["requestContext"]["identity"]["sourceIp"]
    with dynamodb_calls() as calls:
        answer = client.lambda_.invoke("gateway_authorizer", event).payload
    assert answer.get("isAuthorized") is True or answer["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    assert "touch_due" not in answer["context"]
    assert dict(calls) == {"GetItem": 1, "UpdateItem": 1}
    record = stored(key)
    assert record["last_used_at"] > 0
    assert record.get("last_used_ip") == ip and record.get("last_used_user_agent") == agent
