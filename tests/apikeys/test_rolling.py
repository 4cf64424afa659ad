"""Rolling a key: the new key works at once, the old one until its chosen expiry."""

from __future__ import annotations

from chalicelib.apikeys import keyformat
from chalicelib.store import db
from tests.conftest import Browser, body_of
from tests.keys import call, make_key


def roll(browser: Browser, key_id: str, expires_in: str = "24h"):
    return browser.post(f"/account/api-keys/{key_id}/roll", {"expires_in": expires_in})


def test_roll_keeps_the_old_key_until_its_expiry(client, browser: Browser):
    old = make_key(browser, ["read"], rate_limit_per_minute=77)
    answer = roll(browser, old["id"], "1h")
    assert answer.status_code == 201
    new = body_of(answer)
    assert new["key"] != old["key"] and new["scopes"] == ["read"] and new["label"] == old["label"]
    assert new["rate_limit_per_minute"] == 77 and new["rolled_from"] == old["id"]
    assert new["previous_key_expires_at"] - new["created_at"] == 3600
    assert call(client, "GET", "/v1/me", new["key"]).status_code == 200
    assert call(client, "GET", "/v1/me", old["key"]).status_code == 200
    # Time passes: the old key's expiry is reached.
    db.update(f"APIKEY#{keyformat.digest(old['key'])}", "KEY", "SET expires_at = :past", vals={":past": 1})
    assert call(client, "GET", "/v1/me", old["key"]).status_code == 401
    assert call(client, "GET", "/v1/me", new["key"]).status_code == 200
    listed = {k["id"]: k for k in body_of(browser.get("/account/api-keys"))["api_keys"]}
    assert listed[old["id"]]["rolled_to"] == new["id"] and listed[old["id"]]["status"] == "expired"
    events = [e["type"] for e in body_of(browser.get("/account/audit-events"))["events"]]
    assert "api_key.rolled" in events


def test_roll_now_refuses_the_old_key_at_once(client, browser: Browser):
    old = make_key(browser, ["read"])
    new = body_of(roll(browser, old["id"], "now"))
    assert call(client, "GET", "/v1/me", old["key"]).status_code == 401
    assert call(client, "GET", "/v1/me", new["key"]).status_code == 200


def test_a_key_rolls_once_and_revoked_keys_do_not_roll(client, browser: Browser):
    old = make_key(browser, ["read"])
    assert roll(browser, old["id"]).status_code == 201
    assert roll(browser, old["id"]).status_code == 404
    revoked = make_key(browser, ["read"])
    assert browser.delete(f"/account/api-keys/{revoked['id']}").status_code == 204
    assert roll(browser, revoked["id"]).status_code == 404


def test_roll_bad_input(client, browser: Browser):
    key = make_key(browser, ["read"])
    for bad in ("2h", 5, ["1h"], "1H", "७d"):
        answer = browser.post(f"/account/api-keys/{key['id']}/roll", {"expires_in": bad})
        assert answer.status_code == 400
    assert browser.post(f"/account/api-keys/{key['id']}/roll", raw=b"{oops",
                        headers={"Content-Type": "application/json"}).status_code == 400
    assert browser.post(f"/account/api-keys/{key['id']}/roll", {}).status_code == 201  # default 24h
    assert roll(browser, "key_doesnotexist00").status_code == 404
    assert roll(browser, "../../etc").status_code in (403, 404)  # no such route at the gateway


def test_roll_needs_csrf_and_admin(client, browser: Browser):
    key = make_key(browser, ["read"])
    browser.csrf = None
    assert roll(browser, key["id"]).status_code == 403
    answer = call(client, "POST", f"/v1/api-keys/{key['id']}/roll", key["key"], {"expires_in": "now"})
    assert answer.status_code == 403
    assert 'scope="admin"' in answer.headers["WWW-Authenticate"]


def test_v1_roll_with_an_admin_key(client, browser: Browser):
    admin = make_key(browser, ["admin"])
    target = make_key(browser, ["write"])
    answer = call(client, "POST", f"/v1/api-keys/{target['id']}/roll", admin["key"], {"expires_in": "7d"})
    assert answer.status_code == 201
    assert body_of(answer)["scopes"] == ["write"]
