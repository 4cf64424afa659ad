"""GitHub's secret scanning alerts over HTTP against the local stack, signed with a test key
that the stack trusts through TASKFORGE_SECRET_SCANNING_KEYS (a stack of this module's own)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from tests.e2e.conftest import Stack, launch
from tests.keys import assert_gateway_refusal
from tests.leaks.signer import Signer, report

URL = "https://github.com/octo/demo/blob/main/deploy.sh"


@dataclass
class Scanning:
    stack: Stack
    github: Signer
    dashboard: requests.Session
    csrf: str

    def alert(self, body: bytes, headers: dict[str, str] | None = None) -> requests.Response:
        return requests.post(f"{self.stack.url}/secret-scanning/github", data=body, timeout=30,
                             headers=self.github.headers(body) if headers is None else headers)

    def create_key(self, label: str = "e2e leak") -> dict[str, Any]:
        answer = self.dashboard.post(f"{self.stack.url}/account/api-keys", timeout=10,
                                     headers={"X-CSRF-Token": self.csrf},
                                     json={"label": label, "scopes": ["read"]})
        assert answer.status_code == 201, answer.text
        created: dict[str, Any] = answer.json()
        return created

    def me(self, key: str) -> requests.Response:
        return requests.get(f"{self.stack.url}/v1/me", headers={"Authorization": f"Bearer {key}"}, timeout=10)

    def leaked_events(self, key_id: str) -> list[dict[str, Any]]:
        events = self.dashboard.get(f"{self.stack.url}/account/audit-events?limit=200", timeout=10).json()
        return [e for e in events["events"] if e["type"] == "credential.leaked" and e["object_id"] == key_id]


@pytest.fixture(scope="module")
def scanning() -> Iterator[Scanning]:
    github = Signer.new()
    with launch({"TASKFORGE_SECRET_SCANNING_KEYS": github.document()}) as stack:
        session = requests.Session()
        login = session.post(f"{stack.url}/login", json={"email": stack.demo_email,
                                                        "password": stack.demo_password}, timeout=10)
        assert login.status_code == 200, login.text
        yield Scanning(stack, github, session, login.json()["csrf_token"])


def test_a_leaked_key_is_refused_next_and_the_audit_log_and_dashboard_say_why(scanning: Scanning) -> None:
    created = scanning.create_key("Deploy script")
    assert scanning.me(created["key"]).status_code == 200
    answer = scanning.alert(report(created["key"], url=URL, source="commit"))
    assert answer.status_code == 200
    assert answer.json() == [{"token_raw": created["key"], "token_type": "taskforge_api_key",
                              "label": "true_positive"}]
    refused = scanning.me(created["key"])
    assert_gateway_refusal(refused.status_code, refused.headers, refused.content)
    (event,) = scanning.leaked_events(created["id"])
    assert event["details"]["url"] == URL and event["details"]["source"] == "commit"
    listed = scanning.dashboard.get(f"{scanning.stack.url}/account/api-keys", timeout=10).json()
    key = next(k for k in listed["api_keys"] if k["id"] == created["id"])
    assert (key["status"], key["revoked_reason"], key["leak_url"]) == ("revoked", "leaked", URL)
    html = scanning.dashboard.get(f"{scanning.stack.url}/settings/api", timeout=10).text
    assert re.search(r"Revoked: found in public at\s*<a href=\"" + re.escape(URL), html)


def test_the_same_report_twice_answers_the_same_and_revokes_once(scanning: Scanning) -> None:
    created = scanning.create_key()
    body = report(created["key"], "tfk_" + "A" * 38, created["key"])
    first, again = scanning.alert(body), scanning.alert(body)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert [a["label"] for a in again.json()] == ["true_positive", "false_positive", "true_positive"]
    assert len(scanning.leaked_events(created["id"])) == 1


def test_a_bad_signature_is_401_and_the_key_keeps_working(scanning: Scanning) -> None:
    created = scanning.create_key()
    body = report(created["key"])
    forger = Signer.new()
    for headers in ({"Content-Type": "application/json"},
                    {**forger.headers(body), "Github-Public-Key-Identifier": scanning.github.key_id},
                    {**scanning.github.headers(report("tfk_other")), "Content-Type": "application/json"}):
        answer = scanning.alert(body, headers)
        assert answer.status_code == 401 and answer.json()["error"] == "invalid_signature"
    assert scanning.me(created["key"]).status_code == 200


@pytest.mark.parametrize("body", [
    b"{}", b"[1, 2]", b'[{"token": 42}]', b'[{"token": "\\ud800"}]', b'[{"token": "\xff"}]',
    b"[" * 50_000, json.dumps([{"token": "tfk_x"}] * 1001).encode(), b"x" * (1024 * 1024 + 1),
])
def test_bad_reports_are_4xx_never_5xx(scanning: Scanning, body: bytes) -> None:
    answer = scanning.alert(body)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] == "invalid_request"


def test_wrong_content_type_is_a_4xx(scanning: Scanning) -> None:
    body = report("tfk_x")
    answer = scanning.alert(body, {**scanning.github.headers(body), "Content-Type": "text/plain"})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"


def test_the_default_stack_has_no_endpoint(stack: Stack) -> None:
    body = report("tfk_x")
    answer = requests.post(f"{stack.url}/secret-scanning/github", data=body, timeout=10,
                           headers=Signer.new().headers(body))
    assert answer.status_code == 404 and answer.json()["error"] == "not_found"


def test_a_leaked_refresh_token_ends_its_grant(scanning: Scanning) -> None:
    from tests.e2e.http.test_oauth_http import signed_up_with_grant

    person, client, oauth, token = signed_up_with_grant(scanning.stack)
    assert scanning.me(token["access_token"]).status_code == 200
    answer = scanning.alert(report(token["refresh_token"], kind="taskforge_refresh_token"))
    assert answer.json() == [{"token_raw": token["refresh_token"], "token_type": "taskforge_refresh_token",
                              "label": "true_positive"}]
    refused = scanning.me(token["access_token"])
    assert_gateway_refusal(refused.status_code, refused.headers, refused.content)
    refreshed = requests.post(f"{scanning.stack.url}/oauth/token", timeout=10,
                              auth=(client["client_id"], client["client_secret"]),
                              data={"grant_type": "refresh_token", "refresh_token": token["refresh_token"]})
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant"
    events = person.setup.get(f"{scanning.stack.url}/account/audit-events", timeout=10).json()["events"]
    leaked = [e for e in events if e["type"] == "credential.leaked"]
    assert [e["details"]["credential_type"] for e in leaked] == ["refresh_token"]
