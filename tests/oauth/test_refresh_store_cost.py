"""What one refresh costs in DynamoDB: the token's read and one two-item transaction (its
successor and the grant's conditional update), no read of the grant (RFC 6749 §6 rotation,
RFC 9700 §4.14.2 reuse detection kept)."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.store import db
from tests.conftest import Browser
from tests.keys import dynamodb_calls
from tests.oauth.conftest import OAuthClient, claims_of, refresh, tokens_for


def test_a_refresh_reads_the_token_and_writes_its_successor_and_the_grant(
        browser: Browser, public_client: OAuthClient) -> None:
    first = tokens_for(browser, public_client, method="none")
    sid = claims_of(first["access_token"])["sid"]
    touched: list[tuple[str, str]] = []

    def record(model: Any, params: dict[str, Any], **_: Any) -> None:
        for action in params.get("TransactItems") or [{model.name: params}]:
            [(operation, body)] = action.items()
            key = body.get("Key") or body.get("Item") or {}
            touched.append((operation, str(key.get("pk", {}).get("S", "?")).split("#")[0]))

    events = db.client().meta.events
    events.register("before-parameter-build.dynamodb", record, unique_id="refresh-cost")
    try:
        with dynamodb_calls() as calls:
            answer = refresh(browser, public_client, first["refresh_token"], method="none")
    finally:
        events.unregister("before-parameter-build.dynamodb", unique_id="refresh-cost")
    assert answer.status_code == 200, answer.body
    assert calls["TransactWriteItems"] == 1 and calls["PutItem"] == 0 and calls["UpdateItem"] == 0
    assert sorted(t for t in touched if t[1] in ("REFRESH", "GRANT")) == [
        ("GetItem", "REFRESH"), ("Put", "REFRESH"), ("Update", "GRANT")]
    grant = db.get(f"GRANT#{sid}", "GRANT", consistent=True) or {}
    new_token = json.loads(answer.body)["refresh_token"]
    assert grant["refresh_digest"] != grant["previous_digest"] and grant["rotated_at"] > 0
    # The old token is now a reuse: presenting it again ends the grant, the new one with it.
    assert refresh(browser, public_client, first["refresh_token"], method="none").status_code == 400
    assert refresh(browser, public_client, new_token, method="none").status_code == 400
    assert (db.get(f"GRANT#{sid}", "GRANT", consistent=True) or {})["revoked_reason"] == "refresh_reuse"
