"""Login CSRF with a planted cookie (issue 14, finding 8): the sign-in and sign-up forms accept
only pre-session tokens the server issued (HMAC-signed, time-limited), and refuse form posts a
browser marks as coming from another site."""

from __future__ import annotations

import re
import uuid

import requests

from tests.e2e.conftest import Stack

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def form_token(session: requests.Session, stack: Stack, path: str = "/login") -> str:
    page = session.get(f"{stack.url}{path}")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def test_an_attacker_chosen_cookie_and_field_cannot_sign_the_victim_in(stack: Stack) -> None:
    victim = requests.Session()
    planted = "attacker-chosen-token-" + uuid.uuid4().hex
    answer = victim.post(
        f"{stack.url}/login",
        allow_redirects=False,
        headers={**FORM, "Cookie": f"tf_csrf={planted}"},
        data={"csrf_token": planted, "email": stack.demo_email, "password": stack.demo_password},
    )
    assert answer.status_code == 403
    assert "tf_session" not in answer.headers.get("Set-Cookie", "")
    signup = victim.post(
        f"{stack.url}/signup",
        allow_redirects=False,
        headers={**FORM, "Cookie": f"tf_csrf={planted}"},
        data={
            "csrf_token": planted,
            "email": f"p-{uuid.uuid4().hex[:6]}@example.com",
            "password": "correct horse battery staple",
            "workspace": "Planted",
        },
    )
    assert signup.status_code == 403


def test_a_tampered_server_token_is_refused(stack: Stack) -> None:
    browser = requests.Session()
    token = form_token(browser, stack)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    answer = browser.post(
        f"{stack.url}/login",
        allow_redirects=False,
        headers={**FORM, "Cookie": f"tf_csrf={forged}"},
        data={"csrf_token": forged, "email": stack.demo_email, "password": stack.demo_password},
    )
    assert answer.status_code == 403


def test_a_cross_site_form_post_is_refused_even_with_a_genuine_token(stack: Stack) -> None:
    browser = requests.Session()
    token = form_token(browser, stack)
    answer = browser.post(
        f"{stack.url}/login",
        allow_redirects=False,
        headers={**FORM, "Sec-Fetch-Site": "cross-site"},
        data={"csrf_token": token, "email": stack.demo_email, "password": stack.demo_password},
    )
    assert answer.status_code == 403


def test_the_genuine_form_still_signs_in(stack: Stack) -> None:
    browser = requests.Session()
    token = form_token(browser, stack)
    answer = browser.post(
        f"{stack.url}/login",
        allow_redirects=False,
        headers={**FORM, "Sec-Fetch-Site": "same-origin"},
        data={"csrf_token": token, "email": stack.demo_email, "password": stack.demo_password},
    )
    assert answer.status_code == 303 and "tf_session=" in answer.headers["Set-Cookie"]
