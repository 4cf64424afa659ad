"""POST /oauth/revoke (RFC 7009)."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest

from chalicelib.errors import Unauthenticated
from chalicelib.oauth import access_tokens, signing_keys
from tests.conftest import Browser, body_of
from tests.oauth.conftest import OAuthClient, claims_of, form_post, refresh, register, revoke, tokens_for


def test_revoking_a_refresh_token_ends_the_grant(browser: Browser, confidential: OAuthClient) -> None:
    issued = tokens_for(browser, confidential)
    response = revoke(browser, confidential, issued["refresh_token"], token_type_hint="refresh_token")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert body_of(refresh(browser, confidential, issued["refresh_token"]))["error"] == "invalid_grant"
    with pytest.raises(Unauthenticated):
        access_tokens.verify(issued["access_token"])  # §2.1: its access tokens go too


def test_revoking_an_access_token_ends_only_that_token(browser: Browser, confidential: OAuthClient) -> None:
    issued = tokens_for(browser, confidential)
    assert revoke(browser, confidential, issued["access_token"], "post").status_code == 200
    with pytest.raises(Unauthenticated):
        access_tokens.verify(issued["access_token"])
    renewed = body_of(refresh(browser, confidential, issued["refresh_token"]))
    sid = claims_of(issued["access_token"])["sid"]
    assert access_tokens.verify(renewed["access_token"]).credential_id == sid


def test_public_client_revokes_with_its_id(browser: Browser, public_client: OAuthClient) -> None:
    issued = tokens_for(browser, public_client, method="none")
    assert revoke(browser, public_client, issued["refresh_token"], "none").status_code == 200
    again = refresh(browser, public_client, issued["refresh_token"], "none")
    assert body_of(again)["error"] == "invalid_grant"


@pytest.mark.parametrize("token", ["tfr_" + "A" * 38, "garbage", "a.b.c", "x" * 4096])
def test_unknown_tokens_get_200(browser: Browser, confidential: OAuthClient, token: str) -> None:
    response = revoke(browser, confidential, token)
    assert response.status_code == 200 and response.body in (b"", "")


def test_expired_access_token_gets_200(browser: Browser, confidential: OAuthClient) -> None:
    issued = tokens_for(browser, confidential)
    keyset = signing_keys.current()
    expired = jwt.encode({**claims_of(issued["access_token"]), "exp": int(time.time()) - 3600},
                         keyset.private_key, algorithm="ES256", headers={"typ": "at+jwt", "kid": keyset.kid})
    assert revoke(browser, confidential, expired).status_code == 200
    assert access_tokens.verify(issued["access_token"])


def test_an_invalid_hint_is_ignored(browser: Browser, confidential: OAuthClient) -> None:
    issued = tokens_for(browser, confidential)
    response = revoke(browser, confidential, issued["refresh_token"], token_type_hint="access_token")
    assert response.status_code == 200
    assert revoke(browser, confidential, issued["access_token"], token_type_hint="banana").status_code == 200
    assert body_of(refresh(browser, confidential, issued["refresh_token"]))["error"] == "invalid_grant"


def test_another_clients_token_is_refused_and_kept(browser: Browser, confidential: OAuthClient) -> None:
    other = register(browser)
    issued = tokens_for(browser, confidential)
    for token in (issued["refresh_token"], issued["access_token"]):
        response = revoke(browser, other, token)
        assert response.status_code == 400 and body_of(response)["error"] == "invalid_grant"
    assert access_tokens.verify(issued["access_token"])
    assert refresh(browser, confidential, issued["refresh_token"]).status_code == 200


def test_api_keys_are_not_revoked_here(browser: Browser, confidential: OAuthClient) -> None:
    response = revoke(browser, confidential, "tfk_" + "A" * 38)
    assert response.status_code == 400 and body_of(response)["error"] == "unsupported_token_type"


def test_client_must_authenticate(browser: Browser, confidential: OAuthClient) -> None:
    issued = tokens_for(browser, confidential)
    response = form_post(Browser(browser.client), "/oauth/revoke", {"token": issued["refresh_token"]})
    assert response.status_code == 401 and body_of(response)["error"] == "invalid_client"
    wrong = OAuthClient(confidential.client_id, "tfs_" + "x" * 38, confidential.redirect_uri, [])
    assert revoke(browser, wrong, issued["refresh_token"]).status_code == 401
    assert refresh(browser, confidential, issued["refresh_token"]).status_code == 200


@pytest.mark.parametrize("fields", [{}, {"token": ""}, {"token": ["a", "b"]}])
def test_missing_or_repeated_token(browser: Browser, confidential: OAuthClient,
                                   fields: dict[str, Any]) -> None:
    from tests.oauth.conftest import token_request

    response = token_request(browser, confidential, fields, path="/oauth/revoke")
    assert response.status_code == 400 and body_of(response)["error"] == "invalid_request"


def test_json_body_is_refused(browser: Browser) -> None:
    response = Browser(browser.client).post("/oauth/revoke", {"token": "x"})
    assert response.status_code == 400 and body_of(response)["error"] == "invalid_request"
