"""The schemathesis run of tests/e2e/test_fuzz_http.py with hostile strings (issue 14, finding 1):
every string a generated case carries (body fields, query and path parameters) is replaced by one
of lone surrogates, NUL bytes, deep nesting, unicode or oversized text. No operation may answer 5xx.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig

from tests.e2e.conftest import ROOT, Stack
from tests.e2e.http.test_fuzz_http import Credentials, auth_headers
from tests.e2e.http.test_fuzz_http import browser as browser  # noqa: F401 - fixture
from tests.e2e.http.test_fuzz_http import credentials as credentials  # noqa: F401 - fixture
from tests.e2e.http.test_fuzz_http import fuzz_user as fuzz_user  # noqa: F401 - fixture

HOSTILE: list[Any] = ["\ud800", "a\udfffb", "nul\x00byte", "\x00", "é/../%2e%2e", "🔐" * 300,
                      "x" * 5000, "[" * 200, "\u202eevil", [[[[[[[["deep"]]]]]]]]]
# A URL cannot carry a lone surrogate (the client refuses to encode it); the hand-written
# tests send percent-encoded ones (%ED%A0%80) byte for byte.
PATH_SAFE = [h for h in HOSTILE if isinstance(h, str) and len(h) < 1000 and h.isprintable()
             and not any(0xD800 <= ord(c) <= 0xDFFF for c in h)] + ["a\x00b"]

CONFIG = SchemathesisConfig.from_dict({
    "seed": 20261201,
    "generation": {"mode": "positive", "max-examples": 6, "deterministic": True,
                   "with-security-parameters": False, "database": "none"},
    "phases": {"examples": {"enabled": False}, "coverage": {"enabled": False},
               "fuzzing": {"enabled": True}, "stateful": {"enabled": False}},
})
schema = schemathesis.openapi.from_path(ROOT / "openapi.yaml", config=CONFIG)


def _poison(value: Any, hostile: Any) -> Any:
    if isinstance(value, str):
        return hostile
    if isinstance(value, dict):
        return {k: _poison(v, hostile) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v, hostile) for v in value] or [hostile]
    return value


@schema.hook
def flatmap_body(context: Any, body: Any) -> Any:
    return st.sampled_from(HOSTILE).map(lambda hostile: _poison(body, hostile))


@schema.hook
def flatmap_query(context: Any, query: Any) -> Any:
    return st.sampled_from(PATH_SAFE).map(lambda hostile: _poison(query, hostile))


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: Any) -> Any:
    return st.sampled_from(PATH_SAFE).map(lambda hostile: _poison(path_parameters, hostile))


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much])
def test_hostile_strings_never_get_a_server_error(case: Any, stack: Stack, credentials: Credentials,  # noqa: F811
                                                  browser: Any) -> None:  # noqa: F811
    session, csrf = browser
    headers = {**(case.headers or {}), **auth_headers(case, credentials, csrf)}
    try:
        case.call_and_validate(base_url=stack.url, session=session, headers=headers,
                               checks=[not_a_server_error], timeout=30, allow_redirects=False)
    except UnicodeEncodeError:
        return  # a form body cannot carry a lone surrogate either: nothing was sent
