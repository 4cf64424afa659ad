"""Secret scanning when DynamoDB misbehaves: fail closed (503), and GitHub's retry finishes the job."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.store import db
from tests.conftest import Browser, body_of
from tests.faults import failing
from tests.keys import call, dynamodb_calls, make_key
from tests.leaks.conftest import alert, answer
from tests.leaks.signer import Signer, report


def test_a_report_larger_than_one_batch_read_is_read_in_pages(browser: Browser, github: Signer) -> None:
    created = [make_key(browser, ["read"])["key"] for _ in range(130)]
    body = report(*created)
    with dynamodb_calls() as calls:
        response = alert(browser, body, github.headers(body))
    assert [a["label"] for a in answer(response)] == ["true_positive"] * 130
    # Two batch reads; each leak's notice reads the workspace's owner and the owner's email.
    assert calls["BatchGetItem"] == 2 and calls["GetItem"] == 260 and calls["UpdateItem"] == 130


def test_keys_dynamodb_leaves_unprocessed_are_asked_again(browser: Browser, github: Signer) -> None:
    created = [make_key(browser, ["read"])["key"] for _ in range(3)]
    held_back: list[int] = []

    def leave_unprocessed(parsed: dict[str, Any], **_: Any) -> None:
        if held_back:
            return
        (table,) = parsed["Responses"]
        answered = parsed["Responses"][table]
        held_back.append(len(answered) - 1)
        keys = [{"pk": item["pk"], "sk": item["sk"]} for item in answered[1:]]
        parsed["Responses"][table] = answered[:1]
        parsed["UnprocessedKeys"] = {table: {"Keys": keys, "ConsistentRead": True}}

    events = db.client().meta.events
    events.register("after-call.dynamodb.BatchGetItem", leave_unprocessed, unique_id="test-unprocessed")
    try:
        body = report(*created)
        with dynamodb_calls() as calls:
            response = alert(browser, body, github.headers(body))
    finally:
        events.unregister("after-call.dynamodb.BatchGetItem", unique_id="test-unprocessed")
    assert held_back == [2] and calls["BatchGetItem"] == 2
    assert [a["label"] for a in answer(response)] == ["true_positive"] * 3


@pytest.mark.parametrize("operation", ["BatchGetItem", "UpdateItem"])
def test_a_store_failure_is_503_and_the_retry_revokes(
        browser: Browser, github: Signer, operation: str) -> None:
    created = make_key(browser, ["read"])
    body = report(created["key"])
    with failing("unreachable", operation):
        response = alert(browser, body, github.headers(body))
    assert response.status_code == 503 and body_of(response)["error"] == "temporarily_unavailable"
    assert call(browser.client, "GET", "/v1/me", created["key"]).status_code == 200
    retried = alert(browser, body, github.headers(body))
    assert answer(retried)[0]["label"] == "true_positive"
    assert call(browser.client, "GET", "/v1/me", created["key"]).status_code == 401


@pytest.mark.parametrize("first, label", [("a concurrent report", "true_positive"),
                                          ("its owner", "false_positive")])
def test_a_revocation_that_lands_between_our_read_and_our_write_decides_the_label(
        browser: Browser, github: Signer, first: str, label: str) -> None:
    """The conditional write loses; the key is read again and labelled by who revoked it."""
    from chalicelib.apikeys import keyformat
    from chalicelib.store import apikeys as key_store

    created = make_key(browser, ["read"])
    digest = keyformat.digest(created["key"])
    workspace_id = body_of(browser.get("/account"))["workspace_id"]
    raced: list[str] = []

    def revoke_first(params: dict[str, Any], **_: Any) -> None:
        if raced or "revoked_reason" not in params.get("UpdateExpression", ""):
            return
        raced.append(first)  # before our request leaves, the other revocation lands
        if first == "its owner":
            key_store.revoke(digest, workspace_id, 1, "usr", 2)
        else:
            key_store.revoke_leaked(digest, 1, "github-secret-scanning", "https://x", "content", 2)

    events = db.client().meta.events
    events.register("before-parameter-build.dynamodb.UpdateItem", revoke_first, unique_id="test-race")
    try:
        body = report(created["key"])
        response = alert(browser, body, github.headers(body))
    finally:
        events.unregister("before-parameter-build.dynamodb.UpdateItem", unique_id="test-race")
    assert raced == [first]
    assert answer(response)[0]["label"] == label
    leaked = [e for e in body_of(browser.get("/account/audit-events"))["events"]
              if e["type"] == "credential.leaked"]
    assert leaked == []  # the request that lost the write records nothing
