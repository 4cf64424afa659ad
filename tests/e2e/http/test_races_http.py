"""Races over HTTP against the local stack: many threads at once, at most one winner.

The stack's moto server serves one request at a time (scripts/moto_serial.py), as atomic as
DynamoDB's conditional writes and transactions; chalice local serves each request on its own
thread with its own `current_request`, like concurrent Lambda containers. So what races here is
our code: the conditions that make a code and a refresh token single-use.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from chalicelib.oauth import pkce
from tests.e2e.conftest import Stack
from tests.e2e.http.test_apikeys_http import sign_up_and_in
from tests.e2e.http.test_oauth_http import REDIRECT, Person

THREADS = 8
VERIFIER = "race-verifier-" + "r" * 40


def all_at_once(action: Callable[[], requests.Response], threads: int = THREADS) -> list[requests.Response]:
    """Run `action` on `threads` threads released together by a barrier."""
    barrier = threading.Barrier(threads)

    def run(_: int) -> requests.Response:
        barrier.wait()
        return action()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(run, range(threads)))


def code_for(stack: Stack, person: Person, client: dict[str, Any]) -> str:
    query = {"response_type": "code", "client_id": client["client_id"], "redirect_uri": REDIRECT,
             "scope": "read", "state": "race", "code_challenge": pkce.s256(VERIFIER),
             "code_challenge_method": "S256"}
    location = person.authorize(f"{stack.url}/oauth/authorize?{urlencode(query)}")
    return parse_qs(urlsplit(location).query)["code"][0]


def token(stack: Stack, client: dict[str, Any], fields: dict[str, str]) -> requests.Response:
    return requests.post(f"{stack.url}/oauth/token", data=fields, timeout=60,
                         auth=(client["client_id"], client["client_secret"]))


def me(stack: Stack, credential: str) -> requests.Response:
    return requests.get(f"{stack.url}/v1/me", headers={"Authorization": f"Bearer {credential}"}, timeout=30)


def winners(answers: list[requests.Response]) -> list[requests.Response]:
    losers = [a for a in answers if a.status_code != 200]
    assert all(a.status_code == 400 and a.json()["error"] == "invalid_grant" for a in losers), \
        [(a.status_code, a.text) for a in losers]
    return [a for a in answers if a.status_code == 200]


def test_one_code_redeemed_by_many_threads_is_redeemed_once_and_issues_nothing_usable(stack: Stack) -> None:
    person = Person(stack)
    client = person.register("confidential")
    code = code_for(stack, person, client)
    fields = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
              "code_verifier": VERIFIER}
    answers = all_at_once(lambda: token(stack, client, fields))
    # One thread's conditional write redeems the code; the others are replays (RFC 6749 §4.1.2),
    # which revoke the grant it activated: no token that works comes out.
    assert len(winners(answers)) == 1
    for winner in winners(answers):
        assert me(stack, winner.json()["access_token"]).status_code == 401
    again = token(stack, client, fields)
    assert again.status_code == 400 and "already used" in again.json()["error_description"]


def test_one_refresh_token_rotated_by_many_threads_has_exactly_one_winner(stack: Stack) -> None:
    person = Person(stack)
    client = person.register("confidential")
    code = code_for(stack, person, client)
    issued = token(stack, client, {"grant_type": "authorization_code", "code": code,
                                   "redirect_uri": REDIRECT, "code_verifier": VERIFIER})
    assert issued.status_code == 200, issued.text
    fields = {"grant_type": "refresh_token", "refresh_token": issued.json()["refresh_token"]}
    [winner] = winners(all_at_once(lambda: token(stack, client, fields)))
    # The losers presented a token that had just been replaced: a reuse (RFC 9700 §4.14.2), so
    # with the default grace period of 0 the whole grant ends, the winner's tokens included.
    successor = {"grant_type": "refresh_token", "refresh_token": winner.json()["refresh_token"]}
    assert token(stack, client, successor).json()["error"] == "invalid_grant"


def test_concurrent_requests_each_see_their_own_caller(stack: Stack) -> None:
    """chalice local's `current_request` is per thread: no answer carries another caller's identity."""
    keys = [sign_up_and_in(stack).create_key(["read"], rate_limit_per_minute=10000) for _ in range(4)]
    expected = {key["key"]: key["id"] for key in keys}
    credentials = [key["key"] for key in keys] * 10

    def check(credential: str) -> tuple[str, str]:
        answer = me(stack, credential)
        assert answer.status_code == 200, answer.text
        return expected[credential], answer.json()["credential_id"]

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        pairs = list(pool.map(check, credentials))
    assert all(want == got for want, got in pairs)
