"""OpenID Connect Core 1.0: id_token, UserInfo, Discovery; an id_token is never an API credential."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import jwt

from tests.conftest import Account, Browser, body_of
from tests.oauth.conftest import OAuthClient, exchange, get_code, register, tokens_for

ISSUER = "http://127.0.0.1:8000"


def verify_id_token(browser: Browser, id_token: str, client_id: str) -> dict[str, Any]:
    jwks = body_of(browser.client.http.get("/.well-known/jwks.json"))
    header = jwt.get_unverified_header(id_token)
    key = next(jwt.PyJWK(k) for k in jwks["keys"] if k["kid"] == header["kid"])
    claims: dict[str, Any] = jwt.decode(id_token, key.key, algorithms=["ES256"], audience=client_id,
                                        issuer=ISSUER)
    return claims


def bearer(browser: Browser, token: str, path: str) -> Any:
    return browser.client.http.get(path, headers={"Authorization": f"Bearer {token}"})


def test_openid_email_adds_an_id_token(browser: Browser, account: Account,
                                       confidential: OAuthClient) -> None:
    code = get_code(browser, confidential, scope="openid email read", nonce="n-0S6_WzA2Mj")
    answer = body_of(exchange(browser, confidential, code))
    assert answer["scope"] == "openid email read"
    claims = verify_id_token(browser, answer["id_token"], confidential.client_id)
    assert claims["sub"] == account.user_id and claims["aud"] == confidential.client_id
    assert claims["nonce"] == "n-0S6_WzA2Mj" and claims["email"] == account.email
    assert isinstance(claims["email_verified"], bool)
    assert claims["exp"] > claims["iat"] and claims["auth_time"] <= claims["iat"]
    expected = base64.urlsafe_b64encode(hashlib.sha256(answer["access_token"].encode()).digest()[:16])
    assert claims["at_hash"] == expected.rstrip(b"=").decode()
    info = bearer(browser, answer["access_token"], "/oauth/userinfo")
    assert info.status_code == 200 and info.headers["Cache-Control"] == "no-store"
    assert body_of(info) == {"sub": account.user_id, "email": account.email,
                             "email_verified": claims["email_verified"]}
    # The id_token is not an API credential, nor a UserInfo credential.
    assert bearer(browser, answer["id_token"], "/v1/me").status_code == 401
    assert bearer(browser, answer["id_token"], "/oauth/userinfo").status_code == 401


def test_without_openid_no_id_token_and_no_userinfo(browser: Browser, confidential: OAuthClient) -> None:
    issued = tokens_for(browser, confidential, scope="read")
    assert "id_token" not in issued
    refused = bearer(browser, issued["access_token"], "/oauth/userinfo")
    assert refused.status_code == 403 and 'scope="openid"' in refused.headers["WWW-Authenticate"]


def test_openid_only_no_email_no_nonce(browser: Browser, account: Account) -> None:
    public = register(browser, "public")
    code = get_code(browser, public, scope="openid")
    answer = body_of(exchange(browser, public, code, method="none"))
    claims = verify_id_token(browser, answer["id_token"], public.client_id)
    assert "nonce" not in claims and "email" not in claims
    assert body_of(bearer(browser, answer["access_token"], "/oauth/userinfo")) == {"sub": account.user_id}
    assert bearer(browser, answer["access_token"], "/v1/me").status_code == 403  # no API scope


def test_userinfo_refusals(browser: Browser) -> None:
    assert browser.client.http.get("/oauth/userinfo").status_code == 401
    bad = bearer(browser, "a.b.c", "/oauth/userinfo")
    assert bad.status_code == 401 and 'error="invalid_token"' in bad.headers["WWW-Authenticate"]
    machine = register(browser, "confidential", grant_types=["client_credentials"])
    assert machine.secret
    import tests.oauth.conftest as oauth

    issued = oauth.token_request(browser, machine, {"grant_type": "client_credentials"})
    token = body_of(issued)["access_token"]
    assert bearer(browser, token, "/oauth/userinfo").status_code == 401


def test_client_credentials_cannot_get_openid(browser: Browser) -> None:
    import tests.oauth.conftest as oauth

    machine = register(browser, "confidential", grant_types=["client_credentials"])
    refused = oauth.token_request(browser, machine, {"grant_type": "client_credentials", "scope": "openid"})
    assert refused.status_code == 400 and body_of(refused)["error"] == "invalid_scope"


def test_consent_page_describes_identity_scopes(browser: Browser, confidential: OAuthClient) -> None:
    from urllib.parse import urlencode

    from tests.oauth.conftest import authorize_query

    page = browser.get("/oauth/authorize?" + urlencode(authorize_query(confidential, scope="openid email")))
    assert page.status_code == 200 and b"email address" in page.body and b"(openid)" in page.body


def test_discovery(browser: Browser) -> None:
    doc = body_of(browser.client.http.get("/.well-known/openid-configuration"))
    assert doc["issuer"] == ISSUER and doc["userinfo_endpoint"] == f"{ISSUER}/oauth/userinfo"
    assert doc["jwks_uri"] == f"{ISSUER}/.well-known/jwks.json"
    assert doc["id_token_signing_alg_values_supported"] == ["ES256"]
    assert {"openid", "email"} <= set(doc["scopes_supported"])
    assert doc["subject_types_supported"] == ["public"] and doc["response_types_supported"] == ["code"]
    assert "private_key_jwt" in doc["token_endpoint_auth_methods_supported"]
