"""Every API Gateway default response a client can meet is customised (issue 14, finding 2):
the contract's JSON shape, no request data echoed, and the local adapter answers the same."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.localgateway import gateway_response
from tests.conftest import Browser, body_of
from tests.keys import make_key

RESPONSES = json.loads((Path(__file__).resolve().parents[1] / "infra" / "gateway_responses.json").read_text())
# Every gateway response type that can reach a client of a REST API with a Lambda authorizer
# (API Gateway developer guide, "Gateway response types"); DEFAULT_4XX/5XX cover the rest.
REACHABLE = {"MISSING_AUTHENTICATION_TOKEN", "RESOURCE_NOT_FOUND", "DEFAULT_4XX", "DEFAULT_5XX",
             "ACCESS_DENIED", "UNAUTHORIZED", "THROTTLED", "QUOTA_EXCEEDED", "REQUEST_TOO_LARGE",
             "UNSUPPORTED_MEDIA_TYPE", "BAD_REQUEST_BODY", "BAD_REQUEST_PARAMETERS",
             "INTEGRATION_FAILURE", "INTEGRATION_TIMEOUT", "AUTHORIZER_FAILURE",
             "AUTHORIZER_CONFIGURATION_ERROR", "API_CONFIGURATION_ERROR", "EXPIRED_TOKEN",
             "INVALID_SIGNATURE", "INVALID_API_KEY", "WAF_FILTERED"}


def test_every_reachable_gateway_response_is_customised() -> None:
    assert REACHABLE <= set(RESPONSES)


@pytest.mark.parametrize("kind", sorted(REACHABLE))
def test_each_is_the_contracts_json_and_echoes_nothing(kind: str) -> None:
    spec = RESPONSES[kind]
    template = spec["ResponseTemplates"]["application/json"]
    assert "$" not in template  # no $input/$context: nothing of the request comes back
    body = json.loads(template)
    assert set(body) == {"error", "error_description"} and body["error_description"]
    parameters = spec["ResponseParameters"]
    assert parameters["gatewayresponse.header.Content-Type"] == "'application/json'"
    assert all("method.request" not in value for value in parameters.values())
    if kind == "MISSING_AUTHENTICATION_TOKEN":
        assert spec["StatusCode"] == "404" and body["error"] == "not_found"
    if kind == "THROTTLED":
        assert spec["StatusCode"] == "429" and body["error"] == "rate_limited"
        assert "gatewayresponse.header.Retry-After" in parameters


def test_local_unknown_path_answers_the_deployed_404(client: Client, browser: Browser) -> None:
    key = make_key(browser, ["admin"])["key"]
    response = client.http.get("/v1/projects", headers={"Authorization": f"Bearer {key}"})
    status, headers, body = gateway_response("MISSING_AUTHENTICATION_TOKEN")
    assert (response.status_code, response.body) == (status, body)
    assert body_of(response)["error"] == "not_found"
    assert key not in json.dumps(dict(response.headers))


def test_settings_itself_goes_to_settings_api(browser: Browser) -> None:
    response = browser.get("/settings")
    assert response.status_code in (302, 303) and response.headers["Location"] == "/settings/api"


@pytest.mark.parametrize("path", ["/settings/nope", "/settings/api/extra"])
def test_mistyped_settings_pages_are_a_friendly_html_404(browser: Browser, path: str) -> None:
    response = browser.get(path)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
    assert b'href="/settings/api"' in response.body and b"Missing Authentication Token" not in response.body


def test_unknown_kind_headers_are_plain(client: Client) -> Any:
    response = client.http.get("/nope")
    assert response.status_code == 404 and body_of(response)["error"] == "not_found"
