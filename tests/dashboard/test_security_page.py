"""Settings → Security → Active Sessions as HTML: revoke one session or all others with
plain form posts, each effective on the revoked browser's very next request."""

from __future__ import annotations

import re

from chalice.test import Client

from tests.conftest import PASSWORD, Account, Browser, make_account
from tests.dashboard.pages import get, submit, well_formed

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


def other_device(client: Client, account: Account, agent: str = FIREFOX) -> Browser:
    device = Browser(client)
    answer = device.request("POST", "/login", {"email": account.email, "password": PASSWORD},
                            headers={"User-Agent": agent})
    assert answer.status_code == 200
    return device


def session_ids(html: str) -> list[str]:
    return re.findall(r'action="/settings/security/sessions/(ses_[0-9A-Za-z]+)/revoke"', html)


def test_active_sessions_list_devices_with_this_device_marked(client: Client, account: Account,
                                                              browser: Browser) -> None:
    other_device(client, account)
    page = well_formed(get(browser, "/settings/security"))
    assert page.status == 200 and page.current_nav == ["Security"]
    assert "Active Sessions" in page.text and "Firefox on Windows" in page.text
    assert page.text.count("This device") == 1
    assert len(session_ids(page.html)) == 1  # no Revoke button for this device
    assert "Revoke" in page.buttons and "Sign out everywhere else" in page.buttons
    assert "Enable Two-Factor Authentication" in page.buttons


def test_revoke_one_session_with_a_form(client: Client, account: Account, browser: Browser) -> None:
    other = other_device(client, account)
    page = get(browser, "/settings/security")
    [target] = session_ids(page.html)
    done = submit(browser, f"/settings/security/sessions/{target}/revoke", {"csrf_token": page.csrf})
    assert done.status == 303
    assert done.headers["Location"] == "/settings/security?notice=session_revoked#active-sessions"
    assert other.get("/account").status_code == 401
    after = get(browser, "/settings/security?notice=session_revoked")
    assert "Session revoked" in after.text and "Firefox on Windows" not in after.text
    assert "Sign out everywhere else" not in after.buttons

    gone = submit(browser, f"/settings/security/sessions/{target}/revoke", {"csrf_token": page.csrf})
    assert gone.status == 404 and "No such session" in gone.text and "Active Sessions" in gone.text


def test_sign_out_everywhere_else_with_a_form(client: Client, account: Account, browser: Browser) -> None:
    others = [other_device(client, account, f"agent-{i}") for i in range(2)]
    page = get(browser, "/settings/security")
    assert "Ends the 2 other browser sessions above" in page.text
    done = submit(browser, "/settings/security/sessions/revoke-others", {"csrf_token": page.csrf})
    assert done.status == 303 and "notice=others_revoked" in done.headers["Location"]
    assert all(o.get("/account").status_code == 401 for o in others)
    assert browser.get("/account").status_code == 200


def test_session_forms_refuse_bad_requests(client: Client, account: Account, browser: Browser) -> None:
    other = other_device(client, account)
    page = get(browser, "/settings/security")
    [target] = session_ids(page.html)
    revoke = f"/settings/security/sessions/{target}/revoke"
    for fields in ({}, {"csrf_token": "wrong"}, {"csrf_token": page.csrf + "x"}):
        refused = submit(browser, revoke, fields)
        assert refused.status == 403 and "Not allowed" in refused.text
    assert submit(browser, revoke, {}, raw=b"csrf_token").status == 400
    assert submit(browser, revoke, {"csrf_token": page.csrf}, content_type="text/plain").status == 400
    assert submit(Browser(client), revoke, {"csrf_token": page.csrf}).headers["Location"] == \
        "/login?next=/settings/security"
    assert other.get("/account").status_code == 200  # none of these revoked anything

    intruder = Browser(client)
    intruder.login(make_account(client, "mallory@example.com").email)
    csrf = get(intruder, "/settings/security").csrf
    assert submit(intruder, revoke, {"csrf_token": csrf}).status == 404
    for bad_id in ("ses_nope", "x" * 500, "%F0%9F%9A%80"):
        answer = submit(browser, f"/settings/security/sessions/{bad_id}/revoke", {"csrf_token": page.csrf})
        assert answer.status == 404, bad_id
    assert other.get("/account").status_code == 200


def test_security_notices_come_only_from_our_own_messages(browser: Browser) -> None:
    page = get(browser, "/settings/security?notice=Call%20us%20at%20555")
    assert page.status == 200 and "555" not in page.html
