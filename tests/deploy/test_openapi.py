"""openapi.yaml describes exactly the app's routes, is valid OpenAPI 3.1, and is what
GET /openapi.json serves (through the JSON copy that ships in the Lambda zip).

Adding a route: describe it under `paths:` in openapi.yaml, then `make openapi`. An HTML
page needs only a line or two, e.g.

    /settings/api:
      get:
        tags: [pages]
        summary: Settings → API keys.
        responses:
          "200": {$ref: "#/components/responses/HtmlPage"}
          "303": {$ref: "#/components/responses/SeeOther"}
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from openapi_spec_validator import validate

from scripts import openapi_json
from tests.conftest import body_of

METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi_json.load_source()


def app_operations() -> set[tuple[str, str]]:
    from app import app

    return {(method.upper(), path) for path, methods in app.routes.items() for method in methods}


def documented_operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, item in document["paths"].items()
            for method in item if method in METHODS}


def test_every_route_is_documented(document: dict[str, Any]) -> None:
    missing = sorted(app_operations() - documented_operations(document), key=lambda op: op[1])
    assert not missing, ("Chalice routes missing from openapi.yaml (describe them, then `make openapi`): "
                         + ", ".join(f"{method} {path}" for method, path in missing))


def test_the_document_names_no_route_that_does_not_exist(document: dict[str, Any]) -> None:
    extra = sorted(documented_operations(document) - app_operations(), key=lambda op: op[1])
    assert not extra, "openapi.yaml describes operations the app does not have: " + ", ".join(
        f"{method} {path}" for method, path in extra)


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1.")
    validate(document)


def test_every_operation_documents_its_errors_in_the_contract_shape(document: dict[str, Any]) -> None:
    """Each JSON error answer points at the shared Error schema; /v1 names 401, 403, 429 and 503."""
    responses = document["components"]["responses"]
    for path, item in document["paths"].items():
        for method, operation in ((m, o) for m, o in item.items() if m in METHODS):
            for status, answer in operation["responses"].items():
                answer = responses[answer["$ref"].rsplit("/", 1)[1]] if "$ref" in answer else answer
                body = answer.get("content", {}).get("application/json", {}).get("schema", {})
                # /health's 503 is its own `{"status": "unavailable"}` (the contract's health check).
                if int(status) >= 400 and body and path != "/health":
                    assert body == {"$ref": "#/components/schemas/Error"}, (method, path, status)
            if path.startswith("/v1/"):
                assert {"401", "403", "429", "503"} <= set(operation["responses"]), (method, path)


def test_the_shipped_json_copy_is_in_sync_with_the_yaml(document: dict[str, Any]) -> None:
    shipped = openapi_json.TARGET.read_text(encoding="utf-8")
    assert shipped == openapi_json.render(document), "chalicelib/openapi.json is stale: run `make openapi`"


def test_get_openapi_json_serves_the_document_for_this_issuer(client, document: dict[str, Any]) -> None:
    answer = client.http.get("/openapi.json")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    served = body_of(answer)
    assert served["servers"] == [{"url": "http://127.0.0.1:8000", "description": "This deployment."}]
    assert {k: v for k, v in served.items() if k != "servers"} == json.loads(
        json.dumps({k: v for k, v in document.items() if k != "servers"}))
