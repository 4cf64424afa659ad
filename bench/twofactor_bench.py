"""Two-factor costs: TOTP check, backup codes (Argon2id), secret encryption, QR, the routes.

    .venv/bin/python -m bench.twofactor_bench      # every measurement
    (`python -m bench` puts only `rows()` in the README)

Route timings are in-process (chalice.test.Client) against moto's in-memory DynamoDB
(`mock_aws`), so they show our code's share, not DynamoDB's network latency.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from typing import Any

from bench.common import EMAIL, PASSWORD, Row, main, median_ms, ms, signed_in_owner, timed_ms


def unit_costs() -> dict[str, float]:
    import pyotp

    from chalicelib import hashing
    from chalicelib.twofactor import backup_codes, qr, totp

    secret = totp.new_secret()
    code = pyotp.TOTP(secret).now()
    stored = hashing.hash_secret("abcd")
    uri = totp.provisioning_uri(secret, "ada@example.com")
    first_qr = timed_ms(lambda: qr.svg(uri))
    return {"totp": median_ms(lambda: totp.matching_step(secret, code, time.time()), 2000),
            "backup": median_ms(lambda: hashing.verify(stored, "abcd"), 30),
            "backup_set": median_ms(lambda: backup_codes.new_set("usr_bench"), 10),
            "first_qr": first_qr, "qr": median_ms(lambda: qr.svg(uri), 50)}


def rows() -> list[Row]:
    costs = unit_costs()
    return [Row("Backup code check (one Argon2id verify) / TOTP check (`bench.twofactor_bench`)",
                f"{ms(costs['backup'])} / {ms(costs['totp'])}", "one Argon2 verification")]


def route_costs() -> dict[str, float]:
    import pyotp
    with signed_in_owner(EMAIL, PASSWORD) as owner:
        client = owner.client
        costs = {"start": median_ms(lambda: owner.post("/account/2fa/totp"), 20)}
        generator = pyotp.parse_uri(json.loads(owner.post("/account/2fa/totp").body)["otpauth_uri"])
        started = time.perf_counter()
        answer = owner.post("/account/2fa/totp/confirm", {"code": generator.now()})
        costs["confirm"] = (time.perf_counter() - started) * 1000
        costs.update(_second_step(client, generator, json.loads(answer.body)["backup_codes"]))
    return costs


def _second_step(client: Any, generator: Any, backups: list[str]) -> dict[str, float]:
    from tests.conftest import Browser

    def pending() -> Any:
        browser = Browser(client)
        browser.login(EMAIL, PASSWORD)
        return browser

    costs = {"login_pending": median_ms(pending, 10)}
    with_totp, with_backup = [], []
    for offset, code in enumerate(backups[:5]):
        browser = pending()
        totp_code = generator.at(time.time() + 30 * (offset - 1))
        with_totp.append(timed_ms(lambda b=browser, c=totp_code: b.post("/login/2fa", {"code": c})))
        browser = pending()
        with_backup.append(timed_ms(lambda b=browser, c=code: b.post("/login/2fa", {"code": c})))
    costs["totp_step"], costs["backup_step"] = statistics.median(with_totp), statistics.median(with_backup)
    return costs


def all_rows() -> list[Row]:
    units, routes = unit_costs(), route_costs()
    measured = [
        ("TOTP check (3 steps compared)", units["totp"]),
        ("backup code check: one Argon2id verify", units["backup"]),
        ("new set of 10 backup codes (10 Argon2id hashes)", units["backup_set"]),
        ("first QR SVG (includes importing segno)", units["first_qr"]),
        ("QR SVG", units["qr"]),
        ("POST /account/2fa/totp (secret, encrypt, QR)", routes["start"]),
        ("POST /account/2fa/totp/confirm (10 hashes + transaction)", routes["confirm"]),
        ("POST /login with 2FA on (Argon2 password + pending record)", routes["login_pending"]),
        ("POST /login/2fa with a TOTP code (decrypt, 3 writes, session)", routes["totp_step"]),
        ("POST /login/2fa with a backup code (1 Argon2 verify, audit)", routes["backup_step"]),
    ]
    return [Row(what, ms(value), "") for what, value in measured]


if __name__ == "__main__":
    main(rows if "--json" in sys.argv else all_rows)
