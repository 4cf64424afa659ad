"""Secret scanning: how long the local stack takes to answer GitHub's report of 100 tokens.

    .venv/bin/python -m bench.secret_scanning

Over HTTP against the whole local stack (chalice local + the serialised moto server,
scripts/devstack.py), trusting a benchmark ECDSA key through TASKFORGE_SECRET_SCANNING_KEYS.
Three reports of 100 tokens each, median of ROUNDS:
1. 100 live API keys of ours: per token a checksum, one read, a conditional revocation and an
   audit write (the worst case: everything GitHub found is live);
2. the same report again (GitHub retries): 100 reads, nothing written, the same answer;
3. 100 strings that are not ours (wrong checksum): no store access at all.
Store calls per report: 1 BatchGetItem per 100 tokens; per live credential 1 conditional
UpdateItem and 1 audit PutItem, 8 at a time (the local moto server serves them one by one, so
locally they add up; on DynamoDB they overlap). GitHub's webhooks time out after 10 s.
"""

from __future__ import annotations

import statistics
from functools import partial
from typing import Any

import requests

from bench.common import Row, main, ms, timed_ms

BATCH = 100
ROUNDS = 3


def measure() -> dict[str, float]:
    from tests.e2e.conftest import launch
    from tests.leaks.signer import Signer, report

    github = Signer.new()
    samples: dict[str, list[float]] = {"live": [], "again": [], "not_ours": []}
    with launch({"TASKFORGE_SECRET_SCANNING_KEYS": github.document(),
                 "TASKFORGE_LOG_LEVEL": "WARNING"}) as stack:
        dashboard = requests.Session()
        login = dashboard.post(f"{stack.url}/login", json={"email": stack.demo_email,
                                                          "password": stack.demo_password}, timeout=10)
        csrf = login.json()["csrf_token"]

        def new_key() -> str:
            created = dashboard.post(f"{stack.url}/account/api-keys", headers={"X-CSRF-Token": csrf},
                                     json={"label": "bench leak", "scopes": ["read"]}, timeout=10)
            assert created.status_code == 201, created.text
            return str(created.json()["key"])

        def post(body: bytes, expected: str) -> Any:
            answer = requests.post(f"{stack.url}/secret-scanning/github", data=body,
                                   headers=github.headers(body), timeout=60)
            assert answer.status_code == 200, answer.text
            assert {a["label"] for a in answer.json()} == {expected}

        for _ in range(ROUNDS):
            live = report(*[new_key() for _ in range(BATCH)])
            not_ours = report(*[new_key()[:-1] + "!" for _ in range(BATCH)])
            samples["live"].append(timed_ms(partial(post, live, "true_positive")))
            samples["again"].append(timed_ms(partial(post, live, "true_positive")))
            samples["not_ours"].append(timed_ms(partial(post, not_ours, "false_positive")))
    return {name: statistics.median(values) for name, values in samples.items()}


def rows() -> list[Row]:
    found = measure()
    return [Row(f"Secret scanning report of {BATCH} tokens over HTTP, local stack: all live keys "
                "(revoked + audited) / the same report again / none ours (`bench.secret_scanning`)",
                f"{ms(found['live'])} / {ms(found['again'])} / {ms(found['not_ours'])}",
                "well under 10 s (GitHub's webhook timeout)")]


if __name__ == "__main__":
    main(rows)
