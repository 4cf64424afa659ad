"""Four concurrent 2FA confirmations on a local stack holding 50,000 items (issue 21).

Before the local store snapshot only what a transaction touches, each confirmation copied
the whole table, outlasted the client's 3 s read timeout and all four answered 503 while 2FA
did get enabled. Now exactly one wins (200 and the backup codes that were stored) and the
other three are told plainly that 2FA is already on.
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pyotp
import requests

from scripts.fill_table import fill
from tests.e2e.conftest import Stack

PASSWORD = "correct horse battery staple"
ITEMS = 50_000


def test_four_concurrent_confirmations_give_one_200_and_three_clear_409s(stack: Stack) -> None:
    assert fill(stack.moto_url, ITEMS) >= ITEMS
    email = f"e2e-race-2fa-{uuid.uuid4().hex[:8]}@example.com"
    http = requests.Session()
    assert http.post(f"{stack.url}/signup", json={"email": email, "password": PASSWORD,
                                                  "workspace": "E2E race"}).status_code == 201
    csrf = http.post(f"{stack.url}/login", json={"email": email, "password": PASSWORD}).json()["csrf_token"]
    started = http.post(f"{stack.url}/account/2fa/totp", headers={"X-CSRF-Token": csrf})
    assert started.status_code == 200, started.text
    code = pyotp.parse_uri(started.json()["otpauth_uri"]).at(time.time())
    barrier = threading.Barrier(4)

    def confirm(_: int) -> requests.Response:
        browser = requests.Session()  # the same signed-in browser, four tabs at once
        browser.cookies.update(http.cookies)
        barrier.wait()
        return browser.post(f"{stack.url}/account/2fa/totp/confirm", json={"code": code},
                            headers={"X-CSRF-Token": csrf}, timeout=30)

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(confirm, range(4)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 409, 409, 409], [(a.status_code, a.text) for a in answers]
    [winner] = [a for a in answers if a.status_code == 200]
    for loser in (a for a in answers if a.status_code == 409):
        assert loser.json()["error"] == "two_factor_enabled", loser.text
        assert "already on" in loser.json()["error_description"]
    assert http.get(f"{stack.url}/account").json()["two_factor_enabled"] is True
    # The codes the winner showed are the stored ones.
    backup = winner.json()["backup_codes"][0]
    assert http.post(f"{stack.url}/account/2fa/disable", json={"code": backup},
                     headers={"X-CSRF-Token": csrf}).status_code == 204
