"""The decision: Authorization parsing (RFC 7235 §2.1, RFC 6750 §2.1), its store cost, fail-closed."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chalicelib import authorizer, tokens
from chalicelib.apikeys import keyformat
from chalicelib.errors import StoreUnavailable, Unauthenticated
from chalicelib.store import apikeys as key_store
from chalicelib.store import db
from tests.conftest import Browser
from tests.keys import dynamodb_calls, make_key

# A fixed, well-formed key: parametrize ids must be the same in every process (pytest -n).
KEY = "tfk_Lq7vX2mN9pR4sT6wY8zA1bC3dE5fG7hJ" + tokens.checksum("tfk_Lq7vX2mN9pR4sT6wY8zA1bC3dE5fG7hJ")
ROOT_DIR = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("header", [
    f"Bearer {KEY}", f"bearer {KEY}", f"BEARER {KEY}", f"BeArEr    {KEY}", f"  Bearer {KEY}  ",
])
def test_scheme_is_case_insensitive_and_spaces_are_allowed(header: str) -> None:
    assert authorizer.bearer_token(header) == KEY


@pytest.mark.parametrize("header", [
    None, "", "   ", KEY, f"Basic {KEY}", f"Token {KEY}", "Bearer", "Bearer ", f"Bearer\t{KEY}",
    f"Bearer{KEY}", f"Bearer {KEY} extra", f"Bearer {KEY}\u00e9", "Bearer " + "a" * 8192,
    f"Bearer {KEY[:10]},{KEY[10:]}", "Bearer ====", "Bearer ab=cd",
])
def test_anything_else_is_refused(header: str | None) -> None:
    with pytest.raises(Unauthenticated) as refused:
        authorizer.bearer_token(header)
    assert refused.value.status == 401


def test_no_header_is_refused_without_an_invalid_token_error() -> None:
    """RFC 6750 §3.1: no credential sent -> no error code in the challenge."""
    with pytest.raises(Unauthenticated) as refused:
        authorizer.bearer_token(None)
    assert refused.value.headers["WWW-Authenticate"] == 'Bearer realm="taskforge"'


def test_a_live_key_costs_exactly_one_get_item(browser: Browser) -> None:
    created = make_key(browser, ["write"], rate_limit_per_minute=120)
    with dynamodb_calls() as calls:
        principal = authorizer.authorize(f"Bearer {created['key']}")
    assert calls["GetItem"] == 1 and set(calls) <= {"GetItem", "UpdateItem"}
    assert principal.credential_id == created["id"] and principal.scopes == ("write",)
    assert principal.context()["rate_limit_per_minute"] == "120"
    with dynamodb_calls() as calls:
        for _ in range(5):
            authorizer.authorize(f"Bearer {created['key']}")
    assert dict(calls) == {"GetItem": 5}  # last_used_at was written a moment ago: no more writes


def test_last_used_at_is_written_at_most_once_a_minute(browser: Browser) -> None:
    created = make_key(browser, ["read"])
    digest = keyformat.digest(created["key"])
    assert key_store.get(digest).get("last_used_at") is None  # type: ignore[union-attr]
    authorizer.authorize(f"Bearer {created['key']}")
    first = key_store.get(digest)["last_used_at"]  # type: ignore[index]
    key_store.touch(digest, first + 30)
    assert key_store.get(digest)["last_used_at"] == first  # type: ignore[index]
    key_store.touch(digest, first + 61)
    assert key_store.get(digest)["last_used_at"] == first + 61  # type: ignore[index]


@pytest.mark.parametrize("credential", [
    "tfk_short", KEY[:-1] + ("A" if KEY[-1] != "A" else "B"), "eyJhbGciOiJFUzI1NiJ9.e30.sig",
    "tfr_" + KEY[4:],
])
def test_malformed_or_foreign_credentials_cost_no_read(aws: None, credential: str) -> None:
    with dynamodb_calls() as calls, pytest.raises(Unauthenticated):
        authorizer.decide(credential)
    assert not calls


def test_never_issued_well_formed_key_is_refused_after_one_read(aws: None) -> None:
    with dynamodb_calls() as calls, pytest.raises(Unauthenticated):
        authorizer.decide(keyformat.new_key())
    assert dict(calls) == {"GetItem": 1}


def test_store_failure_is_never_an_allow(browser: Browser) -> None:
    created = make_key(browser, ["admin"])
    db.call("delete_table", TableName=db.table())
    with pytest.raises(StoreUnavailable):
        authorizer.authorize(f"Bearer {created['key']}")


def test_authorizer_import_path_is_light() -> None:
    """jinja2, segno, argon2 and boto3 stay off the path Lambda loads for both authorizers."""
    heavy = ("jinja2", "segno", "argon2", "boto3", "app")
    code = ("import sys, chalicelib.routes.gate; "
            f"print(','.join(m for m in {heavy!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=ROOT_DIR, capture_output=True,
                            text=True, check=True).stdout.strip()
    assert loaded == ""


# As on Lambda, where the runtime's botocore finds no pyOpenSSL (the dev venv has it, and
# botocore would load cryptography through it): make that optional import fail here too.
NO_PYOPENSSL = "import sys; sys.modules['urllib3.contrib.pyopenssl'] = None; "


def _loaded_after(statement: str, modules: tuple[str, ...]) -> list[str]:
    code = (NO_PYOPENSSL + statement + "; "
            f"print(','.join(m for m in {modules!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT_DIR, capture_output=True, text=True,
                         check=True, env={**os.environ, "AWS_LAMBDA_FUNCTION_NAME": "authorizer",
                                          # Nothing listens there: the GetItem fails at once.
                                          "AWS_ENDPOINT_URL": "http://127.0.0.1:9"})
    return [m for m in out.stdout.strip().split(",") if m]


def test_deployed_authorizer_handlers_name_the_light_module() -> None:
    from app import app

    (bearer,) = app.builtin_auth_handlers
    (gateway,) = app.pure_lambda_functions
    assert bearer.handler_string == "chalicelib.authorizer_handlers.bearer"
    assert gateway.handler_string == "chalicelib.authorizer_handlers.gateway_authorizer"


def test_api_key_decision_loads_no_chalice_pyjwt_or_cryptography() -> None:
    """The handler module and a whole API-key decision: botocore, hashlib, json and ours only."""
    heavy = ("chalice", "chalice.app", "jwt", "cryptography", "app", "jinja2", "argon2", "boto3")
    assert _loaded_after("import chalicelib.authorizer_handlers", heavy) == []
    decide_key = f"import chalicelib.authorizer as a\ntry: a.decide({KEY!r})\nexcept Exception: pass"
    assert _loaded_after(decide_key, heavy) == []
    # A JWT-shaped credential is what brings PyJWT in, and only then.
    header = base64.urlsafe_b64encode(b'{"alg":"ES256","typ":"at+jwt","kid":"k"}').decode().rstrip("=")
    decide_jwt = (f"import chalicelib.authorizer as a\ntry: a.decide('{header}.e30.c2ln')\n"
                  "except Exception: pass")
    loaded = _loaded_after(decide_jwt, ("jwt", "chalice"))
    assert loaded == ["jwt"]


def test_the_api_handler_loads_no_pyjwt_or_cryptography_until_a_token_is_issued() -> None:
    assert _loaded_after("import app", ("jwt", "cryptography", "jinja2", "argon2", "segno")) == []
