"""POST /oauth/token, authorization_code grant: client authentication and every §5.2 error."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from chalicelib import audit, tokens
from chalicelib.credentials import REFRESH_TOKENS
from chalicelib.errors import Unauthenticated
from chalicelib.oauth import access_tokens, grants
from chalicelib.store import db
from tests.conftest import Account, Browser, body_of
from tests.faults import items
from tests.oauth.conftest import (
    REDIRECT,
    VERIFIER,
    OAuthClient,
    authorize_query,
    claims_of,
    consent,
    exchange,
    form_post,
    get_code,
    grant_of,
    redirect_params,
    refresh,
    register,
    token_request,
)


def _error(response: Any, status: int, error: str) -> dict[str, Any]:
    assert response.status_code == status, response.body
    body = dict(json.loads(response.body))
    assert body["error"] == error, body
    assert response.headers["Cache-Control"] == "no-store" and response.headers["Pragma"] == "no-cache"
    return body


@pytest.mark.parametrize("method", ["basic", "post"])
def test_confidential_client_gets_tokens(browser: Browser, account: Account, confidential: OAuthClient,
                                         method: str) -> None:
    response = exchange(browser, confidential, get_code(browser, confidential, scope="read write"), method)
    assert response.status_code == 200, response.body
    assert response.headers["Cache-Control"] == "no-store" and response.headers["Pragma"] == "no-cache"
    body = body_of(response)
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token", "scope"}
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600 and body["scope"] == "read write"
    assert REFRESH_TOKENS.well_formed(body["refresh_token"]) and len(body["refresh_token"]) == 42
    claims = claims_of(body["access_token"])
    assert claims["sub"] == account.user_id and claims["workspace_id"] == account.workspace_id
    assert claims["aud"] == "taskforge-api" and claims["iss"] == "http://127.0.0.1:8000"
    assert claims["client_id"] == confidential.client_id and claims["exp"] - claims["iat"] == 3600
    principal = access_tokens.verify(body["access_token"])
    assert principal.principal_type == "user" and principal.scopes == ("read", "write")
    assert principal.credential_id == claims["sid"]
    assert "oauth.grant_created" in [e["type"] for e in audit.events(account.workspace_id)["events"]]


def test_public_client_uses_none_and_pkce(browser: Browser, public_client: OAuthClient) -> None:
    response = exchange(browser, public_client, get_code(browser, public_client), "none")
    assert response.status_code == 200, response.body
    assert body_of(response)["refresh_token"].startswith("tfr_")


def test_codes_and_refresh_tokens_are_stored_as_digests(browser: Browser, confidential: OAuthClient) -> None:
    code = get_code(browser, confidential)
    body = body_of(exchange(browser, confidential, code))
    grant = db.get(f"GRANT#{grant_of(code)}", "GRANT") or {}
    assert grant["refresh_digest"] == tokens.digest(body["refresh_token"])
    assert grant["code_digest"] == tokens.digest(code)
    everything = json.dumps(items(""))
    assert body["refresh_token"] not in everything and code not in everything
    # The token's family leads to its grant; the family itself is stored nowhere.
    family = REFRESH_TOKENS.family(body["refresh_token"])
    assert grants.id_for_family(family) == grant["id"] and family not in everything


# --- client authentication (RFC 6749 §2.3, §5.2 invalid_client) ---

def test_unknown_client_with_basic_is_401_with_challenge(browser: Browser, confidential: OAuthClient) -> None:
    code = get_code(browser, confidential)
    stranger = OAuthClient("cli_unknown0000000", "tfs_" + "x" * 38, REDIRECT, [])
    body = _error(exchange(browser, stranger, code), 401, "invalid_client")
    assert body["error_description"]
    response = exchange(browser, stranger, code)
    assert response.headers["WWW-Authenticate"] == 'Basic realm="taskforge"'


def test_wrong_secret(browser: Browser, confidential: OAuthClient) -> None:
    code = get_code(browser, confidential)
    wrong = OAuthClient(confidential.client_id, "tfs_" + "x" * 38, REDIRECT, [])
    assert "WWW-Authenticate" in _error_response(exchange(browser, wrong, code, "basic"), 401)
    response = exchange(browser, wrong, code, "post")
    _error(response, 401, "invalid_client")
    assert "WWW-Authenticate" not in response.headers  # the client did not try Basic
    assert exchange(browser, confidential, code).status_code == 200  # the code was not burnt


def _error_response(response: Any, status: int) -> dict[str, str]:
    assert response.status_code == status
    return dict(response.headers)


@pytest.mark.parametrize("header", ["Basic !!!notbase64", "Basic " + base64.b64encode(b"no-colon").decode(),
                                    "Bearer abc", "Basic",
                                    "Basic " + base64.b64encode(b"\xff:\xfe").decode()])
def test_malformed_authorization_header(browser: Browser, confidential: OAuthClient, header: str) -> None:
    fields = {"grant_type": "authorization_code", "code": "x", "redirect_uri": REDIRECT}
    response = form_post(Browser(browser.client), "/oauth/token", fields, {"Authorization": header})
    _error(response, 401, "invalid_client")
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_two_authentication_methods_are_refused(browser: Browser, confidential: OAuthClient) -> None:
    code = get_code(browser, confidential)
    _error(exchange(browser, confidential, code, "basic", client_secret=confidential.secret), 400,
           "invalid_request")


def test_confidential_client_without_secret(browser: Browser, confidential: OAuthClient) -> None:
    _error(exchange(browser, confidential, get_code(browser, confidential), "none"), 401, "invalid_client")


def test_public_client_sending_a_secret(browser: Browser, public_client: OAuthClient) -> None:
    with_secret = OAuthClient(public_client.client_id, "tfs_" + "x" * 38, REDIRECT, [])
    _error(exchange(browser, with_secret, get_code(browser, public_client), "post"), 401, "invalid_client")


def test_no_client_authentication_at_all(browser: Browser, confidential: OAuthClient) -> None:
    fields = {"grant_type": "authorization_code", "code": get_code(browser, confidential),
              "redirect_uri": REDIRECT}
    _error(form_post(Browser(browser.client), "/oauth/token", fields), 401, "invalid_client")


# --- request errors (§5.2 invalid_request, unsupported_grant_type) ---

@pytest.mark.parametrize("fields, error", [
    ({}, "invalid_request"),
    ({"grant_type": ""}, "invalid_request"),
    ({"grant_type": "password", "username": "a", "password": "b"}, "unsupported_grant_type"),
    ({"grant_type": "client_credentials"}, "unauthorized_client"),  # supported, not registered for it
    ({"grant_type": "implicit"}, "unsupported_grant_type"),
    ({"grant_type": "authorization_code"}, "invalid_request"),               # no code
    ({"grant_type": "refresh_token"}, "invalid_request"),                    # no refresh_token
])
def test_request_errors(browser: Browser, confidential: OAuthClient, fields: dict, error: str) -> None:
    _error(token_request(browser, confidential, fields), 400, error)


def test_duplicated_parameters_are_refused(browser: Browser, confidential: OAuthClient) -> None:
    code = get_code(browser, confidential)
    fields = {"grant_type": "authorization_code", "code": [code, code], "redirect_uri": REDIRECT,
              "code_verifier": VERIFIER}
    body = _error(token_request(browser, confidential, fields), 400, "invalid_request")
    assert "code" in body["error_description"]
    assert exchange(browser, confidential, code).status_code == 200


@pytest.mark.parametrize("raw, content_type", [
    (b'{"grant_type": "authorization_code"}', "application/json"),
    (b"grant_type=authorization_code", "text/plain"),
    (b"\xff\xfe=\xfd", "application/x-www-form-urlencoded"),
    (b"grant_type=" + b"a" * 70000, "application/x-www-form-urlencoded"),
    (b"a=1&&&b", "application/x-www-form-urlencoded"),
])
def test_malformed_bodies(browser: Browser, raw: bytes, content_type: str) -> None:
    response = Browser(browser.client).request("POST", "/oauth/token", raw=raw,
                                               headers={"Content-Type": content_type})
    _error(response, 400, "invalid_request")


def test_form_with_charset_is_accepted(browser: Browser, confidential: OAuthClient) -> None:
    from urllib.parse import urlencode

    fields = {"grant_type": "authorization_code", "code": get_code(browser, confidential),
              "redirect_uri": REDIRECT, "code_verifier": VERIFIER}
    response = Browser(browser.client).request(
        "POST", "/oauth/token", raw=urlencode(fields).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
                 "Authorization": "basic  " + base64.b64encode(
                     f"{confidential.client_id}:{confidential.secret}".encode()).decode()})
    assert response.status_code == 200, response.body


# --- code binding errors (§5.2 invalid_grant) ---

def test_unknown_code(browser: Browser, confidential: OAuthClient) -> None:
    _error(exchange(browser, confidential, "not-a-real-code"), 400, "invalid_grant")
    _error(exchange(browser, confidential, "c" * 5000), 400, "invalid_request")


def test_wrong_redirect_uri_at_exchange(browser: Browser, confidential: OAuthClient) -> None:
    code = get_code(browser, confidential)
    _error(exchange(browser, confidential, code, redirect_uri=REDIRECT + "/other"), 400, "invalid_grant")
    _error(exchange(browser, confidential, code, redirect_uri=None), 400, "invalid_grant")
    assert exchange(browser, confidential, code).status_code == 200


def test_wrong_verifier(browser: Browser, confidential: OAuthClient) -> None:
    code = get_code(browser, confidential)
    _error(exchange(browser, confidential, code, code_verifier="w" * 43), 400, "invalid_grant")
    _error(exchange(browser, confidential, code, code_verifier=None), 400, "invalid_request")
    _error(exchange(browser, confidential, code, code_verifier="short"), 400, "invalid_request")
    _error(exchange(browser, confidential, code, code_verifier="ü" * 43), 400, "invalid_request")
    assert exchange(browser, confidential, code).status_code == 200


def test_verifier_without_challenge_is_refused(browser: Browser, confidential: OAuthClient) -> None:
    """RFC 9700 §4.8.2: a stripped challenge (PKCE downgrade) must not go unnoticed."""
    code = get_code(browser, confidential, code_challenge=None, code_challenge_method=None)
    body = _error(exchange(browser, confidential, code), 400, "invalid_grant")
    assert "code_challenge" in body["error_description"]
    assert exchange(browser, confidential, code, code_verifier=None).status_code == 200


def test_expired_code(browser: Browser, confidential: OAuthClient) -> None:
    code = get_code(browser, confidential)
    db.update(f"GRANT#{grant_of(code)}", "GRANT", "SET created_at = :past", vals={":past": 1000})
    _error(exchange(browser, confidential, code), 400, "invalid_grant")


def test_code_of_another_client(browser: Browser, confidential: OAuthClient) -> None:
    other = register(browser)
    code = get_code(browser, confidential)
    _error(exchange(browser, other, code), 400, "invalid_grant")
    assert exchange(browser, confidential, code).status_code == 200


def test_refresh_token_of_another_client(browser: Browser, confidential: OAuthClient) -> None:
    other = register(browser)
    issued = body_of(exchange(browser, confidential, get_code(browser, confidential)))
    _error(refresh(browser, other, issued["refresh_token"]), 400, "invalid_grant")
    assert refresh(browser, confidential, issued["refresh_token"]).status_code == 200


def test_client_without_refresh_grant(browser: Browser) -> None:
    short_lived = register(browser, grant_types=["authorization_code"])
    body = body_of(exchange(browser, short_lived, get_code(browser, short_lived)))
    assert "refresh_token" not in body and body["access_token"]
    _error(refresh(browser, short_lived, "tfr_" + "x" * 38), 400, "unauthorized_client")


# --- code replay (RFC 6749 §4.1.2, RFC 9700 §4.2.4) ---

def test_code_replay_is_refused_and_revokes_what_it_issued(browser: Browser, account: Account,
                                                           confidential: OAuthClient) -> None:
    code = get_code(browser, confidential)
    first = body_of(exchange(browser, confidential, code))
    access_tokens.verify(first["access_token"])
    body = _error(exchange(browser, confidential, code), 400, "invalid_grant")
    assert "already used" in body["error_description"]
    with pytest.raises(Unauthenticated):
        access_tokens.verify(first["access_token"])
    _error(refresh(browser, confidential, first["refresh_token"]), 400, "invalid_grant")
    types = [e["type"] for e in audit.events(account.workspace_id)["events"]]
    assert "oauth.code_replay_detected" in types and "oauth.grant_revoked" in types


def test_code_replay_after_expiry_still_revokes(browser: Browser, confidential: OAuthClient) -> None:
    code = get_code(browser, confidential)
    first = body_of(exchange(browser, confidential, code))
    db.update(f"GRANT#{grant_of(code)}", "GRANT", "SET created_at = :past", vals={":past": 1000})
    _error(exchange(browser, confidential, code), 400, "invalid_grant")
    with pytest.raises(Unauthenticated):
        access_tokens.verify(first["access_token"])


def test_code_is_bound_to_the_user_who_consented(browser: Browser, account: Account,
                                                 confidential: OAuthClient) -> None:
    params = redirect_params(consent(browser, authorize_query(confidential)))
    body = body_of(exchange(browser, confidential, params["code"]))
    assert claims_of(body["access_token"])["sub"] == account.user_id


def test_repeated_odd_parameter_names_are_not_echoed(browser: Browser, confidential: OAuthClient) -> None:
    fields = {"grant_type": "authorization_code", '"><x\u00e9': ["1", "2"]}
    body = _error(token_request(browser, confidential, fields), 400, "invalid_request")
    assert body["error_description"] == "A parameter was sent more than once."


ODD = {"lone_surrogate": "%ED%A0%80", "nul": "%00", "too_long": "x" * 101, "unicode": "%C3%A9" * 40,
       "dotted": "a.b", "empty": "", "token_shaped": "tfr_" + "0" * 38}


@pytest.mark.parametrize("value", list(ODD.values()), ids=list(ODD))
@pytest.mark.parametrize("field", ["code", "refresh_token"])
def test_odd_codes_and_refresh_tokens_are_clear_4xx_and_write_nothing(
        browser: Browser, public_client: OAuthClient, field: str, value: str) -> None:
    code = get_code(browser, public_client)
    before = items("GRANT#")
    grant_type = "authorization_code" if field == "code" else "refresh_token"
    form = (f"grant_type={grant_type}&client_id={public_client.client_id}&{field}={value}"
            f"&redirect_uri={REDIRECT}&code_verifier={VERIFIER}")
    answer = browser.client.http.post("/oauth/token", body=form.encode(),
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 400, answer.body
    assert body_of(answer)["error"] in ("invalid_request", "invalid_grant")
    assert value.encode() not in answer.body or value == ""
    assert items("GRANT#") == before  # the pending grant untouched
    assert exchange(browser, public_client, code, "none").status_code == 200
