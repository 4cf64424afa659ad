"""Issuing, listing and revoking API keys: the dashboard API and /v1/api-keys."""

from __future__ import annotations

import json

from chalice.test import Client

from chalicelib.apikeys import keyformat
from chalicelib.store import db
from tests.conftest import Browser, body_of, make_account
from tests.keys import call, make_key

LISTING_FIELDS = {"id", "label", "scopes", "hint", "created_at", "created_by", "last_used_at",
                  "expires_at", "status"}


def test_create_shows_the_key_once_and_stores_only_its_digest(browser: Browser, account: object) -> None:
    created = make_key(browser, ["read", "write"], expires_in_days=30, rate_limit_per_minute=50)
    key = created["key"]
    assert keyformat.well_formed(key)
    assert created["scopes"] == ["read", "write"] and created["status"] == "active"
    assert created["hint"] == f"tfk_{key[4:8]}\u2026{key[-4:]}"
    assert created["expires_at"] == created["created_at"] + 30 * 86400
    assert created["rate_limit_per_minute"] == 50
    listed = body_of(browser.get("/account/api-keys"))["api_keys"]
    assert len(listed) == 1 and LISTING_FIELDS <= set(listed[0]) and "key" not in listed[0]
    assert listed[0]["created_by"] == account.user_id  # type: ignore[attr-defined]
    items = db.call("scan", TableName=db.table())["Items"]
    assert key not in json.dumps(items)
    assert any(i["pk"]["S"] == f"APIKEY#{keyformat.digest(key)}" for i in items)


def test_creation_and_revocation_are_audited_without_the_key(client: Client, browser: Browser) -> None:
    created = make_key(browser, ["read"])
    assert browser.delete(f"/account/api-keys/{created['id']}").status_code == 204
    items = db.call("scan", TableName=db.table())["Items"]
    events = [i for i in items if i["pk"]["S"].startswith("AUDIT#") and i["type"]["S"].startswith("api_key.")]
    assert sorted(e["type"]["S"] for e in events) == ["api_key.created", "api_key.revoked"]
    for event in events:
        assert event["object_id"]["S"] == created["id"]
        assert event["ip"]["S"] and "user_agent" in event
    assert created["key"] not in json.dumps(items)


def test_revocation_is_listed_and_repeatable(browser: Browser) -> None:
    created = make_key(browser, ["read"])
    assert browser.delete(f"/account/api-keys/{created['id']}").status_code == 204
    assert browser.delete(f"/account/api-keys/{created['id']}").status_code == 204
    listed = body_of(browser.get("/account/api-keys"))["api_keys"]
    assert listed[0]["status"] == "revoked" and listed[0]["revoked_at"]


def test_another_workspace_cannot_see_or_revoke_a_key(client: Client, browser: Browser) -> None:
    mine = make_key(browser, ["read"])
    other = Browser(client)
    other.login(make_account(client, "grace@example.com").email)
    assert body_of(other.get("/account/api-keys"))["api_keys"] == []
    answer = other.delete(f"/account/api-keys/{mine['id']}")
    assert answer.status_code == 404 and body_of(answer)["error"] == "not_found"
    assert call(client, "GET", "/v1/me", mine["key"]).status_code == 200


BAD_INPUT = [
    ({"scopes": ["read"]}, "'label' is required"),
    ({"label": "", "scopes": ["read"]}, "'label'"),
    ({"label": "   ", "scopes": ["read"]}, "blank"),
    ({"label": "x" * 101, "scopes": ["read"]}, "1 to 100"),
    ({"label": 7, "scopes": ["read"]}, "must be a string"),
    ({"label": "ok"}, "'scopes' is required"),
    ({"label": "ok", "scopes": []}, "at least one scope"),
    ({"label": "ok", "scopes": ["delete"]}, "Unknown scope"),
    ({"label": "ok", "scopes": [1]}, "list of strings"),
    ({"label": "ok", "scopes": ["read"], "expires_in_days": 0}, "between 1 and 3650"),
    ({"label": "ok", "scopes": ["read"], "expires_in_days": 3651}, "between 1 and 3650"),
    ({"label": "ok", "scopes": ["read"], "expires_in_days": True}, "whole number"),
    ({"label": "ok", "scopes": ["read"], "expires_in_days": 1.5}, "whole number"),
    ({"label": "ok", "scopes": ["read"], "rate_limit_per_minute": 10001}, "between 1 and 10000"),
    ({"label": "ok", "scopes": ["read"], "expires_in_day": 1}, "Unknown field"),
]


def test_bad_input_is_a_clear_400(browser: Browser) -> None:
    for body, message in BAD_INPUT:
        answer = browser.post("/account/api-keys", body)
        assert answer.status_code == 400, (body, answer.body)
        assert body_of(answer)["error"] == "invalid_request", body
        assert message in body_of(answer)["error_description"], body
    assert body_of(browser.get("/account/api-keys"))["api_keys"] == []


def test_malformed_bodies_are_400(browser: Browser) -> None:
    for raw in (b"{not json", b"[1, 2]", b"\xff\xfe", b'{"label": "' + b"x" * 70000 + b'"}'):
        answer = browser.request("POST", "/account/api-keys", raw=raw,
                                 headers={"Content-Type": "application/json"})
        assert answer.status_code == 400 and body_of(answer)["error"] == "invalid_request", raw[:20]


def test_unicode_label_and_form_post(browser: Browser) -> None:
    created = make_key(browser, ["read"], label="d\u00e9ploiement \U0001f680")
    assert created["label"] == "d\u00e9ploiement \U0001f680"
    form = f"label=ci&scopes=read+write&csrf_token={browser.csrf}".encode()
    answer = browser.request("POST", "/account/api-keys", raw=form,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 201 and body_of(answer)["scopes"] == ["read", "write"]


def test_dashboard_api_needs_a_session_and_csrf(client: Client, browser: Browser) -> None:
    anonymous = Browser(client)
    assert anonymous.get("/account/api-keys").status_code == 401
    assert anonymous.post("/account/api-keys", {"label": "x", "scopes": ["read"]}).status_code == 401
    token, browser.csrf = browser.csrf, None
    forged = browser.post("/account/api-keys", {"label": "x", "scopes": ["read"]})
    assert forged.status_code == 403 and body_of(forged)["error"] == "invalid_csrf_token"
    browser.csrf = "wrong"
    assert browser.delete("/account/api-keys/key_0000000000000000").status_code == 403
    browser.csrf = token
    assert body_of(browser.get("/account/api-keys"))["api_keys"] == []


def test_v1_api_keys_needs_admin(client: Client, browser: Browser) -> None:
    for scope in ("read", "write"):
        key = make_key(browser, [scope])["key"]
        for method, path in (("GET", "/v1/api-keys"), ("POST", "/v1/api-keys"),
                             ("DELETE", "/v1/api-keys/key_0000000000000000")):
            answer = call(client, method, path, key, {"label": "x", "scopes": ["read"]})
            assert answer.status_code == 403, (scope, method)
            assert body_of(answer)["error"] == "insufficient_scope"
            assert answer.headers["WWW-Authenticate"] == 'Bearer error="insufficient_scope", scope="admin"'


def test_v1_api_keys_with_an_admin_key(client: Client, browser: Browser) -> None:
    admin = make_key(browser, ["admin"])
    created = call(client, "POST", "/v1/api-keys", admin["key"], {"label": "bot", "scopes": ["read"]})
    assert created.status_code == 201
    new = body_of(created)
    assert new["created_by"] == admin["id"] and keyformat.well_formed(new["key"])
    listed = body_of(call(client, "GET", "/v1/api-keys", admin["key"]))["api_keys"]
    assert {k["id"] for k in listed} == {admin["id"], new["id"]}
    assert all("key" not in k for k in listed)
    assert call(client, "DELETE", f"/v1/api-keys/{new['id']}", admin["key"]).status_code == 204
    assert call(client, "GET", "/v1/me", new["key"]).status_code == 401
    assert call(client, "DELETE", "/v1/api-keys/key_nope", admin["key"]).status_code == 404
    bad = call(client, "POST", "/v1/api-keys", admin["key"], {"label": "x", "scopes": "root"})
    assert bad.status_code == 400


def test_admin_key_of_another_workspace_gets_404(client: Client, browser: Browser) -> None:
    mine = make_key(browser, ["read"])
    other = Browser(client)
    other.login(make_account(client, "grace@example.com").email)
    their_admin = make_key(other, ["admin"])["key"]
    answer = call(client, "DELETE", f"/v1/api-keys/{mine['id']}", their_admin)
    assert answer.status_code == 404
    listed = body_of(call(client, "GET", "/v1/api-keys", their_admin))["api_keys"]
    assert mine["id"] not in {k["id"] for k in listed}
