"""Sign-in latency: POST /login (JSON) through the whole app against a moto server, next to the
one Argon2id verification it contains (OWASP's parameters: 19 MiB, t=2, p=1).

    .venv/bin/python -m bench.signin

Sign-in is dominated by Argon2id by design: the hash is what makes a stolen table
slow to crack, and unknown emails pay for the same verification (no user enumeration
by timing). The rest is the lockout counters, the user read, the session and the audit event.
"""

from __future__ import annotations

import json
import statistics

from bench.common import EMAIL, PASSWORD, Row, configure, main, median_ms, moto_server, ms, split_ms

ROUNDS = 30


def rows() -> list[Row]:
    from chalice.test import Client

    from app import app
    from chalicelib import hashing
    from chalicelib.bootstrap import bootstrap

    with moto_server() as url:
        configure(url)
        bootstrap()
        stored = hashing.hash_secret(PASSWORD)
        body = json.dumps({"email": EMAIL, "password": PASSWORD}).encode()
        headers = {"Content-Type": "application/json"}
        with Client(app, stage_name="dev") as client:
            signup = json.dumps({"email": EMAIL, "password": PASSWORD, "workspace": "Bench"}).encode()
            assert client.http.post("/signup", headers=headers, body=signup).status_code == 201

            def sign_in() -> None:
                assert client.http.post("/login", headers=headers, body=body).status_code == 200

            sign_in()
            samples = [split_ms(sign_in) for _ in range(ROUNDS)]
            argon2 = median_ms(lambda: hashing.verify(stored, PASSWORD), ROUNDS)
    total = statistics.median(t for t, _ in samples)
    ours = statistics.median(t - store for t, store in samples)
    return [Row(f"Sign-in `POST /login` against moto, median of {ROUNDS} (`bench.signin`)",
                f"{ms(total)}; our code {ms(ours)}, of which one Argon2id verification {ms(argon2)} "
                f"({argon2 / ours * 100:.0f} %); the rest inside DynamoDB calls",
                "our share dominated by Argon2id (by design)")]


if __name__ == "__main__":
    main(rows)
