"""OAuth access tokens on the Bearer API: /v1 through the authorizer, scopes, revocation, and
/v1/oauth-clients for admin-scoped credentials."""

from __future__ import annotations

import json
import time

import jwt
from chalice.test import Client

from chalicelib import authorizer, gateway_events
from chalicelib.oauth import signing_keys
from tests.conftest import Account, Browser, body_of
from tests.keys import assert_gateway_refusal, call, dynamodb_calls, make_key
from tests.oauth.conftest import REDIRECT, OAuthClient, claims_of, refresh, register, revoke, tokens_for


def test_me_describes_the_user_and_the_grant(client: Client, browser: Browser, account: Account,
                                             confidential: OAuthClient) -> None:
    issued = tokens_for(browser, confidential, scope="read write")
    me = body_of(call(client, "GET", "/v1/me", issued["access_token"]))
    assert me == {"principal_type": "user", "workspace_id": account.workspace_id, "scopes": ["read", "write"],
                  "credential_id": claims_of(issued["access_token"])["sid"], "user_id": account.user_id,
                  "client_id": confidential.client_id}


def test_scopes_of_the_token_are_enforced(client: Client, browser: Browser,
                                          confidential: OAuthClient) -> None:
    reader = tokens_for(browser, confidential, scope="read")["access_token"]
    writer = tokens_for(browser, confidential, scope="write")["access_token"]
    denied = call(client, "POST", "/v1/tasks", reader, {"title": "no"})
    assert denied.status_code == 403 and body_of(denied)["error"] == "insufficient_scope"
    created = call(client, "POST", "/v1/tasks", writer, {"title": "Written by an app"})
    assert created.status_code == 201
    listed = body_of(call(client, "GET", "/v1/tasks", reader))["tasks"]
    assert [t["title"] for t in listed] == ["Written by an app"]
    assert call(client, "GET", "/v1/oauth-clients", writer).status_code == 403


def test_rate_limit_headers_follow_the_grant(client: Client, browser: Browser,
                                             confidential: OAuthClient) -> None:
    first = tokens_for(browser, confidential)
    before = call(client, "GET", "/v1/me", first["access_token"])
    renewed = body_of(refresh(browser, confidential, first["refresh_token"]))
    after = call(client, "GET", "/v1/me", renewed["access_token"])
    remaining = [int(r.headers["X-RateLimit-Remaining"]) for r in (before, after)]
    assert remaining[1] == remaining[0] - 1  # one counter for the OAuth session, not per token


def test_refused_tokens_get_the_gateway_401(client: Client, browser: Browser,
                                            confidential: OAuthClient) -> None:
    issued = tokens_for(browser, confidential)
    keyset = signing_keys.current()
    expired = jwt.encode({**claims_of(issued["access_token"]), "exp": int(time.time()) - 120},
                         keyset.private_key, algorithm="ES256", headers={"typ": "at+jwt", "kid": keyset.kid})
    header, payload, _ = issued["access_token"].split(".")
    unsigned = jwt.encode(claims_of(issued["access_token"]), None, algorithm="none")
    for token in (expired, unsigned, f"{header}.{payload}.", f"{header}.{payload}.AAAA"):
        answer = call(client, "GET", "/v1/me", token)
        assert_gateway_refusal(answer.status_code, answer.headers, answer.body)
    assert revoke(browser, confidential, issued["refresh_token"]).status_code == 200
    answer = call(client, "GET", "/v1/me", issued["access_token"])
    assert_gateway_refusal(answer.status_code, answer.headers, answer.body)


def test_a_jwt_decision_costs_one_get_item(browser: Browser, confidential: OAuthClient) -> None:
    issued = tokens_for(browser, confidential)
    authorizer.authorize(f"Bearer {issued['access_token']}")  # a container's first JWT also reads the JWKS
    with dynamodb_calls() as calls:
        principal = authorizer.authorize(f"Bearer {issued['access_token']}")
    assert dict(calls) == {"GetItem": 1} and principal.principal_type == "user"


def test_gateway_authorizer_allows_access_tokens(browser: Browser, account: Account,
                                                 confidential: OAuthClient) -> None:
    issued = tokens_for(browser, confidential)
    answer = gateway_events.respond({"version": "2.0", "type": "REQUEST", "routeArn": "arn:x",
                                     "headers": {"authorization": f"Bearer {issued['access_token']}"}})
    assert answer["isAuthorized"] is True
    assert answer["context"]["principal_type"] == "user" and answer["context"]["user_id"] == account.user_id
    revoke(browser, confidential, issued["access_token"])
    again = gateway_events.respond({"version": "2.0", "type": "REQUEST", "routeArn": "arn:x",
                                    "headers": {"authorization": f"Bearer {issued['access_token']}"}})
    assert again == {"isAuthorized": False, "context": {}}


def test_v1_oauth_clients_with_an_admin_key(client: Client, browser: Browser, account: Account) -> None:
    admin = make_key(browser, ["admin"])["key"]
    created = call(client, "POST", "/v1/oauth-clients", admin,
                   {"name": "Deploy bot", "type": "confidential", "redirect_uris": [REDIRECT]})
    assert created.status_code == 201
    body = body_of(created)
    assert body["client_secret"].startswith("tfs_")
    listed = body_of(call(client, "GET", "/v1/oauth-clients", admin))["oauth_clients"]
    assert [c["client_id"] for c in listed] == [body["client_id"]] and "client_secret" not in listed[0]
    assert body_of(browser.get("/account/oauth-clients"))["oauth_clients"] == listed
    assert call(client, "DELETE", f"/v1/oauth-clients/{body['client_id']}", admin).status_code == 204
    assert call(client, "DELETE", f"/v1/oauth-clients/{body['client_id']}", admin).status_code == 404
    assert body_of(call(client, "GET", "/v1/oauth-clients", admin)) == {"oauth_clients": []}


def test_v1_oauth_clients_needs_admin(client: Client, browser: Browser) -> None:
    writer = make_key(browser, ["write"])["key"]
    for method, path in (("GET", "/v1/oauth-clients"), ("POST", "/v1/oauth-clients"),
                         ("DELETE", "/v1/oauth-clients/cli_x")):
        answer = call(client, method, path, writer, {} if method == "POST" else None)
        assert answer.status_code == 403
        assert answer.headers["WWW-Authenticate"] == 'Bearer error="insufficient_scope", scope="admin"'
    answer = call(client, "GET", "/v1/oauth-clients", None)
    assert_gateway_refusal(answer.status_code, answer.headers, answer.body)


def test_v1_oauth_clients_bad_bodies(client: Client, browser: Browser) -> None:
    admin = make_key(browser, ["admin"])["key"]
    for raw in (b"{", b"[]", json.dumps({"name": "x"}).encode(), b"\xff"):
        headers = {"Authorization": f"Bearer {admin}", "Content-Type": "application/json"}
        answer = client.http.post("/v1/oauth-clients", body=raw, headers=headers)
        assert answer.status_code == 400 and body_of(answer)["error"] == "invalid_request"


def test_an_admin_access_token_lists_clients_but_registers_none(client: Client, browser: Browser) -> None:
    """Issue 14, finding 6: what an app's token made would outlive the user's revocation."""
    owner_app = register(browser, scopes=["admin"])
    token = tokens_for(browser, owner_app, scope="admin")["access_token"]
    assert call(client, "GET", "/v1/oauth-clients", token).status_code == 200
    answer = call(client, "POST", "/v1/oauth-clients", token,
                  {"name": "Made by an app", "type": "public", "redirect_uris": [REDIRECT]})
    assert answer.status_code == 403 and body_of(answer)["error"] == "forbidden"


def test_introspection_of_real_api_keys(client: Client, browser: Browser, account: Account,
                                        confidential: OAuthClient) -> None:
    from tests.oauth.conftest import introspect

    created = make_key(browser, ["read", "write"], expires_in_days=7)
    info = body_of(introspect(browser, confidential, created["key"]))
    assert info["active"] is True and info["token_type"] == "api_key" and info["key_id"] == created["id"]
    assert info["scope"] == "read write" and info["exp"] == created["expires_at"]
    assert browser.delete(f"/account/api-keys/{created['id']}").status_code == 204
    assert body_of(introspect(browser, confidential, created["key"])) == {"active": False}


