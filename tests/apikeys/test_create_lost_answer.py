"""Creating an API key whose write landed but whose answer was lost still answers 201 with a working key."""

from __future__ import annotations

from typing import Any

import pytest
from chalice.test import Client

from chalicelib.store import db
from tests.conftest import Account, Browser, body_of
from tests.faults import failing
from tests.keys import call
from tests.lost_answers import answer_lost


def is_key(params: dict[str, Any]) -> bool:
    return str(params["Item"]["pk"]["S"]).startswith("APIKEY#")


@pytest.mark.parametrize("kind", ["timeout", "retried"])
def test_a_key_whose_put_landed_is_created_once_and_works(client: Client, browser: Browser,
                                                          account: Account, kind: str) -> None:
    with answer_lost("PutItem", kind, only=is_key) as lost:
        answer = browser.post("/account/api-keys", {"label": "lost answer", "scopes": ["read"]})
    assert lost == ["PutItem"]
    assert answer.status_code == 201, answer.body
    key = body_of(answer)["key"]
    assert call(client, "GET", "/v1/me", key).status_code == 200
    listed = body_of(browser.get("/account/api-keys"))["api_keys"]
    assert [k["id"] for k in listed] == [body_of(answer)["id"]]


def test_a_key_whose_put_did_not_land_is_a_503_and_nothing_is_stored(browser: Browser,
                                                                     account: Account) -> None:
    with failing("timeout", "PutItem", only=is_key):
        answer = browser.post("/account/api-keys", {"label": "lost", "scopes": ["read"]})
    assert answer.status_code == 503
    items = db.call("scan", TableName=db.table())["Items"]
    assert not [i for i in items if i["pk"]["S"].startswith("APIKEY#")]
