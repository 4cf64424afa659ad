"""Email verification at sign-up, resending, the gate on keys and clients, and the outbox."""

from __future__ import annotations

import json

from tests import mailbox
from tests.conftest import PASSWORD, Browser, body_of, make_account

ISSUER = "http://127.0.0.1:8000"


def verify(client, token) -> object:
    return client.http.post("/verify-email", headers={"Content-Type": "application/json"},
                            body=json.dumps({"token": token}).encode())


def test_signup_emails_a_verification_link_and_keys_wait_for_it(client) -> None:
    account = make_account(client, "new@example.com", verified=False)
    [message] = mailbox.messages("new@example.com")
    assert message["subject"] == "Verify your email address for TaskForge"
    link = mailbox.link("new@example.com", "/verify-email")
    assert link.startswith(f"{ISSUER}/verify-email?token=")
    assert "Not you?" in message["text"] and "Verify my email address" in message["html"]
    assert PASSWORD not in message["text"] + message["html"]
    browser = Browser(client)
    assert browser.login(account.email).status_code == 200  # unverified accounts can sign in
    assert body_of(browser.get("/account"))["email_verified"] is False
    key = browser.post("/account/api-keys", {"label": "ci", "scopes": ["read"]})
    assert key.status_code == 403 and body_of(key)["error"] == "email_unverified"
    app = browser.post("/account/oauth-clients", {"name": "App", "type": "confidential",
                                                   "redirect_uris": ["https://app.example.com/cb"]})
    assert app.status_code == 403 and body_of(app)["error"] == "email_unverified"
    token = link.rsplit("=", 1)[1]
    assert verify(client, token).status_code == 204
    assert body_of(browser.get("/account"))["email_verified"] is True
    assert browser.post("/account/api-keys", {"label": "ci", "scopes": ["read"]}).status_code == 201
    again = verify(client, token)
    assert again.status_code == 400 and body_of(again)["error"] == "invalid_token"


def test_a_new_link_voids_the_older_ones(client) -> None:
    account = make_account(client, "again@example.com", verified=False)
    first = mailbox.token(account.email, "/verify-email")
    browser = Browser(client)
    browser.login(account.email)
    assert browser.post("/account/email-verification").status_code == 202
    second = mailbox.token(account.email, "/verify-email")
    assert second != first
    assert body_of(verify(client, first))["error"] == "invalid_token"
    assert body_of(browser.get("/account"))["email_verified"] is False
    assert verify(client, second).status_code == 204
    done = browser.post("/account/email-verification")
    assert done.status_code == 409 and body_of(done)["error"] == "email_already_verified"


def test_resending_is_throttled(client) -> None:
    account = make_account(client, "many@example.com", verified=False)
    browser = Browser(client)
    browser.login(account.email)
    answers = [browser.post("/account/email-verification").status_code for _ in range(6)]
    assert answers == [202] * 5 + [429]


def test_resend_refused_with_503_when_ses_refuses(client) -> None:
    from chalicelib.store import mail

    account = make_account(client, "nosend@example.com", verified=False)
    browser = Browser(client)
    browser.login(account.email)
    before = mailbox.token(account.email, "/verify-email")
    mail.client().delete_email_identity(EmailIdentity="no-reply@example.com")
    answer = browser.post("/account/email-verification")
    assert answer.status_code == 503 and body_of(answer)["error"] == "temporarily_unavailable"
    assert answer.headers["Retry-After"]
    assert mailbox.token(account.email, "/verify-email") == before


def test_signup_goes_ahead_when_ses_refuses_and_the_failure_is_audited(client) -> None:
    from chalicelib.store import mail

    mail.client().delete_email_identity(EmailIdentity="no-reply@example.com")
    account = make_account(client, "later@example.com", verified=False)
    browser = Browser(client)
    assert browser.login(account.email).status_code == 200
    events = body_of(browser.get("/account/audit-events"))["events"]
    failed = [e for e in events if e["type"] == "email.send_failed"]
    assert failed and failed[0]["details"]["template"] == "verify_email"
    assert mailbox.messages(account.email) == []


def test_the_outbox_route_is_404_unless_turned_on(client) -> None:
    answer = client.http.get("/_local/outbox?to=ada@example.com")
    assert answer.status_code == 404 and body_of(answer)["error"] == "not_found"


def test_verification_pages(client) -> None:
    account = make_account(client, "page@example.com", verified=False)
    token = mailbox.token(account.email, "/verify-email")
    page = client.http.get(f"/verify-email?token={token}")
    assert page.status_code == 200 and b"Verify my email address" in page.body
    assert page.headers["Referrer-Policy"] == "no-referrer"
    done = client.http.post("/verify-email", headers={"Content-Type": "application/x-www-form-urlencoded"},
                            body=f"token={token}".encode())
    assert done.status_code == 200 and b"Email verified" in done.body
    used = client.http.post("/verify-email", headers={"Content-Type": "application/x-www-form-urlencoded"},
                            body=f"token={token}".encode())
    assert used.status_code == 400 and b"not valid" in used.body
