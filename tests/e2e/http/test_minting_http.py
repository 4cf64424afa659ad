"""What a credential may create over HTTP (issue 14, findings 6 and 7).

6. An OAuth access token cannot create API keys or OAuth clients (403 forbidden), so an app the
   user later revokes keeps nothing that outlives its grant.
7. An API key never creates (or rolls) a key with wider scopes, a later expiry or a higher rate
   limit than its own: asking for more is 403; asking for nothing inherits the caller's bounds.
"""

from __future__ import annotations

import requests
from authlib.common.security import generate_token

from tests.e2e.conftest import Stack
from tests.e2e.http.test_apikeys_http import sign_up_and_in
from tests.e2e.http.test_oauth_http import Person, session_for


def admin_access_token(stack: Stack) -> tuple[Person, str]:
    person = Person(stack)
    answer = person.setup.post(f"{stack.url}/account/oauth-clients", headers={"X-CSRF-Token": person.csrf},
                               json={"name": "Admin app", "type": "confidential", "scopes": ["admin"],
                                     "redirect_uris": ["http://127.0.0.1:9/callback"]})
    assert answer.status_code == 201, answer.text
    oauth = session_for(stack, answer.json())
    oauth.scope = "admin"
    verifier = generate_token(48)
    url, _ = oauth.create_authorization_url(f"{stack.url}/oauth/authorize", code_verifier=verifier)
    token = oauth.fetch_token(f"{stack.url}/oauth/token", authorization_response=person.authorize(url),
                              code_verifier=verifier)
    assert "admin" in token["scope"].split()
    return person, token["access_token"]


def test_an_oauth_token_cannot_mint_keys_or_clients(stack: Stack) -> None:
    person, access_token = admin_access_token(stack)
    bearer = {"Authorization": f"Bearer {access_token}"}
    assert requests.get(f"{stack.url}/v1/api-keys", headers=bearer, timeout=10).status_code == 200
    key = requests.post(f"{stack.url}/v1/api-keys", headers=bearer, timeout=10,
                        json={"label": "backdoor", "scopes": ["admin"]})
    assert key.status_code == 403 and key.json()["error"] == "forbidden", key.text
    client = requests.post(f"{stack.url}/v1/oauth-clients", headers=bearer, timeout=10,
                           json={"name": "backdoor", "type": "public",
                                 "redirect_uris": ["https://evil.example.com/cb"]})
    assert client.status_code == 403 and client.json()["error"] == "forbidden"
    existing = person.setup.post(f"{stack.url}/account/api-keys", headers={"X-CSRF-Token": person.csrf},
                                 json={"label": "mine", "scopes": ["read"]}).json()
    roll = requests.post(f"{stack.url}/v1/api-keys/{existing['id']}/roll", headers=bearer, timeout=10,
                         json={})
    assert roll.status_code == 403
    listed = person.setup.get(f"{stack.url}/account/api-keys").json()["api_keys"]
    assert [k["label"] for k in listed] == ["mine"]


def test_a_key_cannot_create_a_key_that_outlives_or_outruns_it(stack: Stack) -> None:
    owner = sign_up_and_in(stack)
    small = owner.create_key(["admin"], expires_in_days=1, rate_limit_per_minute=20)
    bearer = {"Authorization": f"Bearer {small['key']}"}

    def create(**fields: object) -> requests.Response:
        return requests.post(f"{stack.url}/v1/api-keys", headers=bearer, timeout=10,
                             json={"label": "child", "scopes": ["admin"], **fields})

    assert create(rate_limit_per_minute=10000).status_code == 403
    assert create(expires_in_days=3650).status_code == 403
    refused = create(expires_in_days=2, rate_limit_per_minute=20)
    assert refused.status_code == 403 and "expire" in refused.json()["error_description"]
    child = create()
    assert child.status_code == 201, child.text
    assert child.json()["expires_at"] == small["expires_at"]
    assert child.json()["rate_limit_per_minute"] == 20
    fine = create(rate_limit_per_minute=3)  # lower rate, the parent's expiry inherited
    assert fine.status_code == 201 and fine.json()["rate_limit_per_minute"] == 3
    forever = owner.create_key(["admin"])
    rolled = requests.post(f"{stack.url}/v1/api-keys/{forever['id']}/roll", headers=bearer, timeout=10,
                           json={})
    assert rolled.status_code == 403  # the new key would never expire and run at 600/min


def test_a_key_with_default_limits_creates_keys_within_them(stack: Stack) -> None:
    owner = sign_up_and_in(stack)
    parent = owner.create_key(["admin"])
    bearer = {"Authorization": f"Bearer {parent['key']}"}
    over = requests.post(f"{stack.url}/v1/api-keys", headers=bearer, timeout=10,
                         json={"label": "c", "scopes": ["read"], "rate_limit_per_minute": 10000})
    assert over.status_code == 403  # the parent runs at the default 600/min
    within = requests.post(f"{stack.url}/v1/api-keys", headers=bearer, timeout=10,
                           json={"label": "c", "scopes": ["read"], "expires_in_days": 30})
    assert within.status_code == 201
