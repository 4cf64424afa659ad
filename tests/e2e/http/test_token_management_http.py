"""Token management over HTTP (product guide: Settings → Security → Active Sessions):
a user with a browser session and an OAuth grant sees both, revokes the grant, and its
unexpired access token is refused on the very next call; a rolled key works until its
expiry and not after; every step is in the audit log."""

from __future__ import annotations

import requests

from chalicelib.apikeys import keyformat
from chalicelib.settings import get_settings
from chalicelib.store import db
from tests.e2e.conftest import Stack
from tests.e2e.http.test_oauth_http import signed_up_with_grant


def bearer(stack: Stack, token: str) -> requests.Response:
    return requests.get(f"{stack.url}/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_see_and_revoke_a_grant_then_roll_a_key(stack: Stack, monkeypatch) -> None:
    person, _client, _oauth, token = signed_up_with_grant(stack)
    assert bearer(stack, token["access_token"]).status_code == 200

    dashboard, headers = person.setup, {"X-CSRF-Token": person.csrf}
    sessions = dashboard.get(f"{stack.url}/account/sessions").json()["sessions"]
    assert {"browser", "oauth"} <= {s["type"] for s in sessions}
    grant = next(s for s in sessions if s["type"] == "oauth")
    assert grant["client_name"] == "E2E confidential app" and grant["scopes"] == ["read", "write"]
    assert dashboard.delete(f"{stack.url}/account/sessions/{grant['id']}", headers=headers).status_code == 204
    assert bearer(stack, token["access_token"]).status_code == 401  # the very next call

    created = dashboard.post(f"{stack.url}/account/api-keys", headers=headers,
                             json={"label": "to roll", "scopes": ["read"]}).json()
    rolled = dashboard.post(f"{stack.url}/account/api-keys/{created['id']}/roll", headers=headers,
                            json={"expires_in": "1h"})
    assert rolled.status_code == 201
    new_key = rolled.json()["key"]
    assert bearer(stack, created["key"]).status_code == 200 and bearer(stack, new_key).status_code == 200
    # The hour passes: move the old key's expiry into the past in the stack's own table.
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", stack.moto_url)
    for name, value in (("AWS_ACCESS_KEY_ID", "local"), ("AWS_SECRET_ACCESS_KEY", "local"),
                        ("TASKFORGE_TABLE", "taskforge-auth")):
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    db.client.cache_clear()
    try:
        db.update(f"APIKEY#{keyformat.digest(created['key'])}", "KEY", "SET expires_at = :past",
                  vals={":past": 1})
    finally:
        get_settings.cache_clear()
        db.client.cache_clear()
    assert bearer(stack, created["key"]).status_code == 401
    assert bearer(stack, new_key).status_code == 200

    events = [e["type"] for e in dashboard.get(f"{stack.url}/account/audit-events?limit=50").json()["events"]]
    for expected in ("signin.succeeded", "oauth.client_created", "oauth.grant_created",
                     "oauth.grant_revoked", "api_key.created", "api_key.rolled"):
        assert expected in events, expected
