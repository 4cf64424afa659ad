"""Sign-in does the same work whether or not the email has an account (issue 14, finding 3):
the same DynamoDB calls, in the same order, and one Argon2id verification, for a wrong password
and for an unknown email. Timings are measured in bench/signin_timing.py, never asserted."""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.test import Client

from chalicelib import hashing
from chalicelib.store import db
from tests.conftest import Account


def calls_of(client: Client, email: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], int]:
    seen: list[str] = []
    verified: list[int] = []
    real_verify = hashing.verify

    def verify(stored: Any, password: str) -> bool:
        verified.append(1)
        return real_verify(stored, password)

    monkeypatch.setattr(hashing, "verify", verify)

    def count(model: Any, **_: Any) -> None:
        seen.append(model.name)

    events = db.client().meta.events
    events.register("before-call.dynamodb", count, unique_id="test-signin-calls")
    try:
        response = client.http.post("/login", headers={"Content-Type": "application/json"},
                                    body=json.dumps({"email": email, "password": "wrong"}).encode())
    finally:
        events.unregister("before-call.dynamodb", unique_id="test-signin-calls")
    assert response.status_code == 401
    return seen, len(verified)


def test_wrong_password_and_unknown_email_do_the_same_work(client: Client, account: Account,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    for email in (account.email, "nobody-here@example.com"):  # both lockout windows now running
        calls_of(client, email, monkeypatch)
    known = calls_of(client, account.email, monkeypatch)
    unknown = calls_of(client, "nobody-here@example.com", monkeypatch)
    assert known == unknown
    assert known[1] == 1 and "PutItem" in known[0]
