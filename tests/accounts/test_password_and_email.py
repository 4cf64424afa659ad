"""Password change and reset, email change: what the user sees, and every bad token."""

from __future__ import annotations

import json

import pytest

from chalicelib import clock
from tests import mailbox
from tests.conftest import PASSWORD, Browser, body_of, make_account

NEW_PASSWORD = "a brand new passphrase 42"
JSON = {"Content-Type": "application/json"}


def post(client, path: str, body: object) -> object:
    return client.http.post(path, headers=JSON, body=json.dumps(body).encode())


def reset(client, token: str, password: str = NEW_PASSWORD) -> object:
    return post(client, "/password-reset/confirm", {"token": token, "new_password": password})


def change_email(browser: Browser, new_email: str, password: str = PASSWORD) -> object:
    return browser.post("/account/email", {"new_email": new_email, "password": password})


def signed_in(client, email: str, password: str = PASSWORD) -> Browser:
    browser = Browser(client)
    assert browser.login(email, password).status_code == 200
    return browser


def test_password_change_ends_other_sessions_and_emails_a_notice(client, account) -> None:
    here, elsewhere = signed_in(client, account.email), signed_in(client, account.email)
    wrong = here.post("/account/password",
                      {"current_password": "not it at all!", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 401 and body_of(wrong)["error"] == "invalid_credentials"
    weak = here.post("/account/password", {"current_password": PASSWORD, "new_password": "short"})
    assert weak.status_code == 400
    done = here.post("/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert done.status_code == 204
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 401
    assert Browser(client).login(account.email).status_code == 401
    assert signed_in(client, account.email, NEW_PASSWORD)
    notice = mailbox.messages(account.email)[0]
    assert notice["subject"] == "Your TaskForge password was changed"
    assert "Not you?" in notice["text"] and NEW_PASSWORD not in notice["text"] + notice["html"]


def test_password_reset_for_a_known_and_an_unknown_email_answer_alike(client, account) -> None:
    known = post(client, "/password-reset", {"email": account.email.upper()})
    unknown = post(client, "/password-reset", {"email": "nobody@example.com"})
    assert (known.status_code, known.body) == (unknown.status_code, unknown.body)
    assert known.status_code == 202
    assert mailbox.messages("nobody@example.com") == []
    message = mailbox.messages(account.email)[0]
    assert message["subject"] == "Reset your TaskForge password"
    assert "30 minutes" in message["text"]


def test_password_reset_ends_every_session_and_works_once(client, account) -> None:
    browser = signed_in(client, account.email)
    post(client, "/password-reset", {"email": account.email})
    token = mailbox.token(account.email, "/password-reset")
    assert reset(client, token).status_code == 204
    assert browser.get("/account").status_code == 401
    assert Browser(client).login(account.email).status_code == 401
    assert signed_in(client, account.email, NEW_PASSWORD)
    again = reset(client, token, "yet another passphrase")
    assert again.status_code == 400 and body_of(again)["error"] == "invalid_token"
    assert signed_in(client, account.email, NEW_PASSWORD)
    assert mailbox.messages(account.email)[0]["subject"] == "Your TaskForge password was reset"


def test_a_reset_link_expires_after_30_minutes(client, account, monkeypatch) -> None:
    post(client, "/password-reset", {"email": account.email})
    token = mailbox.token(account.email, "/password-reset")
    later = clock.now() + 30 * 60 + 1
    monkeypatch.setattr(clock, "now", lambda: later)
    expired = post(client, "/password-reset/confirm", {"token": token, "new_password": NEW_PASSWORD})
    assert expired.status_code == 400 and body_of(expired)["error"] == "invalid_token"
    monkeypatch.undo()
    assert signed_in(client, account.email, PASSWORD)


def test_reset_requests_are_throttled_per_email_known_or_not(client, account) -> None:
    for email in (account.email, "ghost@example.com"):
        answers = [post(client, "/password-reset", {"email": email}).status_code for _ in range(6)]
        assert answers == [202] * 5 + [429]


def test_two_factor_is_still_required_after_a_reset(client, browser, account) -> None:
    from tests.twofactor.conftest import enrol

    enrol(browser, account)
    post(client, "/password-reset", {"email": account.email})
    token = mailbox.token(account.email, "/password-reset")
    assert reset(client, token).status_code == 204
    answer = Browser(client).login(account.email, NEW_PASSWORD)
    assert answer.status_code == 200 and body_of(answer)["mfa_required"] is True
    assert "tf_session" not in answer.headers.get("Set-Cookie", "")


BAD_TOKENS = ["", "x", "A" * 43, "A" * 200, "\ud800" * 43, 12345, None, ["a"], {"a": 1},
              "../../etc/passwd", "é" * 43]


def _refusal(token: object) -> str:
    """A lone surrogate is not text at all: the body is refused as malformed before any token
    is read (routes/base.parse_json); every other bad token is an invalid one."""
    return "invalid_request" if isinstance(token, str) and "\ud800" in token else "invalid_token"


@pytest.mark.parametrize("token", BAD_TOKENS, ids=range(len(BAD_TOKENS)))
def test_every_bad_token_is_400_invalid_token_and_changes_nothing(client, account, token) -> None:
    browser = signed_in(client, account.email)
    for path, body in (("/password-reset/confirm", {"token": token, "new_password": NEW_PASSWORD}),
                       ("/verify-email", {"token": token})):
        answer = post(client, path, body)
        assert answer.status_code == 400 and body_of(answer)["error"] == _refusal(token), (path, answer.body)
    answer = browser.post("/account/email/confirm", {"token": token})
    assert answer.status_code == 400 and body_of(answer)["error"] == _refusal(token)
    assert signed_in(client, account.email, PASSWORD)


def test_a_token_for_another_purpose_or_user_is_invalid(client, account) -> None:
    other = make_account(client, "grace@example.com", verified=False)
    verify_token = mailbox.token(other.email, "/verify-email")
    answer = post(client, "/password-reset/confirm", {"token": verify_token, "new_password": NEW_PASSWORD})
    assert body_of(answer)["error"] == "invalid_token"
    grace = signed_in(client, other.email)
    assert change_email(grace, "grace.new@example.com").status_code == 202
    change = mailbox.token("grace.new@example.com", "/settings/account/confirm-email")
    ada = signed_in(client, account.email)
    stolen = ada.post("/account/email/confirm", {"token": change})
    assert stolen.status_code == 400 and body_of(stolen)["error"] == "invalid_token"
    assert body_of(ada.get("/account"))["email"] == account.email
    assert grace.post("/account/email/confirm", {"token": change}).status_code == 204


def test_email_change_confirms_from_the_new_address_and_tells_the_old(client, account) -> None:
    browser = signed_in(client, account.email)
    wrong = change_email(browser, "ada.new@example.com", "wrong password!")
    assert wrong.status_code == 401
    bad = browser.post("/account/email", {"new_email": "not an address", "password": PASSWORD})
    assert bad.status_code == 400
    assert change_email(browser, "Ada.New@example.com").status_code == 202
    assert body_of(browser.get("/account"))["email"] == account.email  # nothing changes yet
    notice = mailbox.messages(account.email)[0]
    assert "Ada.New@example.com" in notice["text"]
    link = mailbox.link("Ada.New@example.com", "/settings/account/confirm-email")
    token = link.rsplit("=", 1)[1]
    assert browser.post("/account/email/confirm", {"token": token}).status_code == 204
    summary = body_of(browser.get("/account"))
    assert summary["email"] == "Ada.New@example.com" and summary["email_verified"] is True
    header = browser.get("/settings/api").body.decode()
    assert '<span class="signed-in-as" title="Signed in as">Ada.New@example.com</span>' in header
    assert Browser(client).login(account.email).status_code == 401
    assert signed_in(client, "ada.new@example.com")
    subject = mailbox.messages(account.email)[0]["subject"]
    assert subject == "The email address of your TaskForge account was changed"
    events = body_of(browser.get("/account/audit-events"))["events"]
    changed = next(e for e in events if e["type"] == "email.changed")
    assert changed["details"] == {"old_email": account.email, "new_email": "Ada.New@example.com"}
    assert any(e["type"] == "email.change_requested" for e in events)
    assert body_of(browser.post("/account/email/confirm", {"token": token}))["error"] == "invalid_token"


def test_email_change_to_a_taken_address_is_409_at_confirmation(client, account) -> None:
    make_account(client, "taken@example.com")
    browser = signed_in(client, account.email)
    assert change_email(browser, "taken@example.com").status_code == 202
    token = mailbox.token("taken@example.com", "/settings/account/confirm-email")
    taken = browser.post("/account/email/confirm", {"token": token})
    assert taken.status_code == 409 and body_of(taken)["error"] == "email_taken"
    assert body_of(browser.get("/account"))["email"] == account.email
    assert signed_in(client, account.email)
