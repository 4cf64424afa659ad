"""The HTML side: /login/2fa and Settings → Security, driven by plain form posts (no JavaScript)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urlencode

from chalice.test import Client

from tests.conftest import PASSWORD, Account, Browser, make_account
from tests.html import csrf_field
from tests.twofactor.conftest import Enrolled, password_step, totp_code, wrong_code

FORM = "application/x-www-form-urlencoded"


class Inputs(HTMLParser):
    """Collects labels, inputs and anything that would break CSP default-src 'self'."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: set[str] = set()
        self.inputs: dict[str, str] = {}  # id -> name, visible inputs only
        self.unlabelled: list[str] = []
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "label" and a.get("for"):
            self.labels.add(str(a["for"]))
        if tag == "input" and a.get("type") != "hidden":
            if a.get("id"):
                self.inputs[str(a["id"])] = str(a.get("name"))
            else:
                self.unlabelled.append(str(a.get("name")))
        if tag == "style" or (tag == "script" and "src" not in a) or "style" in a:
            self.inline.append(tag)
        if any(name.startswith("on") for name in a):
            self.inline.append(f"{tag} event handler")


def check_page(html: str) -> Inputs:
    parsed = Inputs()
    parsed.feed(html)
    assert not parsed.unlabelled, parsed.unlabelled
    assert set(parsed.inputs) <= parsed.labels, "every input has a label"
    assert not parsed.inline, "no inline scripts or styles (CSP default-src 'self')"
    return parsed


def form_post(browser: Browser, path: str, fields: dict[str, str]) -> Any:
    """A plain HTML form post: fields in the body, no X-CSRF-Token header."""
    browser.csrf = None
    return browser.post(path, raw=urlencode(fields).encode(), headers={"Content-Type": FORM})


def page(browser: Browser, path: str) -> str:
    answer = browser.get(path)
    assert answer.status_code == 200
    assert "default-src 'self'" in answer.headers["Content-Security-Policy"]
    return str(answer.body.decode())


def test_security_page_needs_sign_in(client: Client) -> None:
    answer = Browser(client).get("/settings/security")
    assert answer.status_code == 303 and answer.headers["Location"] == "/login?next=/settings/security"


def test_enrol_disable_and_regenerate_with_forms(client: Client, browser: Browser) -> None:
    html = page(browser, "/settings/security")
    check_page(html)
    assert "Enable Two-Factor Authentication" in html and 'action="/account/2fa/totp"' in html
    csrf = csrf_field(html)

    started = form_post(browser, "/account/2fa/totp", {"csrf_token": csrf})
    assert started.status_code == 303 and started.headers["Location"] == "/settings/security"
    html = page(browser, "/settings/security")
    fields = check_page(html)
    assert "confirm-code" in fields.inputs and fields.inputs["confirm-code"] == "code"
    assert re.search(r'<svg xmlns="http://www.w3.org/2000/svg" class="qr"[^>]*><rect[^>]*/>'
                     r'<path stroke="#000" '
                     r'd="M[0-9 .hmv-]+"/></svg>', html)
    secret = re.search(r'class="secret"[^>]*><code>([A-Z2-7 ]+)</code>', html).group(1).replace(" ", "")

    wrong = form_post(browser, "/account/2fa/totp/confirm", {"csrf_token": csrf, "code": wrong_code(secret)})
    assert wrong.status_code == 401 and "not valid" in wrong.body.decode() and "<svg" in wrong.body.decode()

    done = form_post(browser, "/account/2fa/totp/confirm", {"csrf_token": csrf, "code": totp_code(secret)})
    assert done.status_code == 200
    html = done.body.decode()
    check_page(html)
    codes = re.findall(r"<li><code>([0-9a-z]{4}-[0-9a-z]{4})</code></li>", html)
    assert len(codes) == 10
    href = re.search(r'href="(data:text/plain;charset=utf-8,[^"]+)" download="([^"]+)"', html)
    assert href and href.group(2).endswith(".txt")
    assert all(code in unquote(href.group(1)) for code in codes)

    again = page(browser, "/settings/security")  # shown once: not on the next visit
    assert not any(code in again for code in codes) and "10 of 10 backup codes left" in again
    check_page(again)

    fresh = form_post(browser, "/account/2fa/backup-codes", {"csrf_token": csrf, "code": codes[0]})
    assert fresh.status_code == 200 and "The old ones no longer work" in fresh.body.decode()
    new_codes = re.findall(r"<li><code>([0-9a-z]{4}-[0-9a-z]{4})</code></li>", fresh.body.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)

    off = form_post(browser, "/account/2fa/disable", {"csrf_token": csrf, "code": new_codes[0]})
    assert off.status_code == 200 and "Two-factor authentication is off" in off.body.decode()
    assert "Enable Two-Factor Authentication" in off.body.decode()


def test_form_post_without_csrf_is_refused(browser: Browser) -> None:
    answer = form_post(browser, "/account/2fa/totp", {})
    assert answer.status_code == 403 and "text/html" in answer.headers["Content-Type"]


def test_form_post_after_sign_out_goes_to_sign_in(client: Client) -> None:
    answer = form_post(Browser(client), "/account/2fa/totp", {"csrf_token": "x"})
    assert answer.status_code == 303 and answer.headers["Location"].startswith("/login?next=")


def test_form_errors_keep_retry_after(enrolled: Enrolled) -> None:
    csrf = csrf_field(page(enrolled.browser, "/settings/security"))
    for _ in range(5):
        form_post(enrolled.browser, "/account/2fa/disable", {"csrf_token": csrf, "code": "000000"})
    locked = form_post(enrolled.browser, "/account/2fa/disable", {"csrf_token": csrf, "code": "000000"})
    assert locked.status_code == 429 and locked.headers["Retry-After"]
    assert "Too many wrong codes" in locked.body.decode()


def form_login(client: Client, account: Account, next_url: str) -> Browser:
    browser = Browser(client)
    csrf = csrf_field(page(browser, f"/login?next={next_url}"))
    answer = form_post(browser, "/login", {"csrf_token": csrf, "email": account.email,
                                           "password": PASSWORD, "next": next_url})
    assert answer.status_code == 303 and answer.headers["Location"] == "/login/2fa"
    assert "tf_session" not in browser.cookies and "tf_pending" in browser.cookies
    return browser


def test_form_sign_in_carries_next_through_the_second_step(client: Client, enrolled: Enrolled) -> None:
    target = "/oauth/authorize?response_type=code&client_id=abc&state=xyz"
    browser = form_login(client, enrolled.account, target)
    html = page(browser, "/login/2fa")
    fields = check_page(html)
    assert fields.inputs == {"code": "code"} and "Verify" in html
    csrf = csrf_field(html)
    wrong = form_post(browser, "/login/2fa", {"csrf_token": csrf, "code": wrong_code(enrolled.secret)})
    assert wrong.status_code == 401 and "not valid" in wrong.body.decode()
    done = form_post(browser, "/login/2fa", {"csrf_token": csrf, "code": totp_code(enrolled.secret, 1)})
    assert done.status_code == 303 and done.headers["Location"] == target
    assert "tf_session" in browser.cookies


def test_form_sign_in_refuses_an_offsite_next(client: Client, enrolled: Enrolled) -> None:
    browser = form_login(client, enrolled.account, "//evil.example.com/")
    csrf = csrf_field(page(browser, "/login/2fa"))
    done = form_post(browser, "/login/2fa", {"csrf_token": csrf, "code": enrolled.backup_codes[0]})
    assert done.status_code == 303 and done.headers["Location"] == "/settings/api"


def test_form_second_step_needs_the_csrf_field(client: Client, enrolled: Enrolled) -> None:
    browser = form_login(client, enrolled.account, "/settings/security")
    answer = form_post(browser, "/login/2fa", {"code": enrolled.backup_codes[0]})
    assert answer.status_code == 403 and "tf_session" not in browser.cookies


def test_second_step_page_without_a_pending_sign_in(client: Client) -> None:
    browser = Browser(client)
    answer = browser.get("/login/2fa")
    assert answer.status_code == 303 and answer.headers["Location"] == "/login"
    posted = form_post(browser, "/login/2fa", {"csrf_token": "x", "code": "123456"})
    assert posted.status_code == 401 and "Sign in" in posted.body.decode()


def test_json_password_step_then_page(client: Client, enrolled: Enrolled) -> None:
    browser = Browser(client)
    password_step(browser, enrolled.account)
    assert 'name="code"' in page(browser, "/login/2fa")


def test_hostile_email_cannot_inject_markup(client: Client) -> None:
    # SES refuses this address, so it is never verified; signing in and 2FA do not need that.
    account = make_account(client, '<svg/onload=alert(1)>"x@example.com', verified=False)
    browser = Browser(client)
    assert browser.login(account.email).status_code == 200
    api = browser.post("/account/2fa/totp").body.decode()
    assert "onload" not in api.split('"qr_svg"')[1]
    html = page(browser, "/settings/security")
    check_page(html)
    assert "<svg/onload" not in html and "&lt;svg/onload=alert(1)&gt;" in html  # shown, escaped
