"""What one API-key-authenticated request costs: DynamoDB calls, decision latency, import time.

    .venv/bin/python -m bench.authorizer [--rounds 1000] [--requests 200]

Starts its own moto server (a separate process) on a free 127.0.0.1 port, creates
the table and one API key through the store layer, then reports:

1. DynamoDB calls per request through the whole Chalice stack (chalice.test.Client,
   authorizer included), counted with botocore's `before-call` event hook on the
   store's client: GET /v1/me (the route itself reads nothing) and GET /v1/tasks.
2. Median latency of one authorizer decision (`authorizer.authorize(header)`)
   against a bare GetItem of the same item on the same server, interleaved in the
   same run, and their ratio.
3. Cold import time of the authorizers' Lambda module vs the whole app.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_moto() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1",
                             "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("bench: the moto server did not start")


def configure(url: str) -> None:
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        os.environ.pop(name, None)
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                       "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL_DYNAMODB": url,
                       "TASKFORGE_TABLE": "taskforge-bench", "TASKFORGE_LOG_LEVEL": "WARNING"})


def issue_key() -> str:
    from chalicelib.apikeys import manage
    from chalicelib.bootstrap import bootstrap

    bootstrap()
    caller = manage.Caller("ws_bench", "usr_bench", "usr_bench", "127.0.0.1", "bench")
    created = manage.issue(caller, manage.KeyRequest("bench", ["read"], None, None))
    return str(created["key"])


def count_calls(key: str, path: str, requests: int) -> Counter[str]:
    from chalice.test import Client

    from app import app
    from chalicelib.store import db

    counts: Counter[str] = Counter()
    events = db.client().meta.events
    events.register("before-call.dynamodb", lambda model, **_: counts.update([model.name]),
                    unique_id="bench-count")
    try:
        with Client(app, stage_name="dev") as client:
            for _ in range(requests):
                answer = client.http.get(path, headers={"Authorization": f"Bearer {key}"})
                assert answer.status_code == 200, answer.body
    finally:
        events.unregister("before-call.dynamodb", unique_id="bench-count")
    return counts


def latency(key: str, rounds: int) -> dict[str, float]:
    from chalicelib import authorizer
    from chalicelib.apikeys import keyformat
    from chalicelib.store import db

    header = f"Bearer {key}"
    request = {"TableName": db.table(), "ConsistentRead": True,
               "Key": db.key(f"APIKEY#{keyformat.digest(key)}", "KEY")}
    client = db.client()

    def decide() -> Any:
        return authorizer.authorize(header)

    def get_item() -> Any:
        return client.get_item(**request)

    samples: dict[str, list[float]] = {"decision": [], "get_item": []}
    for _ in range(50):  # warm connections, caches and code paths
        decide(), get_item()
    for i in range(rounds):
        order = (("decision", decide), ("get_item", get_item))
        for name, run in order if i % 2 else reversed(order):
            started = time.perf_counter()
            run()
            samples[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


def import_time(module: str, runs: int = 5) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    times = [float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                                  text=True, check=True, env=dict(os.environ)).stdout)
             for _ in range(runs)]
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    proc, url = start_moto()
    try:
        configure(url)
        key = issue_key()
        print(f"DynamoDB calls per API-key-authenticated request ({args.requests} requests each):")
        for path in ("/v1/me", "/v1/tasks"):
            counts = count_calls(key, path, args.requests)
            per_request = ", ".join(f"{op} {n / args.requests:.3f}" for op, n in sorted(counts.items()))
            print(f"  GET {path:<10} {per_request}   (totals: {dict(counts)})")
        medians = latency(key, args.rounds)
        ratio = medians["decision"] / medians["get_item"]
        print(f"Latency, median of {args.rounds} interleaved rounds against the moto server:")
        print(f"  authorizer decision {medians['decision']:.3f} ms, bare GetItem "
              f"{medians['get_item']:.3f} ms, ratio {ratio:.2f}x")
        gate, whole = import_time("chalicelib.routes.gate"), import_time("app")
        print(f"Cold import (median of 5 processes): authorizer module {gate:.0f} ms, app.py {whole:.0f} ms")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
