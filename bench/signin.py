"""Sign-in latency: POST /login (JSON) through the whole app against a moto server, next to the
one Argon2id verification it contains (OWASP's parameters: 19 MiB, t=2, p=1).

    .venv/bin/python -m bench.signin

Sign-in is dominated by Argon2id by design: the hash is what makes a stolen table
slow to crack, and unknown emails pay for the same verification (no user enumeration
by timing). The rest is the lockout counters, the user read, the session and the audit event.
"""

from __future__ import annotations

import json

from bench.common import EMAIL, PASSWORD, Row, configure, interleaved, main, moto_server, ms

ROUNDS = 30


def rows() -> list[Row]:
    from chalice.test import Client

    from app import app
    from chalicelib.accounts import passwords
    from chalicelib.bootstrap import bootstrap

    with moto_server() as url:
        configure(url)
        bootstrap()
        stored = passwords.hash_secret(PASSWORD)
        body = json.dumps({"email": EMAIL, "password": PASSWORD}).encode()
        headers = {"Content-Type": "application/json"}
        with Client(app, stage_name="dev") as client:
            signup = json.dumps({"email": EMAIL, "password": PASSWORD, "workspace": "Bench"}).encode()
            assert client.http.post("/signup", headers=headers, body=signup).status_code == 201

            def sign_in() -> None:
                assert client.http.post("/login", headers=headers, body=body).status_code == 200

            medians = interleaved({"login": sign_in, "argon2": lambda: passwords.verify(stored, PASSWORD)},
                                  rounds=ROUNDS, warmup=3)
    share = medians["argon2"] / medians["login"] * 100
    return [Row(f"Sign-in `POST /login` against moto, median of {ROUNDS} (`bench.signin`)",
                f"{ms(medians['login'])}, of which one Argon2id verification {ms(medians['argon2'])} "
                f"({share:.0f} %)", "dominated by Argon2id (by design)")]


if __name__ == "__main__":
    main(rows)
