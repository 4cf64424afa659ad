"""What the /v1 rate limiter costs per request: DynamoDB calls and added latency.

    .venv/bin/python -m bench.ratelimit

Against its own moto server: the calls one `ratelimit.consume` makes (counted with
botocore's event hook; target exactly one write), and its median latency next to a
bare GetItem on the same server in the same run (interleaved).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from bench.common import Row, configure, interleaved, main, moto_server, ms, ratio


def rows() -> list[Row]:
    from chalicelib import ratelimit
    from chalicelib.bootstrap import bootstrap
    from chalicelib.store import db

    with moto_server() as url:
        configure(url)
        bootstrap()
        client = db.client()
        counts: Counter[str] = Counter()

        def count(model: Any, **_: Any) -> None:
            counts[model.name] += 1

        client.meta.events.register("before-call.dynamodb", count, unique_id="bench-count")
        ratelimit.consume("bench-count", 10**9)
        client.meta.events.unregister("before-call.dynamodb", unique_id="bench-count")
        request = {"TableName": db.table(), "Key": db.key("RL#bench", "COUNT")}
        medians = interleaved({"consume": lambda: ratelimit.consume("bench", 10**9),
                               "get_item": lambda: client.get_item(**request)}, rounds=1000)
    calls = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
    return [Row("Rate limiter per `/v1` request (`bench.ratelimit`)",
                f"{calls}; {ms(medians['consume'])} vs GetItem {ms(medians['get_item'])} "
                f"({ratio(medians['consume'], medians['get_item'])})", "exactly 1 write")]


if __name__ == "__main__":
    main(rows)
