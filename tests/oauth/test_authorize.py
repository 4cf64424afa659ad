"""GET/POST /oauth/authorize: fatal vs redirected errors, sign-in round trip, consent (RFC 6749 §4.1)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from chalicelib import tokens
from chalicelib.store import db
from tests.conftest import PASSWORD, Account, Browser, body_of
from tests.html import hidden_inputs
from tests.oauth.conftest import (
    CHALLENGE,
    REDIRECT,
    OAuthClient,
    authorize_query,
    consent,
    exchange,
    form_post,
    grant_of,
    redirect_params,
    register,
)


def _get(browser: Browser, query: dict[str, Any] | str) -> Any:
    encoded = query if isinstance(query, str) else urlencode(query, doseq=True)
    return browser.get("/oauth/authorize?" + encoded)


def _fatal(response: Any) -> str:
    """RFC 6749 §4.1.2.1: an HTML page, and never a redirect."""
    assert response.status_code == 400, response.body
    assert "Location" not in response.headers
    assert response.headers["Content-Type"].startswith("text/html")
    return str(response.body.decode())


def test_consent_page(browser: Browser, confidential: OAuthClient) -> None:
    page = _get(browser, authorize_query(confidential, scope="read write"))
    assert page.status_code == 200
    html = page.body.decode()
    assert "Test confidential app" in html
    assert "See your workspace&#39;s tasks and settings" in html and "Create, change and delete tasks" in html
    assert 'value="allow"' in html and ">Allow</button>" in html and ">Deny</button>" in html
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    fields = hidden_inputs(html)
    assert fields["csrf_token"] == browser.csrf
    assert fields["client_id"] == confidential.client_id and fields["scope"] == "read write"
    assert fields["state"] == "xyz 123/?&=" and fields["code_challenge"] == CHALLENGE


def test_allow_redirects_with_code_state_and_iss(browser: Browser, confidential: OAuthClient) -> None:
    response = consent(browser, authorize_query(confidential))
    assert response.status_code == 303
    assert response.headers["Location"].startswith(REDIRECT + "?")
    params = redirect_params(response)
    assert params["state"] == "xyz 123/?&=" and params["iss"] == "http://127.0.0.1:8000"
    assert len(params["code"]) >= 43  # 256 random bits
    grant_id = grant_of(params["code"])
    pending = db.get(f"GRANT#{grant_id}", "GRANT") or {}
    assert pending["code_digest"] == tokens.digest(params["code"])
    assert params["code"] not in json.dumps(pending)
    assert pending["client_id"] == confidential.client_id and "redeemed_at" not in pending
    # Pending: not an application with access yet.
    assert not [s for s in body_of(browser.get("/account/sessions"))["sessions"] if s["type"] == "oauth"
                and s["id"] == grant_id]


def test_deny_redirects_with_access_denied(browser: Browser, confidential: OAuthClient) -> None:
    params = redirect_params(consent(browser, authorize_query(confidential), decision="deny"))
    assert params["error"] == "access_denied" and params["state"] == "xyz 123/?&="
    assert params["iss"] == "http://127.0.0.1:8000" and "code" not in params


def test_not_signed_in_goes_to_login_and_back(client: Any, account: Account,
                                              confidential: OAuthClient) -> None:
    visitor = Browser(client)
    start = "/oauth/authorize?" + urlencode(authorize_query(confidential))
    first = visitor.get(start)
    assert first.status_code == 303
    login_url = first.headers["Location"]
    assert login_url.startswith("/login?next=")
    next_url = parse_qs(urlsplit(login_url).query)["next"][0]
    assert next_url.startswith("/oauth/authorize?")
    login_page = visitor.get(login_url)
    fields = hidden_inputs(login_page.body.decode())
    assert fields["next"] == next_url
    signed_in = form_post(visitor, "/login", {**fields, "email": account.email, "password": PASSWORD})
    assert signed_in.status_code == 303 and signed_in.headers["Location"] == next_url
    back = visitor.get(signed_in.headers["Location"])
    assert back.status_code == 200 and ">Allow</button>" in back.body.decode()
    assert parse_qs(urlsplit(next_url).query) == {k: [v] for k, v in authorize_query(confidential).items()}


@pytest.mark.parametrize("change", [
    {"client_id": None}, {"client_id": "cli_unknown0000000"}, {"client_id": "x" * 3000},
    {"redirect_uri": "https://evil.example.com/callback"},
    {"redirect_uri": REDIRECT + "/"},                       # exact string match (RFC 9700 §4.1.3)
    {"redirect_uri": REDIRECT.upper()},
    {"redirect_uri": REDIRECT + "?x=1"},
])
def test_untrusted_client_or_redirect_is_a_page(browser: Browser, confidential: OAuthClient,
                                                 change: dict[str, Any]) -> None:
    html = _fatal(_get(browser, authorize_query(confidential, **change)))
    assert "evil.example.com" not in html


def test_repeated_client_id_or_redirect_uri_is_fatal(browser: Browser, confidential: OAuthClient) -> None:
    for name, second in (("client_id", confidential.client_id), ("redirect_uri", REDIRECT)):
        query = urlencode(authorize_query(confidential)) + "&" + urlencode({name: second})
        _fatal(_get(browser, query))


def test_deleted_client_is_fatal(browser: Browser, confidential: OAuthClient) -> None:
    browser.delete(f"/account/oauth-clients/{confidential.client_id}")
    _fatal(_get(browser, authorize_query(confidential)))


def test_redirect_uri_may_be_omitted_only_with_one_registered(browser: Browser) -> None:
    single = register(browser)
    code = redirect_params(consent(browser, authorize_query(single, redirect_uri=None)))["code"]
    # RFC 6749 §4.1.3: not sent in the request, so not required at the exchange.
    assert exchange(browser, single, code, redirect_uri=None).status_code == 200
    several = register(browser, redirect_uris=[REDIRECT, "https://b.example.com/cb"])
    _fatal(_get(browser, authorize_query(several, redirect_uri=None)))


def _redirected_error(browser: Browser, query: dict[str, Any] | str) -> dict[str, str]:
    response = _get(browser, query)
    assert response.status_code == 303, response.body
    assert response.headers["Location"].startswith(REDIRECT + "?")
    params = redirect_params(response)
    assert params["iss"] == "http://127.0.0.1:8000"
    return params


@pytest.mark.parametrize("change, error", [
    ({"response_type": None}, "invalid_request"),
    ({"response_type": "token"}, "unsupported_response_type"),
    ({"response_type": "code id_token"}, "unsupported_response_type"),
    ({"scope": "admin"}, "invalid_scope"),                     # beyond the client's read+write
    ({"scope": "read root"}, "invalid_scope"),
    ({"scope": "read  write"}, "invalid_scope"),
    ({"scope": "read\u00e9"}, "invalid_scope"),
    ({"code_challenge_method": "plain"}, "invalid_request"),   # PKCE downgrade (RFC 9700 §2.1.1)
    ({"code_challenge_method": None}, "invalid_request"),      # defaults to plain (RFC 7636 §4.3)
    ({"code_challenge": None}, "invalid_request"),             # method without challenge
    ({"code_challenge": "short"}, "invalid_request"),
    ({"code_challenge": "!" * 43}, "invalid_request"),
])
def test_redirectable_errors(browser: Browser, confidential: OAuthClient, change: dict[str, Any],
                             error: str) -> None:
    params = _redirected_error(browser, authorize_query(confidential, **change))
    assert params["error"] == error and params["state"] == "xyz 123/?&="
    assert "code" not in params


def test_public_client_must_use_pkce(browser: Browser, public_client: OAuthClient) -> None:
    params = _redirected_error(browser, authorize_query(public_client, code_challenge=None,
                                                        code_challenge_method=None))
    assert params["error"] == "invalid_request" and "PKCE" in params["error_description"]


def test_confidential_client_may_skip_pkce(browser: Browser, confidential: OAuthClient) -> None:
    query = authorize_query(confidential, code_challenge=None, code_challenge_method=None)
    assert "code" in redirect_params(consent(browser, query))


@pytest.mark.parametrize("name", ["scope", "response_type", "code_challenge"])
def test_repeated_parameters_are_refused(browser: Browser, confidential: OAuthClient, name: str) -> None:
    query = authorize_query(confidential)
    query = urlencode(query) + "&" + urlencode({name: query[name]})
    params = _redirected_error(browser, query)
    assert params["error"] == "invalid_request" and name in params["error_description"]


def test_repeated_state_is_refused_without_echoing_it(browser: Browser, confidential: OAuthClient) -> None:
    params = _redirected_error(browser, urlencode(authorize_query(confidential)) + "&state=other")
    assert params["error"] == "invalid_request" and "state" not in params


def test_scope_defaults_to_the_clients(browser: Browser, confidential: OAuthClient) -> None:
    page = _get(browser, authorize_query(confidential, scope=None))
    assert hidden_inputs(page.body.decode())["scope"] == "read write"


def test_lower_scope_implied_by_a_registered_one(browser: Browser) -> None:
    writer = register(browser, scopes=["write"])
    page = _get(browser, authorize_query(writer, scope="read write"))
    assert page.status_code == 200


def test_unknown_parameters_are_ignored(browser: Browser, confidential: OAuthClient) -> None:
    assert _get(browser, authorize_query(confidential, prompt="consent", nonce="n")).status_code == 200


def test_redirect_uri_query_is_kept(browser: Browser) -> None:
    with_query = register(browser, redirect_uris=["https://app.example.com/cb?tenant=7"])
    response = consent(browser, authorize_query(with_query))
    location = response.headers["Location"]
    assert location.startswith("https://app.example.com/cb?tenant=7&code=")


def test_too_long_state_is_refused(browser: Browser, confidential: OAuthClient) -> None:
    params = _redirected_error(browser, authorize_query(confidential, state="s" * 1025))
    assert params["error"] == "invalid_request" and "state" not in params


def test_decision_needs_the_sessions_csrf_token(browser: Browser, confidential: OAuthClient) -> None:
    page = _get(browser, authorize_query(confidential))
    fields = hidden_inputs(page.body.decode())
    forged = form_post(browser, "/oauth/authorize", {**fields, "csrf_token": "forged", "decision": "allow"})
    assert forged.status_code == 403 and "Location" not in forged.headers
    missing = {k: v for k, v in fields.items() if k != "csrf_token"}
    assert form_post(browser, "/oauth/authorize", {**missing, "decision": "allow"}).status_code == 403


def test_decision_needs_a_session(client: Any, browser: Browser, confidential: OAuthClient) -> None:
    fields = hidden_inputs(_get(browser, authorize_query(confidential)).body.decode())
    stranger = Browser(client)
    response = form_post(stranger, "/oauth/authorize", {**fields, "decision": "allow"})
    assert response.status_code == 401 and "Location" not in response.headers


def test_tampered_consent_form_is_validated_again(browser: Browser, confidential: OAuthClient) -> None:
    fields = hidden_inputs(_get(browser, authorize_query(confidential)).body.decode())
    widened = form_post(browser, "/oauth/authorize", {**fields, "scope": "admin", "decision": "allow"})
    assert redirect_params(widened)["error"] == "invalid_scope"
    elsewhere = form_post(browser, "/oauth/authorize",
                          {**fields, "redirect_uri": "https://evil.example.com/", "decision": "allow"})
    _fatal(elsewhere)


@pytest.mark.parametrize("decision", [None, "maybe", ["allow", "allow"]])
def test_decision_must_be_allow_or_deny(browser: Browser, confidential: OAuthClient, decision: Any) -> None:
    fields: dict[str, Any] = hidden_inputs(_get(browser, authorize_query(confidential)).body.decode())
    if decision is not None:
        fields["decision"] = decision
    response = form_post(browser, "/oauth/authorize", fields)
    assert response.status_code == 400 and "Location" not in response.headers


def test_decision_with_bad_bodies(browser: Browser) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    assert browser.post("/oauth/authorize", raw=b"\xff\xfe", headers=headers).status_code == 400
    assert browser.post("/oauth/authorize", raw=b"a=" + b"x" * 70000, headers=headers).status_code == 400
    assert browser.post("/oauth/authorize", {"decision": "allow"}).status_code == 400  # JSON: not a form


def test_sign_in_with_two_factor_comes_back_to_consent(client: Any, browser: Browser, account: Account,
                                                       confidential: OAuthClient) -> None:
    from tests.twofactor.conftest import enrol, totp_code

    secret = enrol(browser, account).secret
    visitor = Browser(client)
    login_url = _get(visitor, authorize_query(confidential)).headers["Location"]
    fields = hidden_inputs(visitor.get(login_url).body.decode())
    password_step = form_post(visitor, "/login", {**fields, "email": account.email, "password": PASSWORD})
    assert password_step.status_code == 303 and password_step.headers["Location"] == "/login/2fa"
    second = hidden_inputs(visitor.get("/login/2fa").body.decode())
    done = form_post(visitor, "/login/2fa", {**second, "code": totp_code(secret, 1)})
    assert done.status_code == 303 and done.headers["Location"].startswith("/oauth/authorize?")
    consent_page = visitor.get(done.headers["Location"])
    assert consent_page.status_code == 200 and ">Allow</button>" in consent_page.body.decode()
