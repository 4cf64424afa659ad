"""Per-credential rate limits on /v1: headers on every answer, 429 with Retry-After, store failure."""

from __future__ import annotations

import time

import pytest
from botocore.exceptions import ClientError

from chalicelib import ratelimit
from chalicelib.errors import RateLimited
from chalicelib.store import db
from tests.conftest import Browser, body_of
from tests.keys import call, dynamodb_calls, make_key

HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


def test_every_v1_answer_carries_the_quota(client, browser: Browser):
    key = make_key(browser, ["read"], rate_limit_per_minute=50)["key"]
    answers = [call(client, "GET", "/v1/me", key), call(client, "POST", "/v1/tasks", key, {"title": "x"}),
               call(client, "GET", "/v1/tasks/tsk_missing", key)]
    assert [a.status_code for a in answers] == [200, 403, 404]
    for answer in answers:
        assert all(name in answer.headers for name in HEADERS)
        assert answer.headers["X-RateLimit-Limit"] == "50"
        assert int(answer.headers["X-RateLimit-Reset"]) > time.time()
    assert [int(a.headers["X-RateLimit-Remaining"]) for a in answers] == [49, 48, 47]


def test_over_the_key_limit_is_429_with_retry_after(client, browser: Browser):
    key = make_key(browser, ["read"], rate_limit_per_minute=3)["key"]
    statuses = [call(client, "GET", "/v1/me", key).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    limited = call(client, "GET", "/v1/me", key)
    assert limited.status_code == 429
    assert body_of(limited)["error"] == "rate_limited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert limited.headers["X-RateLimit-Remaining"] == "0"


def test_default_limit_comes_from_settings(client, browser: Browser, monkeypatch):
    from chalicelib.settings import get_settings

    key = make_key(browser, ["read"])["key"]
    monkeypatch.setenv("TASKFORGE_RATE_LIMIT_PER_MINUTE", "2")
    get_settings.cache_clear()
    get_settings()
    answers = [call(client, "GET", "/v1/me", key) for _ in range(3)]
    get_settings.cache_clear()
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[0].headers["X-RateLimit-Limit"] == "2"


def test_keys_are_counted_separately(client, browser: Browser):
    first = make_key(browser, ["read"], rate_limit_per_minute=1)["key"]
    second = make_key(browser, ["read"], rate_limit_per_minute=1)["key"]
    assert call(client, "GET", "/v1/me", first).status_code == 200
    assert call(client, "GET", "/v1/me", first).status_code == 429
    assert call(client, "GET", "/v1/me", second).status_code == 200


def test_the_limiter_adds_exactly_one_write(client, browser: Browser):
    key = make_key(browser, ["read"])["key"]
    call(client, "GET", "/v1/me", key)  # first use writes last_used_at
    with dynamodb_calls() as counts:
        assert call(client, "GET", "/v1/me", key).status_code == 200
    assert counts == {"GetItem": 1, "UpdateItem": 1}


def _throttle_updates(request_dict=None, **kwargs):
    raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow"}},
                      "UpdateItem")


def test_limiter_store_failure_fails_closed_and_logs(client, browser: Browser, capsys):
    key = make_key(browser, ["read"])["key"]
    call(client, "GET", "/v1/me", key)
    events = db.client().meta.events
    events.register("before-call.dynamodb.UpdateItem", _throttle_updates, unique_id="throttle")
    try:
        answer = call(client, "GET", "/v1/me", key)
    finally:
        events.unregister("before-call.dynamodb.UpdateItem", unique_id="throttle")
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "1"
    assert body_of(answer)["error"] == "temporarily_unavailable"
    assert '"event":"rate_limit_store_unavailable"' in capsys.readouterr().out


def test_unauthenticated_requests_never_pass_when_the_store_fails(client, browser: Browser, monkeypatch):
    key = make_key(browser, ["read"])["key"]
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9")
    db.client.cache_clear()
    answer = call(client, "GET", "/v1/me", key)
    db.client.cache_clear()
    assert answer.status_code == 503
    assert "X-RateLimit-Limit" not in answer.headers


def test_fixed_window_boundary(aws):
    assert ratelimit.consume("t", 1, now=120.5).remaining == 0
    with pytest.raises(RateLimited) as refused:
        ratelimit.consume("t", 1, now=179.0)
    assert refused.value.headers["Retry-After"] == "1"
    assert ratelimit.consume("t", 1, now=180.0).reset == 240
