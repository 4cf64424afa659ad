"""Security notices: which changes send one, what it says, and that a failure never blocks."""

from __future__ import annotations

from chalicelib.mailer import notices
from chalicelib.store import mail
from tests import mailbox
from tests.conftest import Browser, body_of
from tests.twofactor.conftest import enrol, totp_code


def subjects(email: str) -> list[str]:
    return [m["subject"] for m in mailbox.messages(email)]


def test_two_factor_on_and_off_and_a_new_key_send_notices(browser: Browser, account) -> None:
    enrolled = enrol(browser, account)
    assert subjects(account.email)[0] == "Two-factor authentication is on"
    assert browser.post("/account/2fa/disable", {"code": totp_code(enrolled.secret, 1)}).status_code == 204
    assert subjects(account.email)[0] == "Two-factor authentication is off"
    created = body_of(browser.post("/account/api-keys", {"label": "deploy bot", "scopes": ["write"]}))
    notice = mailbox.messages(account.email)[0]
    assert notice["subject"] == "A new TaskForge API key was created"
    assert "deploy bot" in notice["text"] and created["key"] not in notice["text"] + notice["html"]
    assert "Not you?" in notice["text"] and "/password-reset" in notice["text"]


def test_the_functions_other_features_call(account) -> None:
    assert notices.notify_user(account.user_id, "passkey_added", ip="203.0.113.9", name="YubiKey")
    assert subjects(account.email)[0] == "A passkey was added to your TaskForge account"
    assert notices.notify_workspace(account.workspace_id, "credential_leaked",
                                    url="https://github.com/example/repo/blob/main/.env")
    leaked = mailbox.messages(account.email)[0]
    assert leaked["subject"] == "A leaked TaskForge credential was revoked"
    assert "https://github.com/example/repo/blob/main/.env" in leaked["text"]
    assert notices.notify_user("usr_unknown", "passkey_removed") is False


def test_a_failed_notice_never_blocks_the_change_and_is_audited(client, browser: Browser, account) -> None:
    mail.client().delete_email_identity(EmailIdentity="no-reply@example.com")
    created = browser.post("/account/api-keys", {"label": "ci", "scopes": ["read"]})
    assert created.status_code == 201
    events = body_of(browser.get("/account/audit-events"))["events"]
    failed = next(e for e in events if e["type"] == "email.send_failed")
    assert failed["details"] == {"template": "notice", "notice": "api_key_created"}
