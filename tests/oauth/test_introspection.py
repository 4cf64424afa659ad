"""POST /oauth/introspect (RFC 7662): access tokens, refresh tokens and API keys."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib import tokens
from chalicelib.store import db
from tests.conftest import Account, Browser, body_of, make_account
from tests.keys import make_key
from tests.oauth.conftest import OAuthClient, claims_of, form_post, introspect, refresh, register, tokens_for


def _active(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.body
    assert response.headers["Cache-Control"] == "no-store"
    return dict(body_of(response))


def test_access_token(browser: Browser, account: Account, confidential: OAuthClient) -> None:
    issued = tokens_for(browser, confidential, scope="read write")
    info = _active(introspect(browser, confidential, issued["access_token"]))
    claims = claims_of(issued["access_token"])
    assert info["active"] is True and info["scope"] == "read write" and info["token_type"] == "Bearer"
    assert info["client_id"] == confidential.client_id and info["sub"] == account.user_id
    assert info["exp"] == claims["exp"] and info["iat"] == claims["iat"] and info["jti"] == claims["jti"]
    assert info["iss"] == "http://127.0.0.1:8000" and info["aud"] == "taskforge-api"
    assert info["workspace_id"] == account.workspace_id


def test_refresh_token_and_its_rotation(browser: Browser, confidential: OAuthClient) -> None:
    issued = tokens_for(browser, confidential)
    info = _active(introspect(browser, confidential, issued["refresh_token"], "post"))
    assert info["active"] is True and info["token_type"] == "refresh_token" and info["scope"] == "read"
    renewed = body_of(refresh(browser, confidential, issued["refresh_token"]))
    assert _active(introspect(browser, confidential, issued["refresh_token"])) == {"active": False}
    assert _active(introspect(browser, confidential, renewed["refresh_token"]))["active"] is True


def test_revoked_tokens_are_inactive(browser: Browser, confidential: OAuthClient) -> None:
    from tests.oauth.conftest import revoke

    issued = tokens_for(browser, confidential)
    revoke(browser, confidential, issued["refresh_token"])
    assert _active(introspect(browser, confidential, issued["access_token"])) == {"active": False}
    assert _active(introspect(browser, confidential, issued["refresh_token"])) == {"active": False}


@pytest.mark.parametrize("token", ["garbage", "tfr_" + "A" * 38, "tfk_" + "A" * 38, "a.b.c", "x" * 4096])
def test_unknown_tokens_are_exactly_inactive(browser: Browser, confidential: OAuthClient, token: str) -> None:
    assert _active(introspect(browser, confidential, token)) == {"active": False}


def test_another_workspace_sees_nothing(client: Any, browser: Browser, confidential: OAuthClient) -> None:
    issued = tokens_for(browser, confidential)
    stranger = Browser(client)
    stranger.login(make_account(client, "grace@example.com").email)
    foreign = register(stranger)
    for token in (issued["access_token"], issued["refresh_token"]):
        assert _active(introspect(stranger, foreign, token)) == {"active": False}


def test_same_workspace_resource_server_may_introspect(browser: Browser, confidential: OAuthClient) -> None:
    resource_server = register(browser)
    issued = tokens_for(browser, confidential)
    assert _active(introspect(browser, resource_server, issued["access_token"]))["active"] is True


def test_api_keys(client: Any, browser: Browser, confidential: OAuthClient) -> None:
    live_key = make_key(browser, ["read", "write"])
    live = _active(introspect(browser, confidential, live_key["key"]))
    assert live["active"] is True and live["token_type"] == "api_key" and live["scope"] == "read write"
    assert live["workspace_id"] == live_key_workspace(browser) and "exp" not in live
    expiring = make_key(browser, ["read"], expires_in_days=1)
    assert _active(introspect(browser, confidential, expiring["key"]))["exp"] == expiring["expires_at"]
    db.update(f"APIKEY#{tokens.digest(expiring['key'])}", "KEY", "SET expires_at = :past",
              vals={":past": 1000})
    assert _active(introspect(browser, confidential, expiring["key"])) == {"active": False}
    stranger = Browser(client)
    stranger.login(make_account(client, "grace@example.com").email)
    foreign = make_key(stranger, ["read"])
    assert _active(introspect(browser, confidential, foreign["key"])) == {"active": False}


def live_key_workspace(browser: Browser) -> str:
    return str(body_of(browser.get("/account"))["workspace_id"])


def test_public_clients_and_strangers_may_not_ask(browser: Browser, confidential: OAuthClient,
                                                  public_client: OAuthClient) -> None:
    issued = tokens_for(browser, confidential)
    response = introspect(browser, public_client, issued["access_token"], "none")
    assert response.status_code == 401 and body_of(response)["error"] == "invalid_client"
    anonymous = form_post(Browser(browser.client), "/oauth/introspect", {"token": issued["access_token"]})
    assert anonymous.status_code == 401


def test_missing_token(browser: Browser, confidential: OAuthClient) -> None:
    from tests.oauth.conftest import token_request

    response = token_request(browser, confidential, {}, path="/oauth/introspect")
    assert response.status_code == 400 and body_of(response)["error"] == "invalid_request"
