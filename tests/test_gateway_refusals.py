"""Refused /v1 requests answer exactly as the deployed API Gateway does (infra/gateway_responses.json).

The local-mode adapter (chalicelib/localgateway.py) replays the gateway responses
in chalice.test.Client; tests/e2e/http/test_apikeys_http.py checks the same over HTTP.
"""

from __future__ import annotations

from typing import Any

import pytest
from chalice.test import Client

from chalicelib.apikeys import keyformat
from chalicelib.store import db
from tests.conftest import Browser
from tests.keys import assert_gateway_refusal, make_key

VALID_SHAPE = keyformat.new_key()


def bad_checksum(key: str) -> str:
    return key[:-1] + ("A" if key[-1] != "A" else "B")


REFUSED_HEADERS = {
    "basic scheme": {"Authorization": "Basic dXNlcjpwYXNz"},
    "no scheme": {"Authorization": VALID_SHAPE},
    "8 KB token": {"Authorization": "Bearer " + "a" * 8192},
    "non-ASCII": {"Authorization": "Bearer tfk_\u00e9\u00e8\u00ea\u2603"},
    "bad checksum": {"Authorization": f"Bearer {bad_checksum(VALID_SHAPE)}"},
    "never issued": {"Authorization": f"Bearer {keyformat.new_key()}"},
    "empty": {"Authorization": ""},
    "tab separator": {"Authorization": f"Bearer\t{VALID_SHAPE}"},
}


def refused(response: Any, kind: str = "UNAUTHORIZED") -> None:
    assert_gateway_refusal(response.status_code, response.headers, response.body, kind)


def test_missing_header(client: Client) -> None:
    refused(client.http.get("/v1/tasks"))


@pytest.mark.parametrize("case", sorted(REFUSED_HEADERS))
def test_refused_credentials(client: Client, case: str) -> None:
    refused(client.http.get("/v1/tasks", headers=REFUSED_HEADERS[case]))


def test_revoked_key(client: Client, browser: Browser) -> None:
    created = make_key(browser, ["read"])
    headers = {"Authorization": f"Bearer {created['key']}"}
    assert client.http.get("/v1/tasks", headers=headers).status_code == 200
    assert browser.delete(f"/account/api-keys/{created['id']}").status_code == 204
    refused(client.http.get("/v1/tasks", headers=headers))


def test_expired_key(client: Client, browser: Browser) -> None:
    created = make_key(browser, ["read"], expires_in_days=1)
    headers = {"Authorization": f"Bearer {created['key']}"}
    assert client.http.get("/v1/me", headers=headers).status_code == 200
    db.update(f"APIKEY#{keyformat.digest(created['key'])}", "KEY", "SET expires_at = :past",
              vals={":past": created["created_at"] - 1})
    refused(client.http.get("/v1/me", headers=headers))
    listed = browser.get("/account/api-keys")
    assert [k["status"] for k in listed.json_body["api_keys"]] == ["expired"]


def test_every_v1_route_is_guarded(client: Client, app: Any) -> None:
    v1 = [(path, method) for path, methods in app.routes.items() if path.startswith("/v1/")
          for method in methods]
    assert len(v1) >= 9
    for path, method in v1:
        assert app.routes[path][method].authorizer is not None, (method, path)
        concrete = path.replace("{task_id}", "tsk_0000000000000000").replace("{key_id}", "key_x")
        refused(client.http.request(method, concrete, headers={"Authorization": "Bearer nope"}))


def test_store_failure_fails_closed_with_503(client: Client, browser: Browser) -> None:
    created = make_key(browser, ["admin"])
    db.call("delete_table", TableName=db.table())
    response = client.http.get("/v1/me", headers={"Authorization": f"Bearer {created['key']}"})
    refused(response, "AUTHORIZER_CONFIGURATION_ERROR")
    assert response.status_code == 503 and response.headers["Retry-After"] == "1"
