"""POST /password-reset: the answer for an email with an account and for one without must
not tell them apart, by status, body or time (OWASP Forgot Password Cheat Sheet).

    .venv/bin/python -m bench.password_reset

Through the whole app against a moto server (DynamoDB and SES). Known and unknown
addresses alternate (each address used once, so the per-email throttle never answers
instead); the medians of both are reported with the fixed answer floor
(`password_change.RESET_FLOOR_SECONDS`) and, to show what the floor hides, without it.
"""

from __future__ import annotations

import json
import os
import statistics

from bench.common import PASSWORD, Row, configure, main, moto_server, ms, timed_ms

TRIES = 60


def _medians(client, known: list[str], unknown: list[str]) -> tuple[float, float, set[bytes]]:
    headers = {"Content-Type": "application/json"}
    samples: dict[str, list[float]] = {"known": [], "unknown": []}
    bodies: set[bytes] = set()

    def ask(email: str, kind: str) -> None:
        def call() -> None:
            answer = client.http.post("/password-reset", headers=headers,
                                      body=json.dumps({"email": email}).encode())
            assert answer.status_code == 202, answer.body
            bodies.add(answer.body)
        samples[kind].append(timed_ms(call))

    for i, (a, b) in enumerate(zip(known, unknown, strict=True)):
        pair = [(a, "known"), (b, "unknown")]
        for email, kind in pair if i % 2 else reversed(pair):
            ask(email, kind)
    return statistics.median(samples["known"]), statistics.median(samples["unknown"]), bodies


def rows() -> list[Row]:
    from chalice.test import Client

    os.environ["TASKFORGE_RESET_IP_LIMIT"] = "1000000"
    with moto_server() as url:
        configure(url)
        from app import app
        from chalicelib.accounts import password_change, users
        from chalicelib.bootstrap import bootstrap

        bootstrap()
        known = [f"reset-{i}@example.com" for i in range(2 * TRIES + 4)]
        for email in known:
            users.signup(email, PASSWORD, "Bench")
        unknown = [f"nobody-{i}@example.com" for i in range(2 * TRIES + 4)]
        with Client(app, stage_name="dev") as client:
            _medians(client, known[:2], unknown[:2])  # warm-up: imports, clients, templates
            with_floor = _medians(client, known[2:TRIES + 2], unknown[2:TRIES + 2])
            floor = password_change.RESET_FLOOR_SECONDS
            password_change.RESET_FLOOR_SECONDS = 0.0
            try:
                bare = _medians(client, known[TRIES + 2:], unknown[TRIES + 2:])
            finally:
                password_change.RESET_FLOOR_SECONDS = floor
    (k, u, bodies), (bk, bu, _) = with_floor, bare
    assert len(bodies) == 1, "known and unknown emails got different bodies"
    return [Row(f"`POST /password-reset`, known vs unknown email, medians of {TRIES} interleaved "
                "(`bench.password_reset`)",
                f"{ms(k)} vs {ms(u)} (difference {abs(k - u):.1f} ms); one identical body; without the "
                f"{floor * 1000:.0f} ms floor: {ms(bk)} vs {ms(bu)}",
                "same status, body and time")]


if __name__ == "__main__":
    main(rows)
