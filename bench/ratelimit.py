"""What the /v1 rate limiter costs per request: DynamoDB calls and added latency.

    .venv/bin/python -m bench.ratelimit [--rounds 1000]

Against its own moto server: the calls one `ratelimit.consume` makes (counted with
botocore's event hook; target exactly one write), and its median latency next to a
bare GetItem on the same server in the same run (interleaved).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from typing import Any

from bench.authorizer import configure, start_moto


def measure(rounds: int) -> tuple[Counter[str], dict[str, float]]:
    from chalicelib import ratelimit
    from chalicelib.bootstrap import bootstrap
    from chalicelib.store import db

    bootstrap()
    client = db.client()
    request = {"TableName": db.table(), "Key": db.key("RL#bench", "COUNT")}
    counts: Counter[str] = Counter()
    client.meta.events.register("before-call.dynamodb", lambda model, **_: counts.update([model.name]),
                                unique_id="bench-count")
    ratelimit.consume("bench-count", 10**9)
    client.meta.events.unregister("before-call.dynamodb", unique_id="bench-count")

    def consume() -> Any:
        return ratelimit.consume("bench", 10**9)

    def get_item() -> Any:
        return client.get_item(**request)

    samples: dict[str, list[float]] = {"consume": [], "get_item": []}
    for _ in range(50):
        consume(), get_item()
    for i in range(rounds):
        order = (("consume", consume), ("get_item", get_item))
        for name, run in order if i % 2 else reversed(order):
            started = time.perf_counter()
            run()
            samples[name].append((time.perf_counter() - started) * 1000)
    return counts, {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1000)
    args = parser.parse_args()
    proc, url = start_moto()
    try:
        configure(url)
        counts, medians = measure(args.rounds)
        print(f"DynamoDB calls per rate-limited request: {dict(counts)}")
        print(f"Latency, median of {args.rounds} interleaved rounds: limiter "
              f"{medians['consume']:.3f} ms, bare GetItem {medians['get_item']:.3f} ms, "
              f"ratio {medians['consume'] / medians['get_item']:.2f}x")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
