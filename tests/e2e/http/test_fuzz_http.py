"""Property-based fuzzing of every documented operation over HTTP (schemathesis against the
local stack): valid and invalid inputs, with real credentials, must never get a 5xx, and every
answer must conform to openapi.yaml (documented status, content type, headers and body schema).

Bounded and reproducible: a fixed seed, derandomized generation and a per-operation example
budget keep the whole run to a minute or two on two cores. Each operation gets a fresh sign-in,
so an example that signs out or revokes sessions cannot starve the operations after it.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.e2e.conftest import ROOT, Stack
from tests.e2e.http.test_apikeys_http import PASSWORD, sign_up_and_in

CONFIG = SchemathesisConfig.from_dict({
    "seed": 20240610,
    "generation": {"mode": "all", "max-examples": 12, "deterministic": True,
                   "with-security-parameters": False, "database": "none"},
    "phases": {"examples": {"enabled": False}, "coverage": {"enabled": True, "unexpected-methods": []},
               "fuzzing": {"enabled": True}, "stateful": {"enabled": False}},
})
schema = schemathesis.openapi.from_path(ROOT / "openapi.yaml", config=CONFIG)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


@dataclass
class Credentials:
    admin_key: str
    client_id: str
    client_secret: str


@pytest.fixture(scope="module")
def credentials(stack: Stack) -> Credentials:
    owner = sign_up_and_in(stack)
    key = owner.create_key(["admin"], rate_limit_per_minute=10000)["key"]
    created = owner.http.post(f"{stack.url}/account/oauth-clients", headers={"X-CSRF-Token": owner.csrf},
                              json={"name": "fuzz", "type": "confidential",
                                    "redirect_uris": ["https://fuzz.example.com/cb"], "scopes": ["write"]})
    assert created.status_code == 201, created.text
    return Credentials(key, created.json()["client_id"], created.json()["client_secret"])


@pytest.fixture(scope="module")
def fuzz_user(stack: Stack) -> str:
    email = f"fuzz-{uuid.uuid4().hex[:8]}@example.com"
    assert requests.post(f"{stack.url}/signup", json={"email": email, "password": PASSWORD,
                                                      "workspace": "Fuzz"}).status_code == 201
    return email


def auth_headers(case: Any, credentials: Credentials, csrf: str) -> dict[str, str]:
    schemes = {name for requirement in case.operation.definition.raw.get("security", [])
               for name in requirement}
    if "bearer" in schemes:
        return {"Authorization": f"Bearer {credentials.admin_key}"}
    if "clientBasic" in schemes:
        pair = f"{credentials.client_id}:{credentials.client_secret}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode()}
    if "csrf" in schemes:
        return {"X-CSRF-Token": csrf}
    return {}


@pytest.fixture
def browser(stack: Stack, fuzz_user: str) -> tuple[requests.Session, str]:
    """A fresh sign-in per operation (shared by that operation's examples, on purpose)."""
    session = requests.Session()
    login = session.post(f"{stack.url}/login", json={"email": fuzz_user, "password": PASSWORD})
    assert login.status_code == 200
    return session, login.json()["csrf_token"]


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_server_errors_and_answers_match_the_document(case: Any, stack: Stack, credentials: Credentials,
                                                          browser: tuple[requests.Session, str]) -> None:
    session, csrf = browser
    headers = {**(case.headers or {}), **auth_headers(case, credentials, csrf)}
    case.call_and_validate(base_url=stack.url, session=session, headers=headers, checks=CHECKS,
                           timeout=30, allow_redirects=False)
