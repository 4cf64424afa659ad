"""What the authorizer costs per request: DynamoDB calls, latency, decisions per second.

    .venv/bin/python -m bench.authorizer

Against its own moto server, with one API key and one OAuth access token (JWT):

1. DynamoDB calls per `/v1` request through the whole Chalice stack (chalice.test.Client,
   authorizer and rate limiter included), counted with botocore's event hook on the store's
   client and split by what they touch: the credential (authorizer) or the counter (limiter).
2. Median latency of one API-key decision next to a bare GetItem of the same item on the same
   server, interleaved in the same run.
3. Decisions per second on one thread, API key and JWT (each one consistent GetItem), from
   the medians of the same interleaved run.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from bench.common import Row, configure, interleaved, main, moto_server, ms, ratio

REQUESTS = 200


def credentials() -> tuple[str, str]:
    """An API key and an access token of a stored grant (keys and table from bootstrap)."""
    from chalicelib import clock
    from chalicelib.apikeys import manage
    from chalicelib.bootstrap import bootstrap
    from chalicelib.oauth import access_tokens
    from chalicelib.store import db

    bootstrap()
    caller = manage.Caller("ws_bench", "usr_bench", "usr_bench", "127.0.0.1", "bench")
    key = str(manage.issue(caller, manage.KeyRequest("bench", ["read"], None, None))["key"])
    now = clock.now()
    grant = {"id": "grt_bench", "user_id": "usr_bench", "workspace_id": "ws_bench", "client_id": "cli_bench",
             "scopes": ["read"], "created_at": now, "expires_at": now + 86400}
    db.put({"pk": "GRANT#grt_bench", "sk": "GRANT", **grant})
    return key, access_tokens.issue(grant, "read")


def calls_per_request(credential: str, requests: int = REQUESTS) -> dict[str, float]:
    """DynamoDB operations per GET /v1/me, keyed `<what>:<Operation>`."""
    from chalice.test import Client

    from app import app
    from chalicelib.store import db

    counts: Counter[str] = Counter()

    def count(model: Any, params: dict[str, Any], **_: Any) -> None:
        pk = str((params.get("Key") or {}).get("pk", {}).get("S", ""))
        counts[f"{'limiter' if pk.startswith('RL#') else 'authorizer'}:{model.name}"] += 1

    events = db.client().meta.events
    with Client(app, stage_name="dev") as client:
        client.http.get("/v1/me", headers={"Authorization": f"Bearer {credential}"})  # first-use writes
        events.register("before-parameter-build.dynamodb", count, unique_id="bench-count")
        try:
            for _ in range(requests):
                answer = client.http.get("/v1/me", headers={"Authorization": f"Bearer {credential}"})
                assert answer.status_code == 200, answer.body
        finally:
            events.unregister("before-parameter-build.dynamodb", unique_id="bench-count")
    return {name: n / requests for name, n in sorted(counts.items())}


def _calls(per_request: dict[str, float], who: str) -> str:
    found = [f"{n:g} {name.split(':')[1]}" for name, n in per_request.items() if name.startswith(who)]
    return " + ".join(found) or "none"


def rows() -> list[Row]:
    from chalicelib import authorizer
    from chalicelib.apikeys import keyformat
    from chalicelib.store import db

    with moto_server() as url:
        configure(url)
        key, jwt_token = credentials()
        by_key, by_jwt = calls_per_request(key), calls_per_request(jwt_token)
        request = {"TableName": db.table(), "ConsistentRead": True,
                   "Key": db.key(f"APIKEY#{keyformat.digest(key)}", "KEY")}
        client = db.client()
        medians = interleaved({"decision": lambda: authorizer.authorize(f"Bearer {key}"),
                               "jwt": lambda: authorizer.authorize(f"Bearer {jwt_token}"),
                               "get_item": lambda: client.get_item(**request)}, rounds=1000)
    key_rate, jwt_rate = 1000 / medians["decision"], 1000 / medians["jwt"]
    return [
        Row(f"DynamoDB calls per `/v1` request, API key (`bench.authorizer`, {REQUESTS} requests)",
            f"authorizer {_calls(by_key, 'authorizer')}; limiter {_calls(by_key, 'limiter')}",
            "1 read + the limiter's 1 write"),
        Row("DynamoDB calls per `/v1` request, OAuth access token (JWT)",
            f"authorizer {_calls(by_jwt, 'authorizer')} (the grant); limiter {_calls(by_jwt, 'limiter')}",
            "1 read + the limiter's 1 write"),
        Row("API-key authorizer decision vs bare GetItem, same moto server",
            f"{ms(medians['decision'])} vs {ms(medians['get_item'])} "
            f"({ratio(medians['decision'], medians['get_item'])})", "≤ 1.2×"),
        Row("Authorizer decisions per second, one thread against moto: API key / JWT (bare GetItem)",
            f"{key_rate:.0f}/s / {jwt_rate:.0f}/s ({1000 / medians['get_item']:.0f}/s)",
            "bound by the one GetItem"),
    ]


if __name__ == "__main__":
    main(rows)
