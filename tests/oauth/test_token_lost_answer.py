"""The token endpoint when its transaction landed but the answer was lost (a read timeout).

The code exchange (a conditional redemption, then one transaction for the grant) and the
refresh rotation (one transaction) write this way. If a write committed
and only its answer was lost, the request succeeds with the tokens it stored; it is never
mistaken for a replay of itself (which would revoke the grant it just made).
"""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Browser, body_of
from tests.faults import failing
from tests.keys import call
from tests.lost_answers import answer_lost
from tests.oauth.conftest import OAuthClient, exchange, get_code, refresh, tokens_for


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.body
    return dict(json.loads(response.body))


def _works(browser: Browser, issued: dict[str, Any]) -> None:
    assert call(browser.client, "GET", "/v1/me", issued["access_token"]).status_code == 200


def test_an_exchange_that_landed_answers_with_working_tokens(browser: Browser,
                                                             confidential: OAuthClient) -> None:
    code = get_code(browser, confidential)
    with answer_lost("TransactWriteItems") as lost:
        issued = _ok(exchange(browser, confidential, code))
    assert lost == ["TransactWriteItems"]
    _works(browser, issued)  # not revoked as a "replay" of our own redemption
    _works(browser, _ok(refresh(browser, confidential, issued["refresh_token"])))


def test_a_redemption_that_landed_is_not_a_replay_of_itself(browser: Browser,
                                                             confidential: OAuthClient) -> None:
    code = get_code(browser, confidential)
    with answer_lost("UpdateItem", only=lambda body: body["Key"]["pk"]["S"].startswith("CODE#")) as lost:
        issued = _ok(exchange(browser, confidential, code))
    assert lost == ["UpdateItem"]
    _works(browser, issued)


def test_an_exchange_that_did_not_land_is_a_503_and_the_code_still_works(
        browser: Browser, confidential: OAuthClient) -> None:
    code = get_code(browser, confidential)
    with failing("timeout", "TransactWriteItems"):
        answer = exchange(browser, confidential, code)
    assert answer.status_code == 503 and body_of(answer)["error"] == "temporarily_unavailable"
    _works(browser, _ok(exchange(browser, confidential, code)))


def test_a_rotation_that_landed_answers_with_the_stored_successor(browser: Browser,
                                                                  confidential: OAuthClient) -> None:
    first = tokens_for(browser, confidential)
    with answer_lost("TransactWriteItems") as lost:  # the successor and the grant's conditional update
        rotated = _ok(refresh(browser, confidential, first["refresh_token"]))
    assert lost == ["TransactWriteItems"]
    _works(browser, rotated)
    _works(browser, _ok(refresh(browser, confidential, rotated["refresh_token"])))
