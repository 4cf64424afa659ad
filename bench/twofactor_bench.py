"""Two-factor costs on this machine: TOTP check, backup codes (Argon2), encryption, QR, routes.

Run from the repo root: `.venv/bin/python bench/twofactor_bench.py`. Route
timings are in-process (chalice.test.Client) against moto's in-memory
DynamoDB, so they show our code's share, not DynamoDB's network latency.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                   "AWS_DEFAULT_REGION": "us-east-1", "TASKFORGE_TABLE": "taskforge-bench",
                   "TASKFORGE_LOG_LEVEL": "ERROR"})
for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
    os.environ.pop(name, None)


def median_ms(action: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def row(what: str, value: float, unit: str = "ms") -> None:
    print(f"| {what} | {value:.3f} {unit} |" if value < 1 else f"| {what} | {value:.1f} {unit} |")


def units() -> None:
    import pyotp

    from chalicelib.accounts import passwords
    from chalicelib.twofactor import backup_codes, qr, totp

    secret = totp.new_secret()
    code = pyotp.TOTP(secret).now()
    row("TOTP check (3 steps compared)",
        median_ms(lambda: totp.matching_step(secret, code, time.time()), 2000))
    stored = passwords.hash_secret("abcd")
    row("backup code check: one Argon2id verify", median_ms(lambda: passwords.verify(stored, "abcd"), 30))
    row("backup code check without an id part (10 verifies)",
        median_ms(lambda: [passwords.verify(stored, "wxyz") for _ in range(10)], 5))
    row("new set of 10 backup codes (10 Argon2id hashes)",
        median_ms(lambda: backup_codes.new_set("usr_bench"), 10))
    started = time.perf_counter()
    uri = totp.provisioning_uri(secret, "ada@example.com")
    qr.svg(uri)
    row("first QR SVG (includes importing segno)", (time.perf_counter() - started) * 1000)
    row("QR SVG", median_ms(lambda: qr.svg(uri), 50))


def routes() -> None:
    import pyotp
    from chalice.test import Client
    from moto import mock_aws

    with mock_aws():
        from chalicelib.bootstrap import bootstrap
        from chalicelib.twofactor import crypto

        bootstrap()
        sealed = crypto.encrypt("JBSWY3DPEHPK3PXP", "usr_bench")
        row("encrypt secret (AES-GCM, key cached)",
            median_ms(lambda: crypto.encrypt("JBSWY3DPEHPK3PXP", "usr_bench"), 2000))
        row("decrypt secret", median_ms(lambda: crypto.decrypt(sealed, "usr_bench"), 2000))
        from app import app
        from tests.conftest import Browser

        with Client(app, stage_name="dev") as client:
            owner = Browser(client)
            owner.post("/signup", {"email": EMAIL, "password": PASSWORD, "workspace": "Bench"})
            owner.login(EMAIL, PASSWORD)
            row("POST /account/2fa/totp (secret, encrypt, QR)",
                median_ms(lambda: owner.post("/account/2fa/totp"), 20))
            uri = json.loads(owner.post("/account/2fa/totp").body)["otpauth_uri"]
            started = time.perf_counter()
            answer = owner.post("/account/2fa/totp/confirm", {"code": pyotp.parse_uri(uri).now()})
            row("POST /account/2fa/totp/confirm (10 hashes + transaction)",
                (time.perf_counter() - started) * 1000)
            _second_step(client, pyotp.parse_uri(uri), json.loads(answer.body)["backup_codes"])


EMAIL, PASSWORD = "bench@example.com", "correct horse battery staple"


def _second_step(client: Any, generator: Any, backups: list[str]) -> None:
    from tests.conftest import Browser

    def pending() -> Any:
        browser = Browser(client)
        browser.login(EMAIL, PASSWORD)
        return browser

    row("POST /login with 2FA on (Argon2 password + pending record)", median_ms(pending, 10))
    times_totp, times_backup = [], []
    for offset, code in enumerate(backups[:5]):
        browser = pending()
        totp_code = generator.at(time.time() + 30 * (offset - 1))
        started = time.perf_counter()
        browser.post("/login/2fa", {"code": totp_code})
        times_totp.append((time.perf_counter() - started) * 1000)
        browser = pending()
        started = time.perf_counter()
        assert browser.post("/login/2fa", {"code": code}).status_code == 200
        times_backup.append((time.perf_counter() - started) * 1000)
    row("POST /login/2fa with a TOTP code (decrypt, 3 writes, session)", statistics.median(times_totp))
    row("POST /login/2fa with a backup code (1 Argon2 verify, audit)", statistics.median(times_backup))


def imports() -> None:
    probe = ("import sys, time; t = time.perf_counter(); import app; "
             "print(time.perf_counter() - t, 'segno' in sys.modules)")
    samples, loaded = [], ""
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
        samples.append(float(out[-2]) * 1000)
        loaded = out[-1]
    row("import app (whole Lambda cold import, median of 5)", statistics.median(samples))
    print(f"| segno imported by `import app` | {loaded} |")


if __name__ == "__main__":
    print("| measurement | median |\n|---|---|")
    units()
    routes()
    imports()
