"""Token endpoint throughput next to an Authlib reference server, with DynamoDB cost per request.

    .venv/bin/python -m bench.token_endpoint [--requests 100]

Both servers run in this process against one moto server serialised like the local stack's
(`scripts/moto_serial.py`; stock moto copies the whole table per transaction), on the same
table: ours is `chalicelib.oauth.token.handle` (what `POST /oauth/token` calls once the form
is parsed), the reference is `bench.authlib_reference` (Authlib's AuthorizationServer,
PKCE, ES256 JWT access tokens, rotating refresh tokens). Public clients (`none` + PKCE) on
both sides. Requests alternate ours / reference, the order swapping every round: first
`--requests` code exchanges (each round's codes issued just before it, untimed), then as
many refreshes, each presenting the refresh token the previous one returned.

DynamoDB cost is counted on both botocore clients: calls per request by operation, and
capacity units as DynamoDB bills them for items under 1 KB (all of these are): a
consistent read 1 RCU, an eventually consistent one 0.5, a write 1 WCU, each item of a
TransactWriteItems 2 WCU.
"""

from __future__ import annotations

import statistics
import sys
from collections import Counter
from collections.abc import Callable
from typing import Any

from bench.common import TABLE, Row, configure, main, moto_server, ms, timed_ms

REDIRECT = "https://bench.example.com/cb"


class Cost:
    """Calls and capacity units per request, from botocore's hook on the given clients."""

    def __init__(self, clients: list[Any]) -> None:
        self.clients = clients
        self.calls: Counter[str] = Counter()
        self.rcu = self.wcu = 0.0
        self.requests = 0

    def __enter__(self) -> Cost:
        for n, client in enumerate(self.clients):
            client.meta.events.register("before-parameter-build.dynamodb", self._count, unique_id=f"cost{n}")
        return self

    def __exit__(self, *_: object) -> None:
        for n, client in enumerate(self.clients):
            client.meta.events.unregister("before-parameter-build.dynamodb", unique_id=f"cost{n}")

    def _count(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        self.calls[model.name] += 1
        if model.name in ("GetItem", "Query"):
            self.rcu += 1.0 if params.get("ConsistentRead") else 0.5
        elif model.name == "TransactWriteItems":
            self.wcu += 2.0 * len(params["TransactItems"])
        else:
            self.wcu += 1.0

    def describe(self) -> str:
        n = max(self.requests, 1)
        calls = " + ".join(f"{count / n:g} {name}" for name, count in sorted(self.calls.items()))
        return f"{calls} ({self.rcu / n:g} RCU + {self.wcu / n:g} WCU)"


def _ours() -> tuple[Callable[[str], dict[str, Any]], Callable[[str], dict[str, Any]], dict[str, Any]]:
    from bench.oauth import VERIFIER
    from chalicelib.oauth import clients, token

    client = clients.register("ws_bench", "usr_bench", {"name": "bench public", "type": "public",
                                                       "redirect_uris": [REDIRECT], "scopes": ["write"]})
    client_id = client["client_id"]

    def exchange(code: str) -> dict[str, Any]:
        form = {"grant_type": ["authorization_code"], "code": [code], "redirect_uri": [REDIRECT],
                "code_verifier": [VERIFIER], "client_id": [client_id]}
        return token.handle(form, None)

    def refresh(refresh_token: str) -> dict[str, Any]:
        form = {"grant_type": ["refresh_token"], "refresh_token": [refresh_token], "client_id": [client_id]}
        return token.handle(form, None)

    return exchange, refresh, client


def _reference(count: int) -> tuple[Any, Callable[[str], dict[str, Any]], Callable[[str], dict[str, Any]],
                                     list[str], Callable[[], str]]:
    from bench import authlib_reference as ref
    from bench.oauth import VERIFIER
    from chalicelib.oauth import pkce, signing_keys
    from chalicelib.settings import get_settings

    store = ref.Store(TABLE)
    keyset = signing_keys.current()
    pem = (keyset.private_key.private_bytes(*_pkcs8()).decode())
    server = ref.Server(store, pem, keyset.kid, get_settings().issuer)
    ref.register_client(store, "al_bench", REDIRECT)
    challenge = pkce.s256(VERIFIER)

    def issue() -> str:
        return ref.issue_code(store, "al_bench", REDIRECT, challenge, "usr_bench")

    codes = [issue() for _ in range(count)]

    def exchange(code: str) -> dict[str, Any]:
        return ref.token(server, {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                                  "code_verifier": VERIFIER, "client_id": "al_bench"})

    def refresh(refresh_token: str) -> dict[str, Any]:
        return ref.token(server, {"grant_type": "refresh_token", "refresh_token": refresh_token,
                                  "client_id": "al_bench"})

    return store.client, exchange, refresh, codes, issue


def _pkcs8() -> tuple[Any, Any, Any]:
    from cryptography.hazmat.primitives import serialization

    return (serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def measure(requests: int) -> dict[str, Any]:
    from bench.oauth import issue_codes
    from chalicelib.bootstrap import bootstrap
    from chalicelib.store import db

    with moto_server() as url:
        configure(url)
        bootstrap()
        our_exchange, our_refresh, our_client = _ours()
        # Codes live 60 s: each round's pair is issued just before it (untimed, uncounted).
        our_codes = issue_codes(our_client, 1)
        ref_client, ref_exchange, ref_refresh, ref_codes, ref_issue = _reference(1)
        # Warm both (first JWT signature, connection set-up): not timed, not counted.
        our_token = our_exchange(our_codes.pop())["refresh_token"]
        ref_token = ref_exchange(ref_codes.pop())["refresh_token"]
        our_token = our_refresh(our_token)["refresh_token"]
        ref_token = ref_refresh(ref_token)["refresh_token"]
        kinds = ("ours_code", "ref_code", "ours_refresh", "ref_refresh")
        times: dict[str, list[float]] = {k: [] for k in kinds}
        costs = {k: Cost([db.client()] if k.startswith("ours") else [ref_client]) for k in times}
        held = {"ours": our_token, "ref": ref_token}

        def run(kind: str, action: Callable[[], Any]) -> None:
            with costs[kind]:
                times[kind].append(timed_ms(action))
            costs[kind].requests += 1

        for i in range(requests):
            ours_code, ref_code = issue_codes(our_client, 1)[0], ref_issue()
            pair = [("ours_code", lambda c=ours_code: our_exchange(c)),
                    ("ref_code", lambda c=ref_code: ref_exchange(c))]
            for kind, action in pair if i % 2 else reversed(pair):
                run(kind, action)
        for i in range(requests):
            def ours() -> None:
                held["ours"] = our_refresh(held["ours"])["refresh_token"]

            def ref() -> None:
                held["ref"] = ref_refresh(held["ref"])["refresh_token"]

            pair = [("ours_refresh", ours), ("ref_refresh", ref)]
            for kind, action in pair if i % 2 else reversed(pair):
                run(kind, action)
    return {"median": {k: statistics.median(v) for k, v in times.items()}, "costs": costs}


def rows(requests: int = 100) -> list[Row]:
    if "--requests" in sys.argv:
        requests = int(sys.argv[sys.argv.index("--requests") + 1])
    found = measure(requests)
    median, costs = found["median"], found["costs"]

    def result(grant: str) -> str:
        ours, ref = median[f"ours_{grant}"], median[f"ref_{grant}"]
        return (f"{1000 / ours:.0f}/s vs {1000 / ref:.0f}/s (**{ref / ours:.2f}×**; medians {ms(ours)} vs "
                f"{ms(ref)}); DynamoDB per request: ours {costs[f'ours_{grant}'].describe()}, "
                f"Authlib {costs[f'ref_{grant}'].describe()}")

    where = (f"`bench.token_endpoint`, one thread, {requests} requests each, interleaved, against the "
             "serialised moto server; public clients with PKCE, ES256 JWT access tokens")
    return [
        Row("Token endpoint, authorization_code exchange: ours vs an Authlib `AuthorizationServer` "
            f"reference (`bench/authlib_reference.py`) on the same table; {where}", result("code"), "≥ 1.0×"),
        Row("Token endpoint, refresh_token rotation: ours (with reuse detection) vs the Authlib reference "
            "(`RefreshTokenGrant`, rotating)", result("refresh"), "≥ 1.0×"),
    ]


if __name__ == "__main__":
    main(rows)
