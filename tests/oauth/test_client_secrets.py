"""Client secrets as SHA-256 digests, and rotation: two secrets at once, then delete the old."""

from __future__ import annotations

import hashlib

from chalicelib import audit, hashing
from chalicelib.store import db
from tests.conftest import Account, Browser, body_of, make_account
from tests.oauth.conftest import OAuthClient, form_post, register, token_request, tokens_for


def _works(browser: Browser, app: OAuthClient, secret: str) -> int:
    """Status of a token request authenticated with `secret` (a bad code, so 400 = authenticated)."""
    as_app = OAuthClient(app.client_id, secret, app.redirect_uri, app.scopes)
    return int(token_request(browser, as_app, {"grant_type": "authorization_code", "code": "x"}).status_code)


def test_rotation_keeps_both_secrets_working_until_the_old_is_deleted(browser: Browser,
                                                                       account: Account) -> None:
    app = register(browser)
    listed = body_of(browser.get("/account/oauth-clients"))["oauth_clients"][0]
    (old,) = listed["secrets"]
    assert set(old) == {"secret_id", "created_at", "last_used_at"}
    added = browser.post(f"/account/oauth-clients/{app.client_id}/secrets")
    assert added.status_code == 201
    new = body_of(added)
    assert new["secret_id"].startswith("sec_") and new["client_secret"].startswith("tfs_")
    assert app.secret is not None
    assert _works(browser, app, app.secret) == 400 and _works(browser, app, new["client_secret"]) == 400
    listed = body_of(browser.get("/account/oauth-clients"))["oauth_clients"][0]
    assert {s["secret_id"] for s in listed["secrets"]} == {old["secret_id"], new["secret_id"]}
    assert all(s["last_used_at"] for s in listed["secrets"])  # both were just used
    # A third secret is refused: rotation is add, then delete the old one.
    third = browser.post(f"/account/oauth-clients/{app.client_id}/secrets")
    assert third.status_code == 409 and body_of(third)["error"] == "too_many_secrets"
    gone = browser.delete(f"/account/oauth-clients/{app.client_id}/secrets/{old['secret_id']}")
    assert gone.status_code == 204
    assert _works(browser, app, app.secret) == 401 and _works(browser, app, new["client_secret"]) == 400
    # The last secret cannot be deleted; an unknown one is 404.
    last = browser.delete(f"/account/oauth-clients/{app.client_id}/secrets/{new['secret_id']}")
    assert last.status_code == 409 and body_of(last)["error"] == "last_client_secret"
    assert browser.delete(f"/account/oauth-clients/{app.client_id}/secrets/sec_nope").status_code == 404
    types = [e["type"] for e in audit.events(account.workspace_id)["events"]]
    assert {"oauth.client_secret_added", "oauth.client_secret_deleted"} <= set(types)
    assert new["client_secret"] not in str(audit.events(account.workspace_id))


def test_rotation_does_not_end_user_grants(browser: Browser) -> None:
    app = register(browser)
    issued = tokens_for(browser, app)
    browser.post(f"/account/oauth-clients/{app.client_id}/secrets")
    old_id = body_of(browser.get("/account/oauth-clients"))["oauth_clients"][0]["secrets"][0]["secret_id"]
    browser.delete(f"/account/oauth-clients/{app.client_id}/secrets/{old_id}")
    me = browser.client.http.get("/v1/me", headers={"Authorization": f"Bearer {issued['access_token']}"})
    assert me.status_code == 200


def test_other_workspace_and_public_clients(client, browser: Browser) -> None:
    app = register(browser)
    public = register(browser, "public")
    other = Browser(client)
    other.login(make_account(client, "grace@example.com").email)
    assert other.post(f"/account/oauth-clients/{app.client_id}/secrets").status_code == 404
    refused = browser.post(f"/account/oauth-clients/{public.client_id}/secrets")
    assert refused.status_code == 409 and body_of(refused)["error"] == "no_client_secret"
    assert browser.post("/account/oauth-clients/cli_%00/secrets").status_code == 404
    no_csrf = Browser(client)
    no_csrf.cookies = dict(browser.cookies)
    assert no_csrf.post(f"/account/oauth-clients/{app.client_id}/secrets").status_code == 403


def test_v1_rotation_needs_admin(client, browser: Browser) -> None:
    app = register(browser)
    key = body_of(browser.post("/account/api-keys", {"label": "ops", "scopes": ["admin"]}))["key"]
    reader = body_of(browser.post("/account/api-keys", {"label": "ro", "scopes": ["read"]}))["key"]
    path = f"/v1/oauth-clients/{app.client_id}/secrets"
    denied = client.http.post(path, headers={"Authorization": f"Bearer {reader}"})
    assert denied.status_code == 403
    added = client.http.post(path, headers={"Authorization": f"Bearer {key}"})
    assert added.status_code == 201
    secret_id = body_of(added)["secret_id"]
    deleted = client.http.delete(f"{path}/{secret_id}", headers={"Authorization": f"Bearer {key}"})
    assert deleted.status_code == 204


def test_legacy_argon2_secret_is_upgraded_on_first_use(browser: Browser) -> None:
    app = register(browser)
    assert app.secret is not None
    pk = f"CLIENT#{app.client_id}"
    db.update(pk, "CLIENT", "SET secret_hash = :h REMOVE secrets",
              vals={":h": hashing.hash_secret(app.secret)})
    assert _works(browser, app, app.secret) == 400
    stored = db.get(pk, "CLIENT")
    assert stored is not None and "secret_hash" not in stored
    (entry,) = stored["secrets"].values()
    assert entry["digest"] == hashlib.sha256(app.secret.encode()).hexdigest()
    assert _works(browser, app, app.secret) == 400 and _works(browser, app, app.secret[:-1] + "x") == 401


def test_settings_page_shows_and_rotates_secrets(browser: Browser) -> None:
    app = register(browser)
    page = browser.get("/settings/applications").body.decode()
    assert "Rotate secret" in page and "Never" in page
    rotated = form_post(browser, f"/settings/applications/{app.client_id}/secrets",
                        {"csrf_token": browser.csrf})
    assert rotated.status_code == 201
    html = rotated.body.decode()
    assert "New client secret" in html and "tfs_" in html and "Delete secret" in html
    secrets = body_of(browser.get("/account/oauth-clients"))["oauth_clients"][0]["secrets"]
    assert len(secrets) == 2
    deleted = form_post(browser, f"/settings/applications/{app.client_id}/secrets/"
                                 f"{secrets[0]['secret_id']}/delete", {"csrf_token": browser.csrf})
    assert deleted.status_code == 303 and "secret_deleted" in deleted.headers["Location"]
    assert len(body_of(browser.get("/account/oauth-clients"))["oauth_clients"][0]["secrets"]) == 1
    forged = form_post(browser, f"/settings/applications/{app.client_id}/secrets", {"csrf_token": "nope"})
    assert forged.status_code == 403
