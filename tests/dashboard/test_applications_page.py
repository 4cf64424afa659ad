"""Settings → Applications as HTML (register with the secret shown once, list, delete after a
confirmation), and OAuth grants in Active Sessions, revoked with a form like any session."""

from __future__ import annotations

import json
import re

from chalice.test import Client

from tests.conftest import Browser, make_account
from tests.dashboard.pages import Page, get, submit, well_formed
from tests.keys import bearer
from tests.oauth.conftest import REDIRECT, OAuthClient, refresh, register, tokens_for

SECRET = re.compile(r'id="new-client-secret"[^>]*value="(tfs_[^"]+)"')
CLIENT_ID = re.compile(r'id="new-client-id"[^>]*value="(cli_[^"]+)"')


def register_with_form(browser: Browser, **fields: str | list[str]) -> Page:
    csrf = get(browser, "/settings/applications").csrf
    body: dict[str, str | list[str]] = {"csrf_token": csrf, "name": "Reporting dashboard",
                                        "redirect_uris": f"{REDIRECT}\r\nhttp://127.0.0.1:8765/cb",
                                        "type": "confidential", "scopes": ["read", "write"], **fields}
    pairs = [(k, v) for k, values in body.items() for v in ([values] if isinstance(values, str) else values)]
    return submit(browser, "/settings/applications", pairs)


def me(client: Client, token: str) -> int:
    return int(client.http.get("/v1/me", headers=bearer(token)).status_code)


def test_the_page_needs_sign_in_and_is_labelled(client: Client, browser: Browser) -> None:
    answer = Browser(client).get("/settings/applications")
    assert answer.status_code == 303 and answer.headers["Location"] == "/login?next=/settings/applications"
    page = well_formed(get(browser, "/settings/applications"))
    assert page.current_nav == ["Applications"] and "Register application" in page.buttons
    assert {"app-name", "app-redirect-uris", "app-type-confidential", "app-scope-admin"} <= set(page.inputs)
    assert "No applications yet" in page.text and "/.well-known/oauth-authorization-server" in page.text


def test_register_shows_the_secret_once_and_the_client_works(client: Client, browser: Browser) -> None:
    page = well_formed(register_with_form(browser))
    assert page.status == 201 and "it won't be shown again" in page.text
    secret, client_id = SECRET.search(page.html), CLIENT_ID.search(page.html)
    assert secret and client_id
    registered = OAuthClient(client_id.group(1), secret.group(1), REDIRECT, ["read", "write"])
    tokens = tokens_for(browser, registered, scope="read write")
    assert me(client, tokens["access_token"]) == 200

    later = get(browser, "/settings/applications")
    assert secret.group(1) not in later.html and client_id.group(1) in later.html
    assert "Reporting dashboard" in later.text and "read, write" in later.text and "Delete" in later.buttons


def test_public_applications_get_no_secret(browser: Browser) -> None:
    page = register_with_form(browser, type="public", name="Mobile app")
    assert page.status == 201 and not SECRET.search(page.html) and "PKCE" in page.text


def test_bad_registrations_are_explained_and_the_form_kept(browser: Browser) -> None:
    cases = [
        ({"name": "  "}, "Give the application a name"),
        ({"redirect_uris": " "}, "at least one redirect URI"),
        ({"redirect_uris": "http://app.example.com/cb"}, "only on a loopback"),
        ({"redirect_uris": "https://app.example.com/cb#frag"}, "fragment"),
        ({"redirect_uris": "\n".join(f"https://a.example.com/{i}" for i in range(11))}, "1 to 10"),
        ({"type": ""}, "Choose the application type"),
        ({"type": "hybrid"}, "confidential"),
        ({"scopes": []}, "Choose at least one permission"),
        ({"scopes": ["root"]}, "Unknown scope"),
        ({"name": "x" * 101}, "1 to 100 characters"),
    ]
    for fields, message in cases:
        page = register_with_form(browser, **fields)
        assert page.status == 400 and message in page.text, (fields, page.text[:400])
        assert "Register application" in page.buttons
    twice = register_with_form(browser, name=["a", "b"])
    assert twice.status == 400 and "more than once" in twice.text
    kept = register_with_form(browser, name="Kept name", type="")
    assert 'value="Kept name"' in kept.html and "https://app.example.com/callback" in kept.html
    assert "No applications yet" in get(browser, "/settings/applications").text


def test_delete_asks_first_and_ends_the_apps_tokens(client: Client, browser: Browser) -> None:
    created = register(browser)
    tokens = tokens_for(browser, created)
    path = f"/settings/applications/{created.client_id}/delete"
    confirm = well_formed(get(browser, path))
    assert "Delete the application “Test confidential app”?" in confirm.text
    assert me(client, tokens["access_token"]) == 200

    for fields in ({}, {"csrf_token": "wrong"}):
        assert submit(browser, path, fields).status == 403
    done = submit(browser, path, {"csrf_token": confirm.csrf})
    assert done.status == 303 and done.headers["Location"] == "/settings/applications?notice=app_deleted"
    assert me(client, tokens["access_token"]) == 401
    assert "Application deleted" in get(browser, "/settings/applications?notice=app_deleted").text
    again = submit(browser, path, {"csrf_token": confirm.csrf})
    assert again.status == 404 and "No such OAuth client" in again.text


def test_another_workspace_cannot_see_or_delete_an_app(client: Client, browser: Browser) -> None:
    created = register(browser)
    intruder = Browser(client)
    intruder.login(make_account(client, "mallory@example.com").email)
    path = f"/settings/applications/{created.client_id}/delete"
    assert get(intruder, path).status == 404
    assert submit(intruder, path, {"csrf_token": intruder.csrf or ""}).status == 404
    assert created.client_id in get(browser, "/settings/applications").html
    for bad in ("nope", "cli_" + "x" * 300):
        assert get(browser, f"/settings/applications/{bad}/delete").status == 404


def test_grants_appear_in_active_sessions_and_revoke_with_a_form(client: Client, browser: Browser) -> None:
    created = register(browser)
    tokens = tokens_for(browser, created, scope="read write")
    listed = json.loads(browser.get("/account/sessions").body)["sessions"]
    [grant] = [s for s in listed if s["type"] == "oauth"]
    assert grant["client_name"] == "Test confidential app" and grant["scopes"] == ["read", "write"]

    page = get(browser, "/settings/security")
    assert "Test confidential app" in page.text and "read, write" in page.text
    assert f'/settings/security/sessions/{grant["id"]}/revoke' in page.html
    done = submit(browser, f"/settings/security/sessions/{grant['id']}/revoke", {"csrf_token": page.csrf})
    assert done.status == 303
    assert me(client, tokens["access_token"]) == 401
    assert json.loads(refresh(browser, created, tokens["refresh_token"]).body)["error"] == "invalid_grant"
    after = get(browser, "/settings/security")
    assert "Test confidential app" not in after.text and "No applications have access" in after.text
    assert browser.delete(f"/account/sessions/{grant['id']}").status_code == 404


def test_a_grant_can_be_revoked_through_the_json_api(client: Client, browser: Browser) -> None:
    created = register(browser)
    tokens = tokens_for(browser, created)
    grant_id = next(s["id"] for s in json.loads(browser.get("/account/sessions").body)["sessions"]
                    if s["type"] == "oauth")
    assert browser.delete(f"/account/sessions/{grant_id}").status_code == 204
    assert me(client, tokens["access_token"]) == 401
    intruder = Browser(client)
    intruder.login(make_account(client, "mallory@example.com").email)
    other = tokens_for(browser, created)
    other_grant = next(s["id"] for s in json.loads(browser.get("/account/sessions").body)["sessions"]
                       if s["type"] == "oauth")
    assert intruder.delete(f"/account/sessions/{other_grant}").status_code == 404
    assert me(client, other["access_token"]) == 200
