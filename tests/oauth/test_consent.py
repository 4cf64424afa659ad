"""Remembered consent, prompt=consent and prompt=none (OIDC Core §3.1.2.1), and Active Sessions."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from tests.conftest import Browser, body_of
from tests.oauth.conftest import OAuthClient, authorize_query, consent, exchange, redirect_params, register


def authorize(browser: Browser, app: OAuthClient, **overrides: Any) -> Any:
    return browser.get("/oauth/authorize?" + urlencode(authorize_query(app, **overrides)))


def app_rows(browser: Browser) -> list[dict[str, Any]]:
    return [s for s in body_of(browser.get("/account/sessions"))["sessions"] if s["type"] == "oauth"]


def test_second_authorization_skips_the_page_and_keeps_one_row(browser: Browser,
                                                               confidential: OAuthClient) -> None:
    first = consent(browser, authorize_query(confidential, scope="read"))
    assert exchange(browser, confidential, redirect_params(first)["code"]).status_code == 200
    again = authorize(browser, confidential, scope="read")
    assert again.status_code == 303  # no consent page
    params = redirect_params(again)
    assert params["state"] == "xyz 123/?&="
    assert exchange(browser, confidential, params["code"]).status_code == 200
    rows = app_rows(browser)
    assert len(rows) == 1 and rows[0]["scopes"] == ["read"] and rows[0]["remembered"] is True


def test_wider_scope_asks_again_and_widens(browser: Browser, confidential: OAuthClient) -> None:
    consent(browser, authorize_query(confidential, scope="read"))
    wider = authorize(browser, confidential, scope="write")
    assert wider.status_code == 200 and b">Allow</button>" in wider.body
    consent(browser, authorize_query(confidential, scope="write"))
    assert authorize(browser, confidential, scope="read").status_code == 303  # write includes read
    assert authorize(browser, confidential, scope="write").status_code == 303


def test_prompt_consent_always_shows_the_page(browser: Browser, confidential: OAuthClient) -> None:
    consent(browser, authorize_query(confidential))
    page = authorize(browser, confidential, prompt="consent")
    assert page.status_code == 200 and b">Allow</button>" in page.body


def test_prompt_none(client: Any, browser: Browser, confidential: OAuthClient) -> None:
    needs_consent = redirect_params(authorize(browser, confidential, prompt="none"))
    assert needs_consent["error"] == "consent_required" and needs_consent["state"] == "xyz 123/?&="
    consent(browser, authorize_query(confidential))
    silent = redirect_params(authorize(browser, confidential, prompt="none"))
    assert "code" in silent and "error" not in silent
    stranger = Browser(client)
    not_signed_in = redirect_params(authorize(stranger, confidential, prompt="none"))
    assert not_signed_in["error"] == "login_required"
    mixed = redirect_params(authorize(browser, confidential, prompt="none consent"))
    assert mixed["error"] == "invalid_request"
    unknown = redirect_params(authorize(browser, confidential, prompt="bogus"))
    assert unknown["error"] == "invalid_request"


def test_denying_does_not_remember(browser: Browser, confidential: OAuthClient) -> None:
    denied = redirect_params(consent(browser, authorize_query(confidential), "deny"))
    assert denied["error"] == "access_denied"
    assert authorize(browser, confidential).status_code == 200


def test_revoking_the_app_forgets_the_consent(browser: Browser, confidential: OAuthClient) -> None:
    code = redirect_params(consent(browser, authorize_query(confidential)))["code"]
    issued = body_of(exchange(browser, confidential, code))
    (row,) = app_rows(browser)
    assert row["id"].startswith("grt_")
    assert browser.delete(f"/account/sessions/{row['id']}").status_code == 204
    assert app_rows(browser) == []
    assert authorize(browser, confidential).status_code == 200  # asks again
    me = browser.client.http.get("/v1/me", headers={"Authorization": f"Bearer {issued['access_token']}"})
    assert me.status_code == 401


def test_remembered_app_without_tokens_is_listed_and_forgettable(browser: Browser) -> None:
    app = register(browser)
    consent(browser, authorize_query(app))  # allowed, code never exchanged
    (row,) = app_rows(browser)
    assert row["id"].startswith("cns_") and row["client_name"] == "Test confidential app"
    assert browser.delete(f"/account/sessions/{row['id']}").status_code == 204
    assert app_rows(browser) == [] and authorize(browser, app).status_code == 200
    assert browser.delete(f"/account/sessions/{row['id']}").status_code == 404


def test_consents_are_per_user(client: Any, browser: Browser, confidential: OAuthClient) -> None:
    from tests.conftest import make_account

    consent(browser, authorize_query(confidential))
    other = Browser(client)
    other.login(make_account(client, "grace@example.com").email)
    assert authorize(other, confidential).status_code == 200
    (row,) = app_rows(browser)
    assert other.delete(f"/account/sessions/{row['id']}").status_code == 404


def test_settings_security_page_revokes_a_remembered_app(browser: Browser) -> None:
    from tests.oauth.conftest import form_post

    app = register(browser)
    consent(browser, authorize_query(app))
    page = browser.get("/settings/security").body.decode()
    assert "Test confidential app" in page
    (row,) = app_rows(browser)
    revoked = form_post(browser, f"/settings/security/sessions/{row['id']}/revoke",
                        {"csrf_token": browser.csrf})
    assert revoked.status_code == 303 and "grant_revoked" in revoked.headers["Location"]
    assert app_rows(browser) == [] and authorize(browser, app).status_code == 200
