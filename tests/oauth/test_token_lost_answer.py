"""The token endpoint when its write landed but the answer was lost (a read timeout).

The code exchange (the grant's conditional redemption) and the refresh rotation (the
grant's conditional update) are one write each. If it committed and only its answer was
lost, the request succeeds with the tokens it stored; it is never mistaken for a replay of
itself (which would revoke the grant it just made).
"""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Browser, body_of
from tests.faults import failing
from tests.keys import call
from tests.lost_answers import answer_lost
from tests.oauth.conftest import OAuthClient, exchange, get_code, refresh, register, tokens_for


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.body
    return dict(json.loads(response.body))


def _works(browser: Browser, issued: dict[str, Any]) -> None:
    assert call(browser.client, "GET", "/v1/me", issued["access_token"]).status_code == 200


def _grant_writes(body: dict[str, Any]) -> bool:
    return bool(body["Key"]["pk"]["S"].startswith("GRANT#"))


def test_a_redemption_that_landed_is_not_a_replay_of_itself(browser: Browser,
                                                             confidential: OAuthClient) -> None:
    code = get_code(browser, confidential)
    with answer_lost("UpdateItem", only=_grant_writes) as lost:
        issued = _ok(exchange(browser, confidential, code))
    assert lost == ["UpdateItem"]
    _works(browser, issued)  # not revoked as a "replay" of our own redemption
    _works(browser, _ok(refresh(browser, confidential, issued["refresh_token"])))


def test_a_lost_redemption_without_a_refresh_token_fails_closed(browser: Browser) -> None:
    """Nothing but the refresh digest tells our redemption from another's: without one the
    answer is a 503, and the code, spent, is refused as a replay afterwards."""
    short_lived = register(browser, grant_types=["authorization_code"])
    code = get_code(browser, short_lived)
    with answer_lost("UpdateItem", only=_grant_writes):
        answer = exchange(browser, short_lived, code)
    assert answer.status_code == 503 and body_of(answer)["error"] == "temporarily_unavailable"
    again = exchange(browser, short_lived, code)
    assert again.status_code == 400 and "already used" in body_of(again)["error_description"]


def test_an_exchange_that_did_not_land_is_a_503_and_the_code_still_works(
        browser: Browser, confidential: OAuthClient) -> None:
    code = get_code(browser, confidential)
    with failing("timeout", "UpdateItem", only=_grant_writes):
        answer = exchange(browser, confidential, code)
    assert answer.status_code == 503 and body_of(answer)["error"] == "temporarily_unavailable"
    _works(browser, _ok(exchange(browser, confidential, code)))


def test_a_rotation_that_landed_answers_with_the_stored_successor(browser: Browser,
                                                                  confidential: OAuthClient) -> None:
    first = tokens_for(browser, confidential)
    with answer_lost("UpdateItem", only=_grant_writes) as lost:  # the grant's conditional update
        rotated = _ok(refresh(browser, confidential, first["refresh_token"]))
    assert lost == ["UpdateItem"]
    _works(browser, rotated)
    _works(browser, _ok(refresh(browser, confidential, rotated["refresh_token"])))
