"""Does sign-in time tell whether an account exists? (issue 14, finding 3)

    .venv/bin/python -m bench.signin_timing

POST /login with a wrong password for an existing account, and with an unknown email,
interleaved (the order alternating every round), each try with an email of its own so every
try meets the same lockout state; through the whole app against a moto server. Reports both
medians, their difference, and how often the wrong-password try was the slower of its pair
(0.5 means a coin flip: nothing to learn).
"""

from __future__ import annotations

import json
import os
import statistics
from functools import partial

from bench.common import PASSWORD, Row, configure, main, moto_server, ms, split_ms

ROUNDS = 80
STORE_SHARE: dict[str, float] = {}  # median ms inside DynamoDB calls (moto), per case


def measure(rounds: int = ROUNDS) -> tuple[list[float], list[float]]:
    from chalice.test import Client

    from app import app
    from chalicelib.bootstrap import bootstrap

    headers = {"Content-Type": "application/json"}
    known_times: list[float] = []
    unknown_times: list[float] = []
    known_store: list[float] = []
    unknown_store: list[float] = []
    with moto_server() as url:
        os.environ["TASKFORGE_LOGIN_IP_LIMIT"] = "100000"  # every try comes from 127.0.0.1
        configure(url)
        bootstrap()
        with Client(app, stage_name="dev") as client:
            def post(path: str, body: dict[str, str]) -> int:
                return int(client.http.post(path, headers=headers,
                                            body=json.dumps(body).encode()).status_code)

            for i in range(rounds + 5):
                assert post("/signup", {"email": f"known-{i}@example.com", "password": PASSWORD,
                                        "workspace": "Timing"}) == 201
            for i in range(5):  # warm-up: imports, connections, the IP lockout window
                post("/login", {"email": f"known-{rounds + i}@example.com", "password": "wrong"})
                post("/login", {"email": f"nobody-{rounds + i}@example.com", "password": "wrong"})
            for i in range(rounds):
                known = {"email": f"known-{i}@example.com", "password": "wrong password"}
                unknown = {"email": f"nobody-{i}@example.com", "password": "wrong password"}
                pair = [("known", known), ("unknown", unknown)]
                for name, body in pair if i % 2 else reversed(pair):
                    status: list[int] = []
                    took, in_store = split_ms(partial(lambda b, out: out.append(post("/login", b)),
                                                      body, status))
                    assert status == [401], status
                    (known_times if name == "known" else unknown_times).append(took)
                    (known_store if name == "known" else unknown_store).append(in_store)
    STORE_SHARE.update(known=statistics.median(known_store), unknown=statistics.median(unknown_store))
    return known_times, unknown_times


def rows() -> list[Row]:
    known, unknown = measure()
    slower = sum(k > u for k, u in zip(known, unknown, strict=True)) / len(known)
    k, u = statistics.median(known), statistics.median(unknown)
    what = f"Sign-in failure timing, {len(known)} interleaved pairs against moto (`bench.signin_timing`)"
    return [Row(what,
                f"wrong password {ms(k)}, unknown email {ms(u)} (difference {ms(abs(k - u))}); "
                f"wrong password slower in {slower:.2f} of pairs; inside DynamoDB calls (moto) "
                f"{ms(STORE_SHARE['known'])} vs {ms(STORE_SHARE['unknown'])}",
                "same work for both; P(slower) near 0.5")]


if __name__ == "__main__":
    main(rows)
