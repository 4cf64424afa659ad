"""Sign up -> sign in -> account -> sign out over HTTP against the real local stack."""

from __future__ import annotations

import uuid

import requests

from tests.e2e.conftest import Stack

PASSWORD = "correct horse battery staple"


def test_health_and_login_page(stack: Stack, http: requests.Session) -> None:
    assert http.get(f"{stack.url}/health").json() == {"status": "ok"}
    page = http.get(f"{stack.url}/login")
    assert page.status_code == 200
    assert 'name="email"' in page.text and "Sign in" in page.text


def test_signup_login_account_logout(stack: Stack, http: requests.Session) -> None:
    email = f"e2e-{uuid.uuid4().hex[:8]}@example.com"
    created = http.post(f"{stack.url}/signup",
                        json={"email": email, "password": PASSWORD, "workspace": "E2E"})
    assert created.status_code == 201
    login = http.post(f"{stack.url}/login", json={"email": email.upper(), "password": PASSWORD})
    assert login.status_code == 200 and login.json()["mfa_required"] is False
    csrf = login.json()["csrf_token"]
    assert "tf_session" in http.cookies
    account = http.get(f"{stack.url}/account")
    assert account.status_code == 200 and account.json()["email"] == email
    assert http.post(f"{stack.url}/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert http.get(f"{stack.url}/account").status_code == 401


def test_demo_user_can_sign_in(stack: Stack, http: requests.Session) -> None:
    login = http.post(f"{stack.url}/login",
                      json={"email": stack.demo_email, "password": stack.demo_password})
    assert login.status_code == 200


def test_stolen_cookie_is_dead_after_logout(stack: Stack, http: requests.Session) -> None:
    login = http.post(f"{stack.url}/login",
                      json={"email": stack.demo_email, "password": stack.demo_password})
    cookie = http.cookies["tf_session"]
    http.post(f"{stack.url}/logout", headers={"X-CSRF-Token": login.json()["csrf_token"]})
    replay = requests.get(f"{stack.url}/account", cookies={"tf_session": cookie})
    assert replay.status_code == 401
