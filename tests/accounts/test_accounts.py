"""Sign-up, sign-in, sign-out and the account summary through chalice.test.Client."""

from __future__ import annotations

import json
import re

import pytest

from chalicelib.store import db, users
from tests.conftest import PASSWORD, Account, Browser, body_of, make_account


def signup(client, body, headers=None):
    sent = {"Content-Type": "application/json", **(headers or {})}
    return client.http.post("/signup", headers=sent, body=json.dumps(body).encode())


def test_signup_answers_ids_and_stores_only_a_hash(client):
    response = signup(client, {"email": "Grace@Example.com", "password": PASSWORD, "workspace": "Navy"})
    assert response.status_code == 201
    created = body_of(response)
    assert created["user_id"].startswith("usr_") and created["workspace_id"].startswith("ws_")
    stored = users.get(created["user_id"])
    assert stored["email"] == "Grace@Example.com"
    assert stored["password_hash"].startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in json.dumps(stored)


def test_taken_email_is_409_case_insensitively(client, account: Account):
    response = signup(client, {"email": account.email.upper(), "password": PASSWORD, "workspace": "x"})
    assert response.status_code == 409
    assert body_of(response)["error"] == "email_taken"


@pytest.mark.parametrize("password, message", [
    ("short-pass", "at least 12"),
    ("aaaaaaaaaaaaaaaa", "repeated"),
    ("qwertyuiop123456", "common"),
    ("Password1234!", "common"),
])
def test_weak_passwords_are_refused_with_a_reason(client, password, message):
    response = signup(client, {"email": "weak@example.com", "password": password, "workspace": "w"})
    assert response.status_code == 400
    assert message in body_of(response)["error_description"]
    assert users.get_by_email("weak@example.com") is None


def test_signup_can_be_turned_off(client, monkeypatch):
    monkeypatch.setenv("TASKFORGE_ALLOW_SIGNUP", "false")
    from chalicelib.settings import get_settings

    get_settings.cache_clear()
    assert get_settings().allow_signup is False  # read once, as a container would
    response = signup(client, {"email": "late@example.com", "password": PASSWORD, "workspace": "w"})
    get_settings.cache_clear()
    assert response.status_code == 403
    assert body_of(response)["error"] == "signup_disabled"


def test_login_sets_a_hardened_cookie_and_returns_csrf(client, account):
    response = client.http.post("/login", headers={"Content-Type": "application/json"},
                                body=json.dumps({"email": account.email, "password": PASSWORD}).encode())
    assert response.status_code == 200
    assert body_of(response)["mfa_required"] is False
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("tf_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http on loopback only


def test_unknown_email_and_wrong_password_get_the_same_answer(client, account):
    def attempt(email, password):
        return client.http.post("/login", headers={"Content-Type": "application/json"},
                                body=json.dumps({"email": email, "password": password}).encode())

    wrong = attempt(account.email, "not the right password")
    unknown = attempt("nobody@example.com", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.body == unknown.body
    assert body_of(wrong)["error"] == "invalid_credentials"
    assert "Set-Cookie" not in wrong.headers


def test_account_summary_and_logout_revokes_server_side(client, browser: Browser, account):
    summary = body_of(browser.get("/account"))
    assert summary == {"user_id": account.user_id, "email": account.email,
                       "workspace_id": account.workspace_id, "two_factor_enabled": False,
                       "email_verified": True, "csrf_token": browser.csrf}
    token = browser.cookies["tf_session"]
    assert browser.post("/logout").status_code == 204
    replay = client.http.get("/account", headers={"Cookie": f"tf_session={token}"})
    assert replay.status_code == 401


def test_logout_needs_the_csrf_token(browser: Browser):
    browser.csrf = None
    response = browser.post("/logout")
    assert response.status_code == 403
    assert body_of(response)["error"] == "invalid_csrf_token"
    assert browser.get("/account").status_code == 200


def test_wrong_csrf_token_is_refused(browser: Browser):
    response = browser.post("/logout", headers={"X-CSRF-Token": "x" * 43})
    assert response.status_code == 403


def test_idle_session_times_out(client, browser: Browser):
    session = db.query_all(f"USER#{body_of(browser.get('/account'))['user_id']}",
                           index=db.GSI1, sk_prefix="SESSION#")[0]
    db.update(session["pk"], "SESSION", "SET last_used_at = :old", vals={":old": 1})
    response = browser.get("/account")
    assert response.status_code == 401
    assert "timed out" in body_of(response)["error_description"]


def test_rehash_on_sign_in_when_parameters_change(client, account):
    from argon2 import PasswordHasher

    old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    users.set_fields(account.user_id, {"password_hash": old})
    Browser(client).login(account.email)
    assert users.get(account.user_id)["password_hash"].startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_form_login_uses_double_submit_token_and_redirects_to_next(client, account):
    page = client.http.get("/login?next=/settings/security")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.body.decode()).group(1)
    cookie = page.headers["Set-Cookie"].split(";")[0]
    password = PASSWORD.replace(" ", "+")
    form = f"csrf_token={token}&email={account.email}&password={password}&next=/settings/security"
    response = client.http.post("/login", body=form.encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    assert response.status_code == 303
    assert response.headers["Location"] == "/settings/security"


@pytest.mark.parametrize("target", ["https://evil.example.com/", "//evil.example.com", "/\\evil.example.com",
                                    "javascript:alert(1)", "/ok\r\nSet-Cookie: x=y"])
def test_form_login_never_redirects_off_site(client, account, target):
    page = client.http.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.body.decode()).group(1)
    cookie = page.headers["Set-Cookie"].split(";")[0]
    from urllib.parse import urlencode

    form = urlencode({"csrf_token": token, "email": account.email, "password": PASSWORD, "next": target})
    response = client.http.post("/login", body=form.encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    assert response.status_code == 303
    assert response.headers["Location"] == "/settings/api"


def test_form_login_without_pre_session_token_is_refused(client, account):
    form = f"email={account.email}&password=x"
    response = client.http.post("/login", body=form.encode(),
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 403
    assert "text/html" in response.headers["Content-Type"]


def test_second_account_gets_its_own_workspace(client, account):
    other = make_account(client, "bob@example.com")
    assert other.workspace_id != account.workspace_id


def _login(client, email, password):
    return client.http.post("/login", headers={"Content-Type": "application/json"},
                            body=json.dumps({"email": email, "password": password}).encode())


@pytest.mark.parametrize("known", [True, False])
def test_five_failures_lock_the_email_for_fifteen_minutes(client, account, known):
    email = account.email if known else "ghost@example.com"
    answers = [_login(client, email, "wrong password!").status_code for _ in range(5)]
    assert answers == [401] * 5
    locked = _login(client, email, PASSWORD)
    assert locked.status_code == 429
    assert body_of(locked)["error"] == "rate_limited"
    assert 0 < int(locked.headers["Retry-After"]) <= 900
    assert "Set-Cookie" not in locked.headers


def test_lockout_answer_is_the_same_for_known_and_unknown_emails(client, account):
    for email in (account.email, "ghost@example.com"):
        for _ in range(5):
            _login(client, email, "wrong password!")
    known, unknown = _login(client, account.email, "x"), _login(client, "ghost@example.com", "x")
    assert known.status_code == unknown.status_code == 429
    assert body_of(known) == body_of(unknown)


def test_per_ip_threshold_is_configurable(client, account, monkeypatch):
    from chalicelib.settings import get_settings

    monkeypatch.setenv("TASKFORGE_LOGIN_IP_LIMIT", "3")
    get_settings.cache_clear()
    get_settings()
    for index in range(3):
        assert _login(client, f"someone{index}@example.com", "wrong password!").status_code == 401
    blocked = _login(client, account.email, PASSWORD)
    get_settings.cache_clear()
    assert blocked.status_code == 429


def test_success_clears_the_email_counter_and_audits(client, account):
    for _ in range(4):
        _login(client, account.email, "wrong password!")
    assert _login(client, account.email, PASSWORD).status_code == 200
    for _ in range(4):
        assert _login(client, account.email, "wrong password!").status_code == 401
    from chalicelib import audit

    kinds = [event["type"] for event in audit.events(account.workspace_id)["events"]]
    assert kinds.count("signin.failed") == 8 and "signin.succeeded" in kinds
