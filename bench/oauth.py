"""OAuth costs: JWT verification CPU vs a bare jwt.decode, and token-endpoint latency.

    .venv/bin/python -m bench.oauth

1. CPU time (time.process_time) of the authorizer's JWT decision without its DynamoDB read
   (Authorization header parsing, header checks, key lookup, signature and claims, the grant
   and jti checks against an already-read grant item, the principal's context) against a bare
   `jwt.decode(token, key, algorithms=["ES256"], audience=..., issuer=...)` of the same token,
   interleaved in batches in the same run (in-process, moto's `mock_aws`). Target: <= 1.5x.
2. Median latency of POST /oauth/token through the whole Chalice app (chalice.test.Client)
   against a fresh moto server per client kind: authorization_code exchanges and refresh_token
   rotations, for a confidential client (client_secret_basic: one Argon2id verification per
   request) and a public client (none + PKCE), and how much of it is our code (the rest is
   spent inside DynamoDB calls: moto copies the whole table on every transaction, so its share
   grows with the table and says nothing about DynamoDB). Codes are issued beforehand.
"""

from __future__ import annotations

import base64
import json
import statistics
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from bench.common import Row, configure, main, moto_server, ms, ratio, split_ms

VERIFIER = "bench-verifier-" + "x" * 40
REDIRECT = "https://bench.example.com/cb"
REQUESTS = 50


def cpu_per_call(action: Callable[[], object], calls: int) -> float:
    started = time.process_time()
    for _ in range(calls):
        action()
    return (time.process_time() - started) / calls


def jwt_cost(rounds: int = 3000) -> dict[str, float]:
    """Median CPU microseconds per call of both paths, interleaved in batches of 100."""
    import jwt
    from moto import mock_aws

    configure(None)
    with mock_aws():
        from chalicelib import authorizer
        from chalicelib.bootstrap import bootstrap
        from chalicelib.oauth import access_tokens, signing_keys
        from chalicelib.settings import get_settings

        bootstrap()
        grant = {"id": "grt_bench", "user_id": "usr_bench", "workspace_id": "ws_bench",
                 "client_id": "cli_bench", "revoked_jtis": {"some-other-jti"}}
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


def issue_codes(client: dict[str, Any], count: int) -> list[str]:
    from chalicelib.oauth import authorize, pkce

    query = {"response_type": ["code"], "client_id": [client["client_id"]], "redirect_uri": [REDIRECT],
             "scope": ["read write"], "code_challenge": [pkce.s256(VERIFIER)],
             "code_challenge_method": ["S256"]}
    request = authorize.validate(query)
    locations = [authorize.approve(request, "usr_bench", "ws_bench") for _ in range(count)]
    return [location.split("code=", 1)[1].split("&", 1)[0] for location in locations]


def post(http: Any, fields: dict[str, str], client_id: str, secret: str | None) -> dict[str, Any]:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if secret:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    else:
        fields = {**fields, "client_id": client_id}
    answer = http.post("/oauth/token", headers=headers, body=urlencode(fields).encode())
    assert answer.status_code == 200, answer.body
    body: dict[str, Any] = json.loads(answer.body)
    return body


def token_latency(kind: str, requests: int = REQUESTS) -> dict[str, tuple[float, float]]:
    """Median (total, our code) ms of POST /oauth/token per grant type, for one client of `kind`."""
    from chalice.test import Client

    from app import app
    from chalicelib.bootstrap import bootstrap
    from chalicelib.oauth import clients

    bootstrap()
    client = clients.register("ws_bench", "usr_bench", {"name": f"bench {kind}", "type": kind,
                                                       "redirect_uris": [REDIRECT], "scopes": ["write"]})
    client_id, secret = client["client_id"], client.get("client_secret")
    codes, refresh_tokens = issue_codes(client, requests), []
    exchanges, rotations = [], []
    with Client(app, stage_name="dev") as test_client:
        for code in codes:
            fields = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                      "code_verifier": VERIFIER}
            exchanges.append(split_ms(lambda f=fields: refresh_tokens.append(
                post(test_client.http, f, client_id, secret)["refresh_token"])))
        for token in refresh_tokens:
            fields = {"grant_type": "refresh_token", "refresh_token": token}
            rotations.append(split_ms(lambda f=fields: post(test_client.http, f, client_id, secret)))
    return {"authorization_code": _medians(exchanges), "refresh_token": _medians(rotations)}


def _medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(t for t, _ in samples), statistics.median(t - store for t, store in samples)


def _latency(kind: str) -> dict[str, tuple[float, float]]:
    with moto_server() as url:
        configure(url)
        return token_latency(kind)


def _pair(costs: dict[str, tuple[float, float]]) -> str:
    (code, code_ours), (rotate, rotate_ours) = costs["authorization_code"], costs["refresh_token"]
    return f"{ms(code)} / {ms(rotate)} (our code {ms(code_ours)} / {ms(rotate_ours)})"


def rows() -> list[Row]:
    cost = jwt_cost()
    confidential, public = _latency("confidential"), _latency("public")
    return [
        Row("JWT decision CPU without the read vs bare `jwt.decode` (`bench.oauth`)",
            f"{cost['decision']:.0f} µs vs {cost['bare']:.0f} µs ({ratio(cost['decision'], cost['bare'])})",
            "≤ 1.5×"),
        Row(f"`POST /oauth/token` against moto, median of {REQUESTS}: code exchange / refresh "
            "(our code = total minus time inside DynamoDB calls)",
            f"confidential (SHA-256 secret) {_pair(confidential)}; public (PKCE) {_pair(public)}",
            "a few ms of our own code per request"),
    ]


if __name__ == "__main__":
    main(rows)
