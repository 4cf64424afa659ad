"""Two-factor sign-in over HTTP against the real local stack (moto server + chalice local).

Enrol, read the secret from the otpauth URI and check the QR SVG shows that
URI, confirm, sign out, sign in with the password (mfa_required), finish with
the current TOTP, see the same code refused, and spend a backup code once.
"""

from __future__ import annotations

import time
import uuid
from urllib.parse import parse_qs, urlsplit

import pyotp
import requests
import segno

from tests.e2e.conftest import Stack
from tests.twofactor.qr_matrix import matrix_from_svg, matrix_without_border

PASSWORD = "correct horse battery staple"


def sign_in_password(stack: Stack, email: str) -> requests.Session:
    http = requests.Session()
    answer = http.post(f"{stack.url}/login", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 200 and answer.json()["mfa_required"] is True
    assert "tf_pending" in http.cookies and "tf_session" not in http.cookies
    assert http.get(f"{stack.url}/account").status_code == 401
    return http


def enrol(stack: Stack) -> tuple[str, str, list[str]]:
    email = f"e2e-2fa-{uuid.uuid4().hex[:8]}@example.com"
    http = requests.Session()
    created = http.post(f"{stack.url}/signup", json={"email": email, "password": PASSWORD,
                                                     "workspace": "E2E 2FA"})
    assert created.status_code == 201
    csrf = http.post(f"{stack.url}/login", json={"email": email, "password": PASSWORD}).json()["csrf_token"]
    headers = {"X-CSRF-Token": csrf}

    started = http.post(f"{stack.url}/account/2fa/totp", headers=headers)
    assert started.status_code == 200
    uri = started.json()["otpauth_uri"]
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert parse_qs(parts.query)["issuer"] == ["TaskForge"]
    secret = parse_qs(parts.query)["secret"][0]
    # "Scan" the QR: the SVG's modules are exactly the QR encoding of this URI.
    expected = [[bool(bit) for bit in row] for row in segno.make(uri, micro=False).matrix]
    assert matrix_without_border(matrix_from_svg(started.json()["qr_svg"])) == expected

    authenticator = pyotp.parse_uri(uri)
    confirmed = http.post(f"{stack.url}/account/2fa/totp/confirm", headers=headers,
                          json={"code": authenticator.at(time.time())})
    assert confirmed.status_code == 200
    backup_codes = confirmed.json()["backup_codes"]
    assert len(backup_codes) == 10
    assert http.get(f"{stack.url}/account").json()["two_factor_enabled"] is True
    assert http.post(f"{stack.url}/logout", headers=headers).status_code == 204
    return email, secret, backup_codes


def test_enrol_then_sign_in_with_totp_and_backup_code(stack: Stack) -> None:
    email, secret, backup_codes = enrol(stack)

    http = sign_in_password(stack, email)
    code = pyotp.TOTP(secret).at(time.time() + 30)  # next step: inside the ±1 window, unused
    done = http.post(f"{stack.url}/login/2fa", json={"code": code})
    assert done.status_code == 200 and "tf_session" in http.cookies
    account = http.get(f"{stack.url}/account")
    assert account.status_code == 200 and account.json()["email"] == email
    http.post(f"{stack.url}/logout", headers={"X-CSRF-Token": done.json()["csrf_token"]})

    replay_session = sign_in_password(stack, email)
    replay = replay_session.post(f"{stack.url}/login/2fa", json={"code": code})
    assert replay.status_code == 401 and replay.json()["error"] == "invalid_code"
    assert "tf_session" not in replay_session.cookies

    with_backup = replay_session.post(f"{stack.url}/login/2fa", json={"code": backup_codes[0]})
    assert with_backup.status_code == 200 and "tf_session" in replay_session.cookies

    again = sign_in_password(stack, email)
    spent = again.post(f"{stack.url}/login/2fa", json={"code": backup_codes[0]})
    assert spent.status_code == 401 and spent.json()["error"] == "invalid_code"


def test_login_2fa_page_over_http(stack: Stack) -> None:
    email, _, backup_codes = enrol(stack)
    http = sign_in_password(stack, email)
    page = http.get(f"{stack.url}/login/2fa")
    assert page.status_code == 200 and 'name="code"' in page.text and "Verify" in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    done = http.post(f"{stack.url}/login/2fa", data={"csrf_token": csrf, "code": backup_codes[1]},
                     allow_redirects=False)
    assert done.status_code == 303 and done.headers["Location"] == "/settings/api"
    security = http.get(f"{stack.url}/settings/security")
    assert security.status_code == 200 and "9 of 10 backup codes left" in security.text
