"""The passkey parts of the pages: Settings → Security's list and forms, the sign-in buttons."""

from __future__ import annotations

from chalice.test import Client

from tests.conftest import Browser, body_of, make_account
from tests.dashboard.pages import get, submit, well_formed
from tests.passkeys.authenticator import SoftAuthenticator
from tests.passkeys.conftest import add_passkey, event_types, passkeys_of
from tests.twofactor.conftest import Enrolled, password_step

SECURITY = "/settings/security"


def test_security_page_lists_passkeys_with_rename_and_remove(browser: Browser,
                                                             authenticator: SoftAuthenticator) -> None:
    page = well_formed(get(browser, SECURITY))
    assert "No passkeys yet." in page.text and "Add a passkey" in page.buttons
    assert "needs JavaScript" in page.text
    add_passkey(browser, authenticator, name="Laptop <b>")
    page = well_formed(get(browser, SECURITY))
    assert "Laptop &lt;b&gt;" in page.html and "Never" in page.text
    assert page.buttons.count("Remove") == 1 and "Rename" in page.buttons
    assert 'src="/static/passkeys.js"' in page.html


def test_rename_and_remove_with_forms(browser: Browser, authenticator: SoftAuthenticator) -> None:
    pid = body_of(add_passkey(browser, authenticator))["id"]
    page = get(browser, SECURITY)
    form = f"csrf_token={page.csrf}&name=Phone".encode()
    renamed = browser.post(f"{SECURITY}/passkeys/{pid}/rename", raw=form,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert renamed.status_code == 303 and "notice=passkey_renamed" in renamed.headers["Location"]
    assert passkeys_of(browser)[0]["name"] == "Phone"
    assert "Passkey renamed." in get(browser, SECURITY + "?notice=passkey_renamed").text
    # 2FA is off: nothing to confirm, the passkey goes at once.
    removed = submit(browser, f"{SECURITY}/passkeys/{pid}/remove", {"csrf_token": page.csrf})
    assert removed.status == 303
    assert passkeys_of(browser) == []


def test_a_bad_name_shows_the_page_with_the_error(browser: Browser,
                                                  authenticator: SoftAuthenticator) -> None:
    pid = body_of(add_passkey(browser, authenticator))["id"]
    page = get(browser, SECURITY)
    answer = submit(browser, f"{SECURITY}/passkeys/{pid}/rename", {"csrf_token": page.csrf, "name": "x" * 65})
    assert answer.status == 400 and "1 to 64" in answer.text
    assert passkeys_of(browser)[0]["name"] == "Passkey 1"


def test_forms_need_the_csrf_token(browser: Browser, authenticator: SoftAuthenticator) -> None:
    pid = body_of(add_passkey(browser, authenticator))["id"]
    answer = submit(browser, f"{SECURITY}/passkeys/{pid}/remove", {"csrf_token": "wrong"})
    assert answer.status == 403
    assert len(passkeys_of(browser)) == 1


def test_removing_the_last_passkey_with_two_factor_on_asks_first(
        enrolled: Enrolled, authenticator: SoftAuthenticator) -> None:
    browser = enrolled.browser
    first = body_of(add_passkey(browser, authenticator, name="Laptop"))["id"]
    second = body_of(add_passkey(browser, SoftAuthenticator(), name="Phone"))["id"]
    csrf = get(browser, SECURITY).csrf
    assert submit(browser, f"{SECURITY}/passkeys/{first}/remove", {"csrf_token": csrf}).status == 303
    asked = submit(browser, f"{SECURITY}/passkeys/{second}/remove", {"csrf_token": csrf})
    assert asked.status == 200 and "your last passkey" in asked.text
    assert [p["name"] for p in passkeys_of(browser)] == ["Phone"]
    done = submit(browser, f"{SECURITY}/passkeys/{second}/remove", {"csrf_token": csrf, "confirm": "yes"})
    assert done.status == 303 and passkeys_of(browser) == []
    assert event_types(browser).count("passkey.removed") == 2


def test_another_users_passkey_cannot_be_removed_by_form(client: Client, browser: Browser,
                                                         authenticator: SoftAuthenticator) -> None:
    pid = body_of(add_passkey(browser, authenticator))["id"]
    make_account(client, "eve@example.com")
    eve = Browser(client)
    eve.login("eve@example.com")
    answer = submit(eve, f"{SECURITY}/passkeys/{pid}/remove", {"csrf_token": get(eve, SECURITY).csrf,
                                                               "confirm": "yes"})
    assert answer.status == 404
    assert len(passkeys_of(browser)) == 1


def test_sign_in_pages_offer_passkeys(client: Client, enrolled: Enrolled) -> None:
    visitor = Browser(client)
    login = well_formed(get(visitor, "/login?next=/settings/security"))
    assert "Sign in with a passkey" in login.buttons and "Sign in" in login.buttons
    assert 'autocomplete="username webauthn"' in login.html
    assert 'data-next="/settings/security"' in login.html
    assert 'data-passkey-origin="http://localhost:8000"' in login.html
    password_step(visitor, enrolled.account)
    second = well_formed(get(visitor, "/login/2fa"))
    assert "Use a passkey" in second.buttons and "Verify" in second.buttons


def test_the_script_is_served_for_csp_self(client: Client) -> None:
    answer = Browser(client).get("/static/passkeys.js")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/javascript")
    assert b"navigator.credentials.create" in answer.body
