"""What every benchmark shares: a real moto server on a free port, medians, a result row."""

from __future__ import annotations

import os
import socket
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    name: str
    value: str
    target: str = ""
    note: str = ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def local_environment(endpoint: str) -> dict[str, str]:
    return {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": endpoint, "TASKFORGE_TABLE": "taskforge-auth",
            "TASKFORGE_ISSUER": "http://127.0.0.1:8000"}


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto server on 127.0.0.1 with the table and keys bootstrapped; yields its URL."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    saved = dict(os.environ)
    os.environ.update(local_environment(endpoint))
    try:
        from chalicelib.settings import get_settings
        from chalicelib.store import db

        get_settings.cache_clear()
        db.client.cache_clear()
        from chalicelib.bootstrap import bootstrap

        bootstrap()
        yield endpoint
    finally:
        server.stop()
        os.environ.clear()
        os.environ.update(saved)


def median_seconds(action: Callable[[], object], runs: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"
