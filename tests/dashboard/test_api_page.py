"""Settings → API as HTML: generate a key (shown once), revoke and roll it with a
confirmation step, and every kind of bad form input answered with a page, never a 500."""

from __future__ import annotations

import re

from chalice.test import Client

from tests.conftest import Browser, make_account
from tests.dashboard.pages import Page, get, submit, well_formed
from tests.keys import bearer

KEY = re.compile(r'id="new-key"[^>]*value="(tfk_[0-9A-Za-z]{38})"')


def generate(browser: Browser, label: str = "CI deploy", **fields: str) -> tuple[Page, str]:
    csrf = get(browser, "/settings/api").csrf
    posted = submit(browser, "/settings/api/keys", {"csrf_token": csrf, "label": label, "scopes": "read",
                                                    "expires_in_days": "", "rate_limit_per_minute": "",
                                                    **fields})
    assert posted.status == 303, posted.text  # POST-redirect-GET: a reload creates nothing
    page = get(browser, posted.headers["Location"])
    assert page.status == 200, page.text
    match = KEY.search(page.html)
    assert match
    return page, match.group(1)


def me(client: Client, key: str) -> int:
    return int(client.http.get("/v1/me", headers=bearer(key)).status_code)


def key_id(page: Page, label: str) -> str:
    match = re.search(r'id="key-(key_[0-9A-Za-z]{16})-label"[^>]*>' + re.escape(label) + "<", page.html)
    assert match, label
    return match.group(1)


def test_pages_need_sign_in_and_come_back_after_it(client: Client) -> None:
    anonymous = Browser(client)
    for path in ("/settings/api", "/settings/api/keys/key_0123456789abcdef/revoke",
                 "/settings/api/keys/key_0123456789abcdef/roll"):
        answer = anonymous.get(path)
        assert answer.status_code == 303 and answer.headers["Location"] == f"/login?next={path}"
    posted = submit(anonymous, "/settings/api/keys", {"csrf_token": "x", "label": "a", "scopes": "read"})
    assert posted.status == 303 and posted.headers["Location"] == "/login?next=/settings/api"


def test_the_page_is_labelled_navigable_and_offers_each_scope(browser: Browser) -> None:
    page = well_formed(get(browser, "/settings/api"))
    assert page.status == 200 and page.current_nav == ["API"]
    assert "Generate New Key" in page.buttons and "Sign out" in page.buttons
    assert page.inputs["key-label"] == "label"
    assert {"scope-read", "scope-write", "scope-admin"} <= set(page.inputs)
    assert "Read-only" in page.text and "Manage API keys, applications and the audit log" not in page.text
    assert "manage API keys, applications and the audit log" in page.text
    assert "No active keys" in page.text


def test_generate_shows_the_key_once_and_it_works(client: Client, browser: Browser) -> None:
    page, key = generate(browser, "Déploiement 🚀 <b>", scopes="write", expires_in_days="30",
                         rate_limit_per_minute="120")
    well_formed(page)
    assert page.headers["Cache-Control"] == "no-store"
    assert "it won't be shown again" in page.text
    assert "Déploiement 🚀 &lt;b&gt;" in page.html and "Déploiement 🚀 <b>" not in page.html
    assert 'data-copy="new-key"' in page.html and 'src="/static/app.js"' in page.html
    assert me(client, key) == 200

    later = get(browser, "/settings/api")
    assert key not in later.html  # shown once
    assert key[:8] in later.html and "120 / min" in later.text and "Write" in later.text
    assert "Revoke" in later.buttons and "Roll" in later.buttons


def test_revoke_asks_first_then_refuses_the_key(client: Client, browser: Browser) -> None:
    page, key = generate(browser)
    kid = key_id(page, "CI deploy")
    confirm = well_formed(get(browser, f"/settings/api/keys/{kid}/revoke"))
    assert confirm.status == 200 and confirm.buttons[-1] == "Revoke"
    assert "Revoke the API key “CI deploy”?" in confirm.text
    assert me(client, key) == 200  # nothing happens until the confirmation's button

    done = submit(browser, f"/settings/api/keys/{kid}/revoke", {"csrf_token": confirm.csrf})
    assert done.status == 303 and done.headers["Location"] == "/settings/api?notice=key_revoked"
    assert me(client, key) == 401
    after = get(browser, "/settings/api?notice=key_revoked")
    assert "Key revoked" in after.text and "Revoked and expired keys" in after.text

    again = well_formed(get(browser, f"/settings/api/keys/{kid}/revoke"))
    assert "already revoked" in again.text and "Revoke" not in again.buttons[1:]


def test_roll_gives_a_new_key_and_retires_the_old_one_when_chosen(client: Client,
                                                                   browser: Browser) -> None:
    page, old_key = generate(browser, "Reporting")
    kid = key_id(page, "Reporting")
    confirm = well_formed(get(browser, f"/settings/api/keys/{kid}/roll"))
    assert {"roll-now", "roll-1h", "roll-24h", "roll-7d"} <= set(confirm.inputs)
    assert 'id="roll-24h" name="expires_in" value="24h" checked' in confirm.html

    posted = submit(browser, f"/settings/api/keys/{kid}/roll", {"csrf_token": confirm.csrf,
                                                                "expires_in": "now"})
    assert posted.status == 303
    rolled = get(browser, posted.headers["Location"])
    assert rolled.status == 200 and "The old key stopped working just now." in rolled.text
    match = KEY.search(rolled.html)
    assert match and match.group(1) != old_key
    assert me(client, match.group(1)) == 200 and me(client, old_key) == 401

    twice = submit(browser, f"/settings/api/keys/{kid}/roll", {"csrf_token": confirm.csrf,
                                                               "expires_in": "1h"})
    assert twice.status == 404 and "No active API key" in twice.text


def test_bad_form_input_gets_a_page_with_the_reason(browser: Browser) -> None:
    csrf = get(browser, "/settings/api").csrf
    base = {"csrf_token": csrf, "label": "ok", "scopes": "read"}
    cases = [
        ({**base, "label": "   "}, "Give the key a label"),
        ({k: v for k, v in base.items() if k != "label"}, "Give the key a label"),
        ({**base, "label": "x" * 101}, "1 to 100 characters"),
        ({**base, "label": "nul\x00"}, "NUL"),
        ({k: v for k, v in base.items() if k != "scopes"}, "Choose what the key may do"),
        ({**base, "scopes": "superuser"}, "Unknown scope"),
        ({**base, "expires_in_days": "soon"}, "whole number"),
        ({**base, "expires_in_days": "0"}, "between 1 and 3650"),
        ({**base, "rate_limit_per_minute": "99999"}, "between 1 and 10000"),
        ({**base, "rate_limit_per_minute": "-5"}, "whole number"),
        ({**base, "colour": "blue"}, "Unknown field"),
    ]
    for fields, message in cases:
        page = submit(browser, "/settings/api/keys", fields)
        assert page.status == 400 and message in page.text, (fields, page.text[:300])
        well_formed(page)
        assert "Generate New Key" in page.buttons
    refill = submit(browser, "/settings/api/keys", {**base, "label": " ", "rate_limit_per_minute": "25"})
    assert 'value="25"' in refill.html
    twice = submit(browser, "/settings/api/keys", [*base.items(), ("label", "again")])
    assert twice.status == 400 and "more than once" in twice.text
    assert "No active keys" in get(browser, "/settings/api").text  # none of these made a key


def test_malformed_bodies_get_an_error_page(browser: Browser) -> None:
    for raw in (b"label", b"=&&=", b"label=\xff\xfe", b"a=" + b"x" * 70_000):
        page = submit(browser, "/settings/api/keys", {}, raw=raw)
        assert page.status == 400 and "text/html" in page.headers["Content-Type"], raw[:10]
    json_post = browser.post("/settings/api/keys", {"label": "json"})
    assert json_post.status_code == 400


def test_missing_or_wrong_csrf_is_a_friendly_403(client: Client, browser: Browser) -> None:
    page, key = generate(browser)
    kid = key_id(page, "CI deploy")
    for path in ("/settings/api/keys", f"/settings/api/keys/{kid}/revoke", f"/settings/api/keys/{kid}/roll"):
        for csrf in ({}, {"csrf_token": "wrong"}):
            fields = {**csrf, "label": "x", "scopes": "read"}
            refused = well_formed(submit(browser, path, fields))
            assert refused.status == 403 and "Not allowed" in refused.text
            assert "reload it" in refused.text and "invalid_csrf_token" in refused.text
    assert me(client, key) == 200


def test_another_workspace_cannot_see_or_touch_a_key(client: Client, browser: Browser) -> None:
    _, key = generate(browser)
    kid = key_id(get(browser, "/settings/api"), "CI deploy")
    intruder = Browser(client)
    intruder.login(make_account(client, "mallory@example.com").email)
    seen = well_formed(get(intruder, f"/settings/api/keys/{kid}/revoke"))
    assert seen.status == 404 and "Page not found" in seen.text and "CI deploy" not in seen.html
    tried = submit(intruder, f"/settings/api/keys/{kid}/revoke", {"csrf_token": intruder.csrf or ""})
    assert tried.status == 404 and "No API key with this id" in tried.text
    assert me(client, key) == 200
    for bad_id in ("nope", "key_" + "x" * 300, "%3Cscript%3E"):
        assert get(browser, f"/settings/api/keys/{bad_id}/roll").status == 404


def test_notices_come_only_from_our_own_messages(browser: Browser) -> None:
    page = get(browser, "/settings/api?notice=%3Cb%3EYour%20account%20is%20locked%3C/b%3E")
    assert page.status == 200 and "account is locked" not in page.html
