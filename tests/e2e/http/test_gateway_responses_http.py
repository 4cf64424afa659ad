"""Paths with no route over HTTP (issue 14, finding 2): the answer is the contract's
`404 not_found` JSON, the same as the deployed gateway's customised response, and never echoes
the credential or any other request header. A non-ASCII Authorization header still gets it."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest
import requests

from chalicelib.localgateway import gateway_response
from tests.e2e.conftest import Stack
from tests.e2e.http.test_apikeys_http import sign_up_and_in


def raw_get(stack: Stack, path: str, headers: dict[str, bytes]) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(stack.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.putrequest("GET", path)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        answer = conn.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        conn.close()


@pytest.mark.parametrize("path", ["/v1/projects", "/nope", "/v1/tasks/a/b/c", "/oauth/nothing"])
def test_unknown_path_with_a_credential_is_404_and_echoes_nothing(stack: Stack, path: str) -> None:
    key = sign_up_and_in(stack).create_key(["admin"])["key"]
    answer = requests.get(f"{stack.url}{path}", timeout=10,
                          headers={"Authorization": f"Bearer {key}", "X-Secret-Thing": "s3cr3t-header"})
    assert answer.status_code == 404, answer.text
    assert answer.headers["Content-Type"].startswith("application/json")
    assert answer.json()["error"] == "not_found" and answer.json()["error_description"]
    everything = answer.text + json.dumps(dict(answer.headers))
    assert key not in everything and key[4:12] not in everything and "s3cr3t" not in everything
    status, headers, body = gateway_response("MISSING_AUTHENTICATION_TOKEN")
    assert (answer.status_code, answer.content) == (status, body)


@pytest.mark.parametrize("method", ["POST", "DELETE", "PUT"])
def test_unknown_path_any_method_is_404_json(stack: Stack, method: str) -> None:
    answer = requests.request(method, f"{stack.url}/v1/projects", timeout=10,
                              headers={"Authorization": "Bearer tfk_whatever"})
    assert answer.status_code == 404 and answer.json()["error"] == "not_found"
    assert "tfk_whatever" not in answer.text


def test_non_ascii_authorization_on_an_unknown_path_is_answered(stack: Stack) -> None:
    sent = {"Authorization": "Bearer tfk_\xe9\xe8".encode("latin-1")}
    status, _, body = raw_get(stack, "/v1/projects", sent)
    assert status == 404
    assert json.loads(body)["error"] == "not_found"
    assert b"tfk_" not in body
    assert requests.get(f"{stack.url}/health", timeout=5).status_code == 200
