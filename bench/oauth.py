"""OAuth costs: JWT verification CPU time vs a bare jwt.decode, and token-endpoint throughput.

    .venv/bin/python -m bench.oauth [--rounds 3000] [--requests 200]

Runs in-process under moto's `mock_aws` (no network), table and keys from `bootstrap()`.

1. CPU time (time.process_time) of the authorizer's JWT decision without its DynamoDB read
   (Authorization header parsing, header checks, key lookup, signature and claims, the grant
   and jti checks against an already-read grant item, the principal's context) against a bare
   `jwt.decode(token, key, algorithms=["ES256"], audience=..., issuer=...)` of the same token,
   interleaved in batches in the same run. Target: <= 1.5x.
2. Requests per second at POST /oauth/token through the whole Chalice app (chalice.test.Client):
   authorization_code exchanges and refresh_token rotations, for a confidential client
   (client_secret_basic: one Argon2id verification per request) and a public client (none).
   Codes are issued beforehand, outside the timing.
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                   "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
                   "TASKFORGE_TABLE": "taskforge-bench", "TASKFORGE_LOG_LEVEL": "WARNING",
                   "TASKFORGE_ISSUER": "http://127.0.0.1:8000"})
for _name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
    os.environ.pop(_name, None)

VERIFIER = "bench-verifier-" + "x" * 40
REDIRECT = "https://bench.example.com/cb"


def cpu_per_call(action: Callable[[], object], calls: int) -> float:
    started = time.process_time()
    for _ in range(calls):
        action()
    return (time.process_time() - started) / calls


def jwt_cost(rounds: int) -> dict[str, float]:
    """Median CPU microseconds per call of both paths, interleaved in batches of 100."""
    import jwt

    from chalicelib import authorizer
    from chalicelib.oauth import access_tokens, signing_keys
    from chalicelib.settings import get_settings

    grant = {"id": "grt_bench", "user_id": "usr_bench", "workspace_id": "ws_bench", "client_id": "cli_bench",
             "revoked_jtis": {"some-other-jti"}}
    token = access_tokens.issue(grant, "read write")
    header = f"Bearer {token}"
    settings, keyset = get_settings(), signing_keys.current()
    public_key = keyset.public_keys[keyset.kid]

    def decision() -> object:
        claims = access_tokens.decode(authorizer.bearer_token(header))
        access_tokens.check_grant(claims, grant)
        return access_tokens.principal(claims).context()

    def bare() -> object:
        return jwt.decode(token, public_key, algorithms=["ES256"], audience=settings.audience,
                          issuer=settings.issuer)

    for _ in range(200):
        decision(), bare()
    samples: dict[str, list[float]] = {"decision": [], "bare": []}
    for i in range(max(1, rounds // 100)):
        order = [("decision", decision), ("bare", bare)]
        for name, action in order if i % 2 else reversed(order):
            samples[name].append(cpu_per_call(action, 100) * 1e6)
    return {name: statistics.median(values) for name, values in samples.items()}


def make_client(kind: str) -> tuple[dict[str, Any], str | None]:
    from chalicelib.oauth import clients

    created = clients.register("ws_bench", "usr_bench", {"name": f"bench {kind}", "type": kind,
                                                        "redirect_uris": [REDIRECT], "scopes": ["write"]})
    return created, created.get("client_secret")


def issue_codes(client: dict[str, Any], count: int) -> list[str]:
    from chalicelib.oauth import authorize, pkce

    query = {"response_type": ["code"], "client_id": [client["client_id"]], "redirect_uri": [REDIRECT],
             "scope": ["read write"], "code_challenge": [pkce.s256(VERIFIER)],
             "code_challenge_method": ["S256"]}
    request = authorize.validate(query)
    codes = []
    for _ in range(count):
        location = authorize.approve(request, "usr_bench", "ws_bench")
        codes.append(location.split("code=", 1)[1].split("&", 1)[0])
    return codes


def post(http: Any, fields: dict[str, str], client_id: str, secret: str | None) -> dict[str, Any]:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if secret:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    else:
        fields = {**fields, "client_id": client_id}
    answer = http.post("/oauth/token", headers=headers, body=urlencode(fields).encode())
    assert answer.status_code == 200, answer.body
    import json

    body: dict[str, Any] = json.loads(answer.body)
    return body


class StoreClock:
    """Wall time spent inside DynamoDB calls (moto's work under mock_aws), via botocore's hooks."""

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


def timed(label: str, requests: int, run: Callable[[], None]) -> str:
    with StoreClock() as store:
        started = time.perf_counter()
        run()
        total = time.perf_counter() - started
    ours = total - store.seconds
    return (f"{label} {requests / total:.0f} req/s ({total / requests * 1000:.1f} ms each, of which "
            f"{store.seconds / requests * 1000:.1f} ms in moto; without moto {requests / ours:.0f} req/s)")


def throughput(kind: str, requests: int) -> list[str]:
    """One fresh mock account per client kind, so moto's per-transaction table copy stays small."""
    from chalice.test import Client
    from moto import mock_aws

    from chalicelib.bootstrap import bootstrap
    from chalicelib.settings import get_settings
    from chalicelib.store import db, secrets

    for cached in (get_settings, db.client, secrets.client):
        cached.cache_clear()
    secrets.forget()
    with mock_aws():
        bootstrap()
        from app import app

        client, secret = make_client(kind)
        codes = issue_codes(client, requests)
        refresh_tokens: list[str] = []
        with Client(app, stage_name="dev") as test_client:
            def exchange() -> None:
                for code in codes:
                    body = post(test_client.http, {"grant_type": "authorization_code", "code": code,
                                                   "redirect_uri": REDIRECT, "code_verifier": VERIFIER},
                                client["client_id"], secret)
                    refresh_tokens.append(body["refresh_token"])

            def rotate() -> None:
                for token in refresh_tokens:
                    post(test_client.http, {"grant_type": "refresh_token", "refresh_token": token},
                         client["client_id"], secret)

            lines = [timed("authorization_code", requests, exchange),
                     timed("refresh_token", requests, rotate)]
        lines.append(f"(table: {item_count()} items at the end)")
        return lines


def item_count() -> int:
    from chalicelib.store import db

    return int(db.call("scan", TableName=db.table(), Select="COUNT")["Count"])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    from moto import mock_aws

    with mock_aws():
        from chalicelib.bootstrap import bootstrap

        bootstrap()
        cost = jwt_cost(args.rounds)
    ratio = cost["decision"] / cost["bare"]
    print(f"JWT verification, CPU per call (median of {args.rounds // 100} interleaved batches of 100):")
    print(f"  authorizer decision without the DynamoDB read {cost['decision']:.1f} us, "
          f"bare jwt.decode {cost['bare']:.1f} us, ratio {ratio:.2f}x (target <= 1.5x)")
    print(f"POST /oauth/token in-process (chalice.test.Client under mock_aws), "
          f"{args.requests} requests each:")
    for kind in ("confidential", "public"):
        auth = "client_secret_basic: Argon2id per request" if kind == "confidential" else "none + PKCE"
        print(f"  {kind} client ({auth}):")
        for line in throughput(kind, args.requests):
            print(f"    {line}")


if __name__ == "__main__":
    main()
