"""The standalone gateway authorizer, fed events in AWS's documented shapes (tests/events/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.store import db
from tests.conftest import Browser
from tests.keys import make_key

EVENTS = Path(__file__).with_name("events")
KINDS = ("token", "request_v1", "http_v2")
API_WIDE = "arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/*"


def event(kind: str, authorization: str) -> dict[str, Any]:
    text = (EVENTS / f"{kind}.json").read_text()
    loaded: dict[str, Any] = json.loads(text.replace("Bearer <KEY>", authorization))
    return loaded


def invoke(client: Client, payload: Any) -> dict[str, Any]:
    answer: dict[str, Any] = client.lambda_.invoke("gateway_authorizer", payload).payload
    return answer


def assert_denied(kind: str, answer: dict[str, Any]) -> None:
    if kind == "http_v2":
        assert answer == {"isAuthorized": False, "context": {}}
    else:
        statement = answer["policyDocument"]["Statement"]
        assert [s["Effect"] for s in statement] == ["Deny"]
        assert answer["principalId"] and answer["context"] == {}


@pytest.mark.parametrize("kind", KINDS)
def test_live_key_is_allowed_with_string_context(client: Client, browser: Browser, kind: str) -> None:
    created = make_key(browser, ["write"], rate_limit_per_minute=30)
    answer = invoke(client, event(kind, f"Bearer {created['key']}"))
    context = {"principal_type": "api_key", "workspace_id": browser_workspace(client, browser),
               "scopes": "write", "credential_id": created["id"], "rate_limit_per_minute": "30"}
    if kind == "http_v2":
        assert answer == {"isAuthorized": True, "context": context}
        return
    assert answer["principalId"] == created["id"]
    assert answer["context"] == context
    assert answer["policyDocument"] == {"Version": "2012-10-17", "Statement": [
        {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": API_WIDE}]}


def browser_workspace(client: Client, browser: Browser) -> str:
    return str(json.loads(browser.get("/account").body)["workspace_id"])


@pytest.mark.parametrize("kind", KINDS)
def test_invalid_credentials_are_denied(client: Client, kind: str) -> None:
    for authorization in ("Basic dXNlcjpwYXNz", "tfk_nothing", "", "Bearer " + "a" * 8192,
                          "Bearer tfk_000000000000000000000000000000000000AAAA", "Bearer \u00e9"):
        assert_denied(kind, invoke(client, event(kind, authorization)))


@pytest.mark.parametrize("kind", KINDS)
def test_revoked_key_is_denied(client: Client, browser: Browser, kind: str) -> None:
    created = make_key(browser, ["read"])
    browser.delete(f"/account/api-keys/{created['id']}")
    assert_denied(kind, invoke(client, event(kind, f"Bearer {created['key']}")))


def test_request_event_header_name_is_case_insensitive(client: Client, browser: Browser) -> None:
    created = make_key(browser, ["read"])
    raw = event("request_v1", "x")
    raw["headers"] = {"authorization": f"Bearer {created['key']}"}
    assert invoke(client, raw)["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    del raw["headers"]
    assert_denied("request_v1", invoke(client, raw))


def test_http_v2_falls_back_to_identity_source(client: Client, browser: Browser) -> None:
    created = make_key(browser, ["read"])
    raw = event("http_v2", f"Bearer {created['key']}")
    del raw["headers"]
    assert invoke(client, raw)["isAuthorized"] is True


GARBAGE = [
    [], "Bearer x", 42, {}, {"type": "TOKEN"}, {"type": "TOKEN", "authorizationToken": 5, "methodArn": 7},
    {"type": "COGNITO"}, {"version": "2.0"}, {"version": "2.0", "headers": "x", "identitySource": "x"},
    {"type": "REQUEST", "headers": ["Authorization"]},
]


def test_garbage_events_are_denied_never_raised(client: Client) -> None:
    for payload in GARBAGE:
        answer = invoke(client, payload)
        assert answer.get("isAuthorized") is False or \
            answer["policyDocument"]["Statement"][0]["Effect"] == "Deny", payload


def test_unparseable_method_arn_never_allows(client: Client, browser: Browser) -> None:
    created = make_key(browser, ["read"])
    raw = event("token", f"Bearer {created['key']}")
    raw["methodArn"] = "not-an-arn"
    assert_denied("token", invoke(client, raw))


@pytest.mark.parametrize("kind", KINDS)
def test_store_failure_denies(client: Client, browser: Browser, kind: str) -> None:
    created = make_key(browser, ["admin"])
    db.call("delete_table", TableName=db.table())
    assert_denied(kind, invoke(client, event(kind, f"Bearer {created['key']}")))


def test_lambda_entry_points_answer_as_deployed(browser: Browser) -> None:
    """Both authorizers' Lambda handlers are attributes of chalicelib.routes.gate (not app.py)."""
    from chalicelib.routes import gate

    created = make_key(browser, ["read"])
    allowed = gate.gateway_authorizer(event("token", f"Bearer {created['key']}"), None)
    assert allowed["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    token_event = event("token", f"Bearer {created['key']}")
    answer = gate.bearer(token_event, None)
    assert answer["principalId"] == created["id"]
    assert answer["context"]["credential_id"] == created["id"]
    with pytest.raises(Exception, match="^Unauthorized$"):
        gate.bearer(event("token", "Bearer tfk_nope"), None)
