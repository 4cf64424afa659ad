"""Active sessions, revocation (effective on the next request) and the audit log."""

from __future__ import annotations

import base64
import json

from tests.conftest import Browser, body_of


def second_browser(client, account, agent="Firefox/120"):
    other = Browser(client)
    other.request("POST", "/login", {"email": account.email, "password": "correct horse battery staple"},
                  headers={"User-Agent": agent})
    other.csrf = body_of(other.get("/account"))["csrf_token"]
    return other


def test_lists_browser_sessions_with_current_flag(client, account, browser: Browser):
    second_browser(client, account)
    sessions = body_of(browser.get("/account/sessions"))["sessions"]
    assert len(sessions) == 2
    assert sum(s["current"] for s in sessions) == 1
    assert {s["type"] for s in sessions} == {"browser"}
    assert any(s["user_agent"] == "Firefox/120" for s in sessions)
    assert all(set(s) >= {"id", "type", "client_name", "scopes", "created_at", "last_used_at", "ip",
                          "user_agent", "current"} for s in sessions)


def test_revoking_a_session_kills_it_on_the_next_request(client, account, browser: Browser):
    other = second_browser(client, account)
    target = next(s for s in body_of(browser.get("/account/sessions"))["sessions"] if not s["current"])
    assert browser.delete(f"/account/sessions/{target['id']}").status_code == 204
    assert other.get("/account").status_code == 401
    assert browser.get("/account").status_code == 200
    events = body_of(browser.get("/account/audit-events"))["events"]
    assert events[0]["type"] == "session.revoked" and events[0]["object_id"] == target["id"]


def test_cannot_revoke_someone_elses_session(client, account, browser: Browser):
    from tests.conftest import make_account

    intruder_account = make_account(client, "mallory@example.com")
    intruder = second_browser(client, intruder_account)
    victim_id = next(s["id"] for s in body_of(browser.get("/account/sessions"))["sessions"])
    assert intruder.delete(f"/account/sessions/{victim_id}").status_code == 404
    assert browser.get("/account").status_code == 200


def test_revoke_needs_csrf(browser: Browser):
    session_id = body_of(browser.get("/account/sessions"))["sessions"][0]["id"]
    browser.csrf = None
    assert browser.delete(f"/account/sessions/{session_id}").status_code == 403


def test_sign_out_everywhere_else(client, account, browser: Browser):
    others = [second_browser(client, account, f"agent-{i}") for i in range(2)]
    answer = browser.post("/account/sessions/revoke-others")
    assert body_of(answer) == {"revoked": 2}
    assert all(o.get("/account").status_code == 401 for o in others)
    assert len(body_of(browser.get("/account/sessions"))["sessions"]) == 1


def test_audit_log_pages_newest_first_and_refuses_forged_cursors(client, account, browser: Browser):
    for _ in range(3):
        second_browser(client, account)
    first = body_of(browser.get("/account/audit-events?limit=2"))
    assert len(first["events"]) == 2 and first["next_cursor"]
    assert first["events"][0]["time"] >= first["events"][1]["time"]
    second = body_of(browser.get(f"/account/audit-events?limit=2&cursor={first['next_cursor']}"))
    assert {e["id"] for e in second["events"]}.isdisjoint({e["id"] for e in first["events"]})
    forged = base64.urlsafe_b64encode(json.dumps({"pk": "AUDIT#ws_other", "sk": "1"}).encode()).decode()
    for cursor in (forged, "!!!", "e30="):
        response = browser.get(f"/account/audit-events?cursor={cursor}")
        assert response.status_code == 400, cursor
    assert browser.get("/account/audit-events?limit=0").status_code == 400
    assert browser.get("/account/audit-events?limit=abc").status_code == 400


def test_sessions_need_sign_in(client):
    assert client.http.get("/account/sessions").status_code == 401
    assert client.http.get("/account/audit-events").status_code == 401


def test_v1_audit_events_need_admin_and_never_show_keys(client, browser: Browser):
    from tests.keys import call, make_key

    admin = make_key(browser, ["admin"])
    reader = make_key(browser, ["read"])
    denied = call(client, "GET", "/v1/audit-events", reader["key"])
    assert denied.status_code == 403 and 'scope="admin"' in denied.headers["WWW-Authenticate"]
    answer = call(client, "GET", "/v1/audit-events?limit=5", admin["key"])
    assert answer.status_code == 200
    page = body_of(answer)
    assert [e["type"] for e in page["events"]][:2] == ["api_key.created", "api_key.created"]
    assert admin["key"] not in answer.body.decode() and reader["key"] not in answer.body.decode()
