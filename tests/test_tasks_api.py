"""The TaskForge API: /v1/me and /v1/tasks, scopes per route, strictly per workspace."""

from __future__ import annotations

import pytest
from chalice.test import Client

from tests.conftest import Account, Browser, body_of, make_account
from tests.keys import call, make_key

TASK_FIELDS = {"id", "title", "done", "created_at", "updated_at"}


@pytest.fixture
def writer(browser: Browser) -> str:
    return str(make_key(browser, ["write"])["key"])


def test_me_describes_the_key(client: Client, browser: Browser, account: Account) -> None:
    created = make_key(browser, ["admin"])
    me = body_of(call(client, "GET", "/v1/me", created["key"]))
    assert me == {"principal_type": "api_key", "workspace_id": account.workspace_id,
                  "scopes": ["admin"], "credential_id": created["id"]}


def test_task_lifecycle(client: Client, writer: str) -> None:
    created = call(client, "POST", "/v1/tasks", writer, {"title": "Ship it"})
    assert created.status_code == 201
    task = body_of(created)
    assert set(task) == TASK_FIELDS and task["done"] is False and task["title"] == "Ship it"
    assert body_of(call(client, "GET", f"/v1/tasks/{task['id']}", writer)) == task
    patched = call(client, "PATCH", f"/v1/tasks/{task['id']}", writer, {"done": True})
    assert patched.status_code == 200 and body_of(patched)["done"] is True
    assert body_of(patched)["title"] == "Ship it"
    renamed = body_of(call(client, "PATCH", f"/v1/tasks/{task['id']}", writer, {"title": "Shipped"}))
    assert renamed["title"] == "Shipped" and renamed["done"] is True
    assert body_of(call(client, "GET", "/v1/tasks", writer))["tasks"] == [renamed]
    assert call(client, "DELETE", f"/v1/tasks/{task['id']}", writer).status_code == 204
    assert call(client, "GET", f"/v1/tasks/{task['id']}", writer).status_code == 404
    assert call(client, "DELETE", f"/v1/tasks/{task['id']}", writer).status_code == 404


def test_pagination_walks_every_task_once_newest_first(client: Client, writer: str) -> None:
    ids = [body_of(call(client, "POST", "/v1/tasks", writer, {"title": f"t{i}"}))["id"]
           for i in range(7)]
    seen, cursor = [], None
    while True:
        path = "/v1/tasks?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = body_of(call(client, "GET", path, writer))
        assert len(page["tasks"]) <= 3
        seen += [t["id"] for t in page["tasks"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(ids))
    full = body_of(call(client, "GET", "/v1/tasks?limit=7", writer))
    assert len(full["tasks"]) == 7 and full["next_cursor"] is None


def test_read_key_may_read_but_not_write(client: Client, browser: Browser, writer: str) -> None:
    task = body_of(call(client, "POST", "/v1/tasks", writer, {"title": "x"}))
    reader = make_key(browser, ["read"])["key"]
    assert call(client, "GET", "/v1/tasks", reader).status_code == 200
    assert call(client, "GET", f"/v1/tasks/{task['id']}", reader).status_code == 200
    for method, path in (("POST", "/v1/tasks"), ("PATCH", f"/v1/tasks/{task['id']}"),
                         ("DELETE", f"/v1/tasks/{task['id']}")):
        answer = call(client, method, path, reader, {"title": "y"})
        assert answer.status_code == 403, method
        assert body_of(answer)["error"] == "insufficient_scope"
        assert answer.headers["WWW-Authenticate"] == 'Bearer error="insufficient_scope", scope="write"'
    assert body_of(call(client, "GET", f"/v1/tasks/{task['id']}", reader))["title"] == "x"


def test_admin_includes_write_and_read(client: Client, browser: Browser) -> None:
    admin = make_key(browser, ["admin"])["key"]
    assert call(client, "POST", "/v1/tasks", admin, {"title": "x"}).status_code == 201
    assert call(client, "GET", "/v1/tasks", admin).status_code == 200


def test_workspaces_are_isolated(client: Client, browser: Browser, writer: str) -> None:
    mine = body_of(call(client, "POST", "/v1/tasks", writer, {"title": "mine"}))
    other = Browser(client)
    other.login(make_account(client, "grace@example.com").email)
    theirs_key = make_key(other, ["admin"])["key"]
    theirs = body_of(call(client, "POST", "/v1/tasks", theirs_key, {"title": "theirs"}))
    for method in ("GET", "PATCH", "DELETE"):
        answer = call(client, method, f"/v1/tasks/{mine['id']}", theirs_key, {"done": True})
        assert answer.status_code == 404 and body_of(answer)["error"] == "not_found"
    assert [t["id"] for t in body_of(call(client, "GET", "/v1/tasks", writer))["tasks"]] == [mine["id"]]
    assert [t["id"] for t in body_of(call(client, "GET", "/v1/tasks", theirs_key))["tasks"]] == [theirs["id"]]
    assert body_of(call(client, "GET", f"/v1/tasks/{mine['id']}", writer))["done"] is False


CREATE_BAD_INPUT = [
    ({}, "'title' is required"),
    ({"title": ""}, "1 to 500"),
    ({"title": "   "}, "blank"),
    ({"title": "x" * 501}, "1 to 500"),
    ({"title": 5}, "must be a string"),
    ({"title": ["a"]}, "must be a string"),
    ({"title": "x", "done": "yes"}, "true or false"),
    ({"title": "x", "done": 1}, "true or false"),
    ({"title": "x", "owner": "me"}, "Unknown field"),
    ({"title": "a\u0000b"}, "NUL"),
]
UPDATE_BAD_INPUT = [
    ({}, "Send 'title' and/or 'done'"),
    ({"done": "true"}, "true or false"),
    ({"title": ""}, "blank"),
    ({"title": "x" * 501}, "1 to 500"),
    ({"id": "tsk_other"}, "Unknown field"),
]


def test_create_and_update_bad_input(client: Client, writer: str) -> None:
    """One signed-up workspace for every case (sign-up costs an Argon2 hash)."""
    task = body_of(call(client, "POST", "/v1/tasks", writer, {"title": "x"}))
    cases = [("POST", "/v1/tasks", body, message) for body, message in CREATE_BAD_INPUT]
    cases += [("PATCH", f"/v1/tasks/{task['id']}", body, message) for body, message in UPDATE_BAD_INPUT]
    for method, path, body, message in cases:
        answer = call(client, method, path, writer, body)
        assert answer.status_code == 400, (method, body, answer.body)
        assert body_of(answer)["error"] == "invalid_request", (method, body)
        assert message in body_of(answer)["error_description"], (method, body)
    assert body_of(call(client, "GET", "/v1/tasks", writer))["tasks"] == [task]




def test_malformed_bodies(client: Client, writer: str) -> None:
    for raw in (b"{", b'"title"', b"null", b"\xc3\x28", b"x" * (64 * 1024 + 1)):
        answer = client.http.post("/v1/tasks", body=raw, headers={
            "Authorization": f"Bearer {writer}", "Content-Type": "application/json"})
        assert answer.status_code == 400 and body_of(answer)["error"] == "invalid_request", raw[:20]


def test_curl_style_form_content_type_still_reads_json(client: Client, writer: str) -> None:
    answer = client.http.post("/v1/tasks", body=b'{"title": "from curl -d"}', headers={
        "Authorization": f"Bearer {writer}", "Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 201
    garbage = client.http.post("/v1/tasks", body=b"title=x", headers={
        "Authorization": f"Bearer {writer}", "Content-Type": "application/x-www-form-urlencoded"})
    assert garbage.status_code == 400 and body_of(garbage)["error"] == "invalid_request"


def test_unicode_titles_round_trip(client: Client, writer: str) -> None:
    title = "\u00e9t\u00e9 \U0001f680 \u4efb\u52a1 " + "\u00e9" * 490
    task = body_of(call(client, "POST", "/v1/tasks", writer, {"title": title}))
    assert body_of(call(client, "GET", f"/v1/tasks/{task['id']}", writer))["title"] == title


def test_bad_list_parameters(client: Client, writer: str) -> None:
    for query in ("limit=0", "limit=101", "limit=abc", "limit=", "cursor=nope", "cursor=tsk_%2F%2F"):
        answer = call(client, "GET", f"/v1/tasks?{query}", writer)
        assert answer.status_code == 400 and body_of(answer)["error"] == "invalid_request", query


def test_odd_task_ids_are_404(client: Client, writer: str) -> None:
    for task_id in ("nope", "tsk_short", "tsk_" + "x" * 200, "%E2%98%83"):
        assert call(client, "GET", f"/v1/tasks/{task_id}", writer).status_code == 404, task_id
