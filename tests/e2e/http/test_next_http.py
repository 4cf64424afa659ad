"""A non-ASCII `next` after sign-in (issue 14, finding 9): the Location header carries it
percent-encoded (RFC 3986 §2.1), never raw bytes, and the connection is never dropped."""

from __future__ import annotations

import http.client
import re
from html import unescape
from urllib.parse import urlencode, urlsplit

import requests

from tests.e2e.conftest import Stack


def raw(stack: Stack, method: str, path: str, body: bytes = b"",
        headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    parts = urlsplit(stack.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    conn.request(method, path, body=body, headers=headers or {})
    answer = conn.getresponse()
    answer.read()
    conn.close()
    return answer


def test_form_sign_in_with_a_non_ascii_next_redirects_percent_encoded(stack: Stack) -> None:
    browser = requests.Session()
    page = browser.get(f"{stack.url}/login?next=/%C3%A9t%C3%A9?x=%E2%9C%93")
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text))
    fields = {k: unescape(v) for k, v in fields.items()}
    body = urlencode({**fields, "email": stack.demo_email, "password": stack.demo_password}).encode()
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    answer = raw(stack, "POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                 "Cookie": cookie})
    assert answer.status == 303
    location = answer.getheader("Location") or ""
    assert location.isascii() and location == "/%C3%A9t%C3%A9?x=%E2%9C%93"


def test_signed_in_get_login_with_a_non_ascii_next(stack: Stack) -> None:
    browser = requests.Session()
    login = browser.post(f"{stack.url}/login",
                         json={"email": stack.demo_email, "password": stack.demo_password})
    assert login.status_code == 200
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    answer = raw(stack, "GET", "/login?next=/%C3%A9", headers={"Cookie": cookie})
    assert answer.status == 303 and answer.getheader("Location") == "/%C3%A9"
