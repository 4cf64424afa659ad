"""Lockouts run from the failures, not the clock (issue 14, finding 4): 5 failed sign-ins lock
the email for ~15 minutes from the failure that tripped the lock, whatever the time of day,
and Retry-After says how long is left. The same Lockout serves the per-IP sign-in limit,
client-secret failures and the authorize limit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.errors import RateLimited
from chalicelib.oauth import brute_force
from chalicelib.ratelimit import Lockout
from tests.conftest import PASSWORD, Account, body_of

QUARTER = 900


class Clock:
    def __init__(self, start: int):
        self.now = start

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    # 5 s before a quarter hour: where the clock-aligned windows locked for only 5 s.
    ticking = Clock(1_800_000_000 - 1_800_000_000 % QUARTER + QUARTER - 5)
    monkeypatch.setattr("chalicelib.clock.now", ticking)
    return ticking


def login(client: Client, email: str, password: str) -> Any:
    return client.http.post("/login", headers={"Content-Type": "application/json"},
                            body=json.dumps({"email": email, "password": password}).encode())


def test_five_failures_before_a_quarter_hour_lock_for_fifteen_minutes(client: Client, account: Account,
                                                                       clock: Clock) -> None:
    for _ in range(5):
        assert login(client, account.email, "wrong").status_code == 401
    clock.now += 10  # across the quarter hour
    locked = login(client, account.email, PASSWORD)
    assert locked.status_code == 429
    assert QUARTER - 15 <= int(locked.headers["Retry-After"]) <= QUARTER
    assert "minute" in body_of(locked)["error_description"]
    clock.now += QUARTER - 20
    still = login(client, account.email, PASSWORD)
    assert still.status_code == 429 and int(still.headers["Retry-After"]) <= 10
    clock.now += 11
    assert login(client, account.email, PASSWORD).status_code == 200


def test_ten_guesses_do_not_fit_across_a_boundary(client: Client, account: Account, clock: Clock) -> None:
    answers = []
    for _ in range(10):
        answers.append(login(client, account.email, "wrong").status_code)
        clock.now += 1
    assert answers == [401] * 5 + [429] * 5


@pytest.mark.parametrize("lockout", [Lockout("test-kind", 3, 900), brute_force.CLIENT_AUTH,
                                     brute_force.authorize_lock()])
def test_every_lockout_runs_from_its_failures(aws: None, clock: Clock, lockout: Lockout) -> None:
    subject = "203.0.113.9"
    for _ in range(lockout.limit - 1):
        lockout.fail(subject)
        lockout.check(subject)
    clock.now += 300
    assert lockout.fail(subject) is True  # this failure trips the lock
    clock.now += 30
    with pytest.raises(RateLimited) as locked:
        lockout.check(subject)
    assert locked.value.retry_after == lockout.window - 30
    clock.now += lockout.window - 30
    lockout.check(subject)  # over: and a new failure starts a new count
    assert lockout.fail(subject) is (lockout.limit == 1)


def test_failures_older_than_the_window_are_forgotten(aws: None, clock: Clock) -> None:
    lockout = Lockout("test-old", 3, 900)
    lockout.fail("x")
    lockout.fail("x")
    clock.now += 901
    assert lockout.fail("x") is False
    assert lockout.fail("x") is False
    assert lockout.fail("x") is True
