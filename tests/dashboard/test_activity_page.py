"""Settings → Security → Activity: the audit log as sentences with labels (never bare ids),
newest first, paginated, filtered by kind; sign-up and sign-in included."""

from __future__ import annotations

import base64
import json
import re

from chalice.test import Client

from chalicelib.dashboard import activity
from tests.conftest import Account, Browser, verify_email
from tests.dashboard.pages import Page, get, well_formed
from tests.keys import make_key

PATH = "/settings/security/activity"
SIGNED_UP = 'You signed up, creating the workspace "Analytical Engines" from 127.0.0.1'
VERIFIED = ["Email address of your account verified from 127.0.0.1",
            "A verification link emailed to you from 127.0.0.1"]


def sentences(page: Page) -> list[str]:
    found = re.findall(r'<p class="item-title">([^<]*)</p>', page.html)
    return [s.replace("&#34;", '"').replace("&quot;", '"') for s in found]


def test_needs_sign_in_and_comes_back(client: Client) -> None:
    answer = client.http.get(PATH)
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/login?next=/settings/security/activity"


def test_sign_up_sign_in_and_key_events_read_as_sentences(client: Client, browser: Browser,
                                                          account: Account) -> None:
    created = make_key(browser, ["write"])
    assert browser.delete(f"/account/api-keys/{created['id']}").status_code == 204
    page = well_formed(get(browser, PATH))
    assert page.status == 200 and "security" in " ".join(page.current_nav).lower()
    label, hint = created["label"], created["hint"]
    assert sentences(page)[:6] == [
        f'API key "{label}" ({hint}) revoked by you from 127.0.0.1',
        f'API key "{label}" ({hint}) created by you with write access from 127.0.0.1',
        "You signed in from 127.0.0.1",
        *VERIFIED,
        'You signed up, creating the workspace "Analytical Engines" from 127.0.0.1',
    ]
    assert created["id"] not in page.html and account.user_id not in page.text  # labels, not ids
    assert "activity-type" in page.inputs and "activity-type" in page.labels


def test_filter_by_kind(browser: Browser) -> None:
    make_key(browser, ["read"])
    signins = sentences(get(browser, f"{PATH}?type=signin"))
    assert signins == ["You signed in from 127.0.0.1",
                       'You signed up, creating the workspace "Analytical Engines" from 127.0.0.1']
    keys = sentences(get(browser, f"{PATH}?type=api_keys"))
    assert len(keys) == 1 and keys[0].startswith('API key "test key"')
    assert sentences(get(browser, f"{PATH}?type=twofactor")) == []
    assert "No two-factor authentication activity." in get(browser, f"{PATH}?type=twofactor").text


def test_pages_of_25_newest_first_with_an_older_link(client: Client, browser: Browser) -> None:
    for _ in range(26):  # + sign-up, verification sent, verified, sign-in = 30 events
        make_key(browser, ["read"])
    first = get(browser, PATH)
    assert len(sentences(first)) == activity.PAGE_SIZE
    older = re.search(r'href="([^"]+)" rel="next">Older activity', first.html)
    assert older
    second = get(browser, older.group(1).replace("&amp;", "&"))
    assert sentences(second)[-4:] == ["You signed in from 127.0.0.1", *VERIFIED, SIGNED_UP]
    assert len(sentences(second)) == 5 and "Older activity" not in second.html
    assert "Newest activity" in second.html
    # Filtered pages continue with the filter.
    filtered = get(browser, f"{PATH}?type=api_keys")
    older_keys = re.search(r'href="([^"]+)" rel="next"', filtered.html)
    assert older_keys and "type=api_keys" in older_keys.group(1)
    rest = sentences(get(browser, older_keys.group(1).replace("&amp;", "&")))
    assert len(rest) == 1 and rest[0].startswith('API key "test key"')


def test_bad_filters_and_cursors_are_400_pages_never_500(browser: Browser, account: Account) -> None:
    # This workspace's partition, but a sort key no event has (a lone surrogate): refused, not sent
    # to DynamoDB (which would reject the string).
    forged = json.dumps({"pk": f"AUDIT#{account.workspace_id}", "sk": "\ud800"}).encode()
    own_cursor = base64.urlsafe_b64encode(forged).decode()
    for query in ("type=nope", "cursor=garbage", "cursor=" + "A" * 3000, "cursor=%ED%A0%80",
                  "type=%00", "cursor=eyJwayI6IkFVRElUI3dzX290aGVyIiwic2siOiJ4In0=", f"cursor={own_cursor}"):
        page = get(browser, f"{PATH}?{query}")
        assert page.status == 400, (query, page.status)
        assert "text/html" in page.headers.get("Content-Type", page.headers.get("content-type", ""))


def test_other_workspaces_events_never_show(client: Client, browser: Browser) -> None:
    other = Browser(client)
    body = json.dumps({"email": "grace@example.com", "password": "correct horse battery staple",
                       "workspace": "Compilers"}).encode()
    client.http.post("/signup", headers={"Content-Type": "application/json"}, body=body)
    verify_email(client, "grace@example.com")
    other.login("grace@example.com")
    make_key(other, ["admin"])
    page = get(browser, PATH)
    assert "Compilers" not in page.html and "grace@example.com" not in page.html
    assert all("API key" not in s for s in sentences(page))


def test_json_api_is_unchanged(browser: Browser) -> None:
    events = json.loads(browser.get("/account/audit-events").body)
    assert set(events) == {"events", "next_cursor"}
    types = [e["type"] for e in events["events"]]
    assert types == ["signin.succeeded", "email.verified", "email.verification_sent", "account.created"]
    assert set(events["events"][0]) == {"id", "type", "time", "actor", "user_id", "object_id", "ip",
                                        "user_agent", "details"}


def test_failed_sign_ins_read_as_such(client: Client, browser: Browser, account: Account) -> None:
    assert Browser(client).login(account.email, "not the password").status_code == 401
    assert sentences(get(browser, f"{PATH}?type=signin"))[0] == \
        "Failed sign-in (wrong password) to your account from 127.0.0.1"
    forged = json.dumps({"pk": f"AUDIT#{account.workspace_id}", "sk": "\ud800"}).encode()
    answer = browser.get(f"/account/audit-events?cursor={base64.urlsafe_b64encode(forged).decode()}")
    assert answer.status_code == 400 and json.loads(answer.body)["error"] == "invalid_request"
