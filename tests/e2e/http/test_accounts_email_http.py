"""Accounts and email over HTTP against `make run`'s stack: every email is read back from
the local outbox (SES on the moto server) and its link followed as a person would."""

from __future__ import annotations

import uuid

import requests

from tests.e2e import steps
from tests.e2e.conftest import Stack

PASSWORD = steps.PASSWORD
NEW_PASSWORD = "an entirely new passphrase 7"


def fresh_email(kind: str) -> str:
    return f"{kind}-{uuid.uuid4().hex[:10]}@example.com"


def sign_up(stack: Stack, email: str) -> None:
    answer = requests.post(f"{stack.url}/signup", json={"email": email, "password": PASSWORD,
                                                         "workspace": "E2E accounts"}, timeout=10)
    assert answer.status_code == 201, answer.text


def sign_in(stack: Stack, email: str, password: str = PASSWORD) -> tuple[requests.Session, str]:
    session = requests.Session()
    answer = session.post(f"{stack.url}/login", json={"email": email, "password": password}, timeout=10)
    assert answer.status_code == 200, answer.text
    return session, str(answer.json()["csrf_token"])


def token_of(link: str) -> str:
    return link.rsplit("token=", 1)[1]


def test_the_demo_account_is_verified_and_can_create_a_key(stack: Stack) -> None:
    session, csrf = sign_in(stack, stack.demo_email, stack.demo_password)
    assert session.get(f"{stack.url}/account").json()["email_verified"] is True
    created = session.post(f"{stack.url}/account/api-keys", headers={"X-CSRF-Token": csrf},
                           json={"label": "quickstart", "scopes": ["read"]})
    assert created.status_code == 201


def test_sign_up_verify_from_the_outbox_then_create_a_key(stack: Stack) -> None:
    email = fresh_email("verify")
    sign_up(stack, email)
    [message] = steps.outbox(stack.url, email)
    assert message["subject"] == "Verify your email address for TaskForge" and message["sent_at"] > 0
    session, csrf = sign_in(stack, email)
    refused = session.post(f"{stack.url}/account/api-keys", headers={"X-CSRF-Token": csrf},
                           json={"label": "ci", "scopes": ["read"]})
    assert refused.status_code == 403 and refused.json()["error"] == "email_unverified"
    link = steps.emailed_link(stack.url, email, "/verify-email")
    page = requests.get(link, timeout=10)  # what the email's link opens: a page with a button
    assert page.status_code == 200 and "Verify my email address" in page.text
    confirmed = requests.post(f"{stack.url}/verify-email", data={"token": token_of(link)}, timeout=10)
    assert confirmed.status_code == 200 and "Email verified" in confirmed.text
    assert session.get(f"{stack.url}/account").json()["email_verified"] is True
    created = session.post(f"{stack.url}/account/api-keys", headers={"X-CSRF-Token": csrf},
                           json={"label": "ci", "scopes": ["read"]})
    assert created.status_code == 201
    notice = steps.outbox(stack.url, email)[0]
    assert notice["subject"] == "A new TaskForge API key was created"
    assert created.json()["key"] not in notice["text"]


def test_forgotten_password_reset_through_the_emailed_link(stack: Stack) -> None:
    email = fresh_email("reset")
    sign_up(stack, email)
    old_session, _ = sign_in(stack, email)
    unknown = requests.post(f"{stack.url}/password-reset", json={"email": fresh_email("nobody")}, timeout=10)
    known = requests.post(f"{stack.url}/password-reset", json={"email": email}, timeout=10)
    assert known.status_code == unknown.status_code == 202 and known.content == unknown.content
    link = steps.emailed_link(stack.url, email, "/password-reset")
    assert "Choose a new password" in requests.get(link, timeout=10).text
    done = requests.post(f"{stack.url}/password-reset/confirm",
                         json={"token": token_of(link), "new_password": NEW_PASSWORD}, timeout=10)
    assert done.status_code == 204
    assert old_session.get(f"{stack.url}/account").status_code == 401
    refused = requests.post(f"{stack.url}/login", json={"email": email, "password": PASSWORD}, timeout=10)
    assert refused.status_code == 401
    sign_in(stack, email, NEW_PASSWORD)
    replay = requests.post(f"{stack.url}/password-reset/confirm",
                           json={"token": token_of(link), "new_password": "and yet another one 99"},
                           timeout=10)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_token"
    assert steps.outbox(stack.url, email)[0]["subject"] == "Your TaskForge password was reset"


def test_password_change_and_email_change(stack: Stack) -> None:
    email, new_email = fresh_email("change"), fresh_email("changed")
    sign_up(stack, email)
    steps.verify_email(stack.url, email)
    session, csrf = sign_in(stack, email)
    other, _ = sign_in(stack, email)
    changed = session.post(f"{stack.url}/account/password", headers={"X-CSRF-Token": csrf},
                           json={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert changed.status_code == 204
    assert other.get(f"{stack.url}/account").status_code == 401
    assert session.get(f"{stack.url}/account").status_code == 200
    asked = session.post(f"{stack.url}/account/email", headers={"X-CSRF-Token": csrf},
                         json={"new_email": new_email, "password": NEW_PASSWORD})
    assert asked.status_code == 202
    assert new_email in steps.outbox(stack.url, email)[0]["text"]  # the notice to the old address
    link = steps.emailed_link(stack.url, new_email, "/settings/account/confirm-email")
    confirmed = session.post(f"{stack.url}/account/email/confirm", headers={"X-CSRF-Token": csrf},
                             json={"token": token_of(link)})
    assert confirmed.status_code == 204
    assert session.get(f"{stack.url}/account").json()["email"] == new_email
    sign_in(stack, new_email, NEW_PASSWORD)


def test_account_deletion_ends_the_key_at_once(stack: Stack) -> None:
    email = fresh_email("delete")
    sign_up(stack, email)
    steps.verify_email(stack.url, email)
    session, csrf = sign_in(stack, email)
    key = session.post(f"{stack.url}/account/api-keys", headers={"X-CSRF-Token": csrf},
                       json={"label": "ci", "scopes": ["read"]}).json()["key"]
    assert requests.get(f"{stack.url}/v1/me", headers={"Authorization": f"Bearer {key}"}, timeout=10).ok
    deleted = session.delete(f"{stack.url}/account", headers={"X-CSRF-Token": csrf},
                             json={"password": PASSWORD})
    assert deleted.status_code == 204
    answer = requests.get(f"{stack.url}/v1/me", headers={"Authorization": f"Bearer {key}"}, timeout=10)
    assert answer.status_code == 401
    assert requests.post(f"{stack.url}/login", json={"email": email, "password": PASSWORD},
                         timeout=10).status_code == 401
    assert steps.outbox(stack.url, email)[0]["subject"] == "Your TaskForge account was deleted"
