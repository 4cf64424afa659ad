"""What every benchmark shares: a moto server, the environment, medians of interleaved runs, rows.

Each benchmark module exposes `rows() -> list[Row]`; `python -m bench` runs them all and
writes the README table. A row is one line of that table: what, the result, the target.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TABLE = "taskforge-bench"
EMAIL, PASSWORD = "bench@example.com", "correct horse battery staple"


@dataclass(frozen=True)
class Row:
    benchmark: str
    result: str
    target: str

    def markdown(self) -> str:
        return f"| {self.benchmark} | {self.result} | {self.target} |"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(url: str | None) -> dict[str, str]:
    """The variables a benchmark (or a child process of one) runs with: moto's endpoint or none."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE")}
    env.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
                "TASKFORGE_TABLE": TABLE, "TASKFORGE_LOG_LEVEL": "WARNING",
                "TASKFORGE_ISSUER": "http://127.0.0.1:8000"})
    if url:
        env["AWS_ENDPOINT_URL"] = url  # DynamoDB, Secrets Manager and KMS all on the moto server
    return env


def configure(url: str | None) -> None:
    """Point this process at `url` (a moto server), or at nothing for `mock_aws`; drop cached clients."""
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
        os.environ.pop(name, None)
    os.environ.update(environment(url))
    from chalicelib.oauth import signing_keys
    from chalicelib.settings import get_settings
    from chalicelib.store import db, mail, secrets

    for cached in (get_settings, db.client, secrets.client, mail.client):
        cached.cache_clear()
    secrets.forget()
    signing_keys.forget_published()


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto server (its own process) on a free 127.0.0.1 port, serialised like the local stack."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "moto_serial.py"), "-H", "127.0.0.1",
                             "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("bench: the moto server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def timed_ms(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def interleaved(actions: dict[str, Callable[[], Any]], rounds: int, warmup: int = 50) -> dict[str, float]:
    """Median milliseconds per action, the actions alternating order every round (same conditions)."""
    for _ in range(warmup):
        for action in actions.values():
            action()
    samples: dict[str, list[float]] = {name: [] for name in actions}
    order = list(actions.items())
    for i in range(rounds):
        for name, action in order if i % 2 else reversed(order):
            samples[name].append(timed_ms(action))
    return {name: statistics.median(values) for name, values in samples.items()}


def median_ms(action: Callable[[], Any], runs: int) -> float:
    return statistics.median(timed_ms(action) for _ in range(runs))


class StoreClock:
    """Wall time spent inside DynamoDB calls (moto's share), via botocore's hooks on the store's client."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __enter__(self) -> StoreClock:
        from chalicelib.store import db

        events = db.client().meta.events
        events.register("before-call.dynamodb", self._before, unique_id="bench-store-before")
        events.register("after-call.dynamodb", self._after, unique_id="bench-store-after")
        return self

    def __exit__(self, *_: object) -> None:
        from chalicelib.store import db

        events = db.client().meta.events
        events.unregister("before-call.dynamodb", unique_id="bench-store-before")
        events.unregister("after-call.dynamodb", unique_id="bench-store-after")

    def _before(self, **_: Any) -> None:
        self._started = time.perf_counter()

    def _after(self, **_: Any) -> None:
        self.seconds += time.perf_counter() - self._started


def split_ms(action: Callable[[], Any]) -> tuple[float, float]:
    """(total, of which inside DynamoDB calls) milliseconds of one run of `action`."""
    with StoreClock() as store:
        total = timed_ms(action)
    return total, store.seconds * 1000


def ms(value: float) -> str:
    return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms"


def ratio(value: float, floor: float) -> str:
    return f"{value / floor:.2f}×"


def main(rows: Callable[[], list[Row]]) -> None:
    """A benchmark module run on its own: its rows as a table, or as JSON with --json (for bench)."""
    import json

    found = rows()
    if "--json" in sys.argv[1:]:
        print(json.dumps([row.__dict__ for row in found]))
        return
    print("| benchmark | result | target |\n|---|---|---|")
    for row in found:
        print(row.markdown())


@contextmanager
def signed_in_owner(email: str, password: str) -> Iterator[Any]:
    """The whole app in process under moto (`mock_aws`), with a new account signed in: its
    `tests.conftest.Browser` (`.client` is the chalice test client)."""
    from chalice.test import Client
    from moto import mock_aws

    configure(None)
    with mock_aws():
        from app import app
        from chalicelib.bootstrap import bootstrap
        from tests.conftest import Browser

        bootstrap()
        with Client(app, stage_name="dev") as client:
            owner = Browser(client)
            owner.post("/signup", {"email": email, "password": password, "workspace": "Bench"})
            owner.login(email, password)
            yield owner
