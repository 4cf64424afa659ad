"""Cold start to the first decision: a fresh process imports the authorizer's code and answers
one API-key authorizer call against a moto server, next to the floor.

    .venv/bin/python -m bench.coldstart [--processes 10]

The floor is the least any Python authorizer must do: import botocore and PyJWT,
create one DynamoDB client and make the same GetItem. Our two cases set
AWS_LAMBDA_FUNCTION_NAME (as Lambda does, so app.py skips the local-gateway adapter)
and import either `chalicelib.routes.gate` (the authorizer Lambda's handler module)
or the whole `app.py`, then call the Chalice authorizer with a TOKEN event. Two
clocks per process: from spawn to the answer, as Lambda's init sees it (interpreter
start-up included, the process's exit not), and, stricter, from the process's first
line to the answer (interpreter start-up, the same for all three, left out). The three kinds
run interleaved, medians over 10 processes each. Target: <= 1.15x.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from bench.common import ROOT, TABLE, Row, environment, main, moto_server, ms, ratio

ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123/api/GET/v1/me"

FLOOR = f"""
import time
started = time.perf_counter()
import botocore.session, jwt
client = botocore.session.get_session().create_client("dynamodb", region_name="us-east-1")
client.get_item(TableName={TABLE!r}, Key={{"pk": {{"S": PK}}, "sk": {{"S": "KEY"}}}}, ConsistentRead=True)
print(time.perf_counter() - started, flush=True)
"""

OURS = f"""
import time
started = time.perf_counter()
import MODULE
from chalicelib.routes import gate
answer = gate.bearer({{"type": "TOKEN", "authorizationToken": "Bearer " + KEY, "methodArn": {ARN!r}}}, None)
elapsed = time.perf_counter() - started
assert answer["policyDocument"]["Statement"][0]["Effect"] == "Allow", answer
print(elapsed, flush=True)
"""


def _issue_key(url: str) -> tuple[str, str]:
    from bench.common import configure

    configure(url)
    from chalicelib import authorizer
    from chalicelib.apikeys import keyformat, manage
    from chalicelib.bootstrap import bootstrap

    bootstrap()
    caller = manage.Caller("ws_bench", "usr_bench", "usr_bench", "127.0.0.1", "bench")
    key = str(manage.issue(caller, manage.KeyRequest("cold", ["read"], None, None))["key"])
    authorizer.authorize(f"Bearer {key}")  # last_used_at is fresh: each run's decision is one GetItem
    return key, f"APIKEY#{keyformat.digest(key)}"


def _run(code: str, env: dict[str, str]) -> tuple[float, float]:
    """(spawn to answer, first line to answer) in ms; the process's exit is not Lambda's to wait for."""
    started = time.perf_counter()
    with subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                          text=True) as proc:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        answered = time.perf_counter()
        if proc.wait() != 0 or not line:
            raise SystemExit("bench.coldstart: a probe process failed")
    return (answered - started) * 1000, float(line) * 1000


def measure(processes: int = 10) -> dict[str, tuple[float, float]]:
    with moto_server() as url:
        key, pk = _issue_key(url)
        env = {**environment(url), "AWS_LAMBDA_FUNCTION_NAME": "taskforge-auth-bench-authorizer"}
        codes = {"floor": f"PK = {pk!r}\n" + FLOOR,
                 "gate": f"KEY = {key!r}\n" + OURS.replace("MODULE", "chalicelib.routes.gate"),
                 "app": f"KEY = {key!r}\n" + OURS.replace("MODULE", "app")}
        for code in codes.values():  # warm the OS file cache and .pyc files once
            _run(code, env)
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in codes}
        order = list(codes.items())
        for i in range(processes):
            for name, code in order[i % 3:] + order[:i % 3]:
                samples[name].append(_run(code, env))
    return {name: (statistics.median(w for w, _ in runs), statistics.median(i for _, i in runs))
            for name, runs in samples.items()}


def _versus(medians: dict[str, tuple[float, float]], name: str) -> str:
    (whole, inner), (floor_whole, floor_inner) = medians[name], medians["floor"]
    return (f"spawn → answer {ms(whole)} vs {ms(floor_whole)} ({ratio(whole, floor_whole)}); "
            f"imports → answer {ms(inner)} vs {ms(floor_inner)} ({ratio(inner, floor_inner)})")


def rows(processes: int = 10) -> list[Row]:
    medians = measure(processes)
    return [
        Row("Cold start to the first API-key decision: authorizer Lambda (`chalicelib.routes.gate`) vs "
            "floor (botocore + PyJWT + one client + the same GetItem); `bench.coldstart`, medians of "
            f"{processes} fresh processes each, interleaved", _versus(medians, "gate"), "≤ 1.15×"),
        Row("Cold start to the first API-key decision: whole `app.py` vs the same floor",
            _versus(medians, "app"), "≤ 1.15×"),
    ]


if __name__ == "__main__":
    main(rows)
