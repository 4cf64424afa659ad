"""Bad input on the browser-session routes: always a clear 4xx, never a 500, nothing half-written."""

from __future__ import annotations

import json

import pytest

from chalicelib.store import users
from tests.conftest import PASSWORD, Browser, body_of

JSON = {"Content-Type": "application/json"}


def post(client, path, raw: bytes, headers=None):
    return client.http.post(path, body=raw, headers={**JSON, **(headers or {})})


@pytest.mark.parametrize("path", ["/signup", "/login"])
@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'"text"', b"\xff\xfe\x00", b"null", b"{\"a\":"])
def test_malformed_json_is_400(client, path, raw):
    response = post(client, path, raw)
    assert response.status_code == 400
    assert body_of(response)["error"] == "invalid_request"


@pytest.mark.parametrize("body", [
    {"email": 5, "password": PASSWORD, "workspace": "w"},
    {"email": "a@example.com", "password": ["x"], "workspace": "w"},
    {"email": "a@example.com", "password": PASSWORD, "workspace": {"n": 1}},
    {"email": "a@example.com", "password": PASSWORD},
    {"password": PASSWORD, "workspace": "w"},
    {"email": "not-an-email", "password": PASSWORD, "workspace": "w"},
    {"email": "a@example.com", "password": PASSWORD, "workspace": "w" * 101},
    {"email": "a@example.com", "password": PASSWORD, "workspace": "bad\x00byte"},
    {"email": "a@example.com", "password": PASSWORD, "workspace": "   "},
])
def test_signup_wrong_types_and_missing_fields(client, body):
    response = post(client, "/signup", json.dumps(body).encode())
    assert response.status_code == 400, response.body
    assert body_of(response)["error_description"]
    assert users.get_by_email("a@example.com") is None


def test_unicode_everywhere_is_fine(client):
    body = {"email": "zoë@例え.example.com", "password": "pässwörd-日本語-🔐-long",
            "workspace": "Ünïcødé 🚀 ワークスペース"}
    response = post(client, "/signup", json.dumps(body).encode())
    assert response.status_code == 201
    credentials = {"email": body["email"], "password": body["password"]}
    login = post(client, "/login", json.dumps(credentials).encode())
    assert login.status_code == 200


def test_body_over_64_kib_is_400(client):
    huge = json.dumps({"email": "a@example.com", "password": "x" * 70000, "workspace": "w"}).encode()
    response = post(client, "/signup", huge)
    assert response.status_code == 400
    assert "64 KiB" in body_of(response)["error_description"]


def test_login_with_huge_password_is_a_plain_401(client, account):
    response = post(client, "/login", json.dumps({"email": account.email, "password": "x" * 5000}).encode())
    assert response.status_code == 401


def test_form_instead_of_json_and_json_instead_of_form(client, account):
    form = post(client, "/login", b"email=a&password=b",
                {"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 403  # a form needs the pre-session CSRF token
    as_json_but_form_type = client.http.post("/login", body=json.dumps(
        {"email": account.email, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert as_json_but_form_type.status_code in (400, 403)


def test_unsupported_content_type_is_4xx(client):
    response = client.http.post("/login", body=b"<xml/>", headers={"Content-Type": "text/xml"})
    assert 400 <= response.status_code < 500


def test_ten_kilobyte_header_is_harmless(client, browser: Browser):
    response = browser.get("/account", headers={"X-Padding": "p" * 10_240, "User-Agent": "u" * 10_240})
    assert response.status_code == 200


def test_garbage_cookie_is_401_not_500(client):
    for cookie in ["tf_session=" + "x" * 5000, 'tf_session="\\x00;;;', "tf_session", "=;=;="]:
        response = client.http.get("/account", headers={"Cookie": cookie})
        assert response.status_code == 401


def test_unknown_route_is_not_a_500(client):
    assert client.http.get("/nope").status_code in (403, 404)


def test_wrong_method_and_media_type_answer_in_the_contract_shape(client):
    wrong_method = client.http.request("PUT", "/login", body=b"{}",
                                       headers={"Content-Type": "application/json"})
    assert wrong_method.status_code == 405
    assert body_of(wrong_method)["error"] == "method_not_allowed"
    assert "POST" in wrong_method.headers["Allow"]
    wrong_type = client.http.post("/signup", body=b"x", headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 400
    assert body_of(wrong_type)["error"] == "invalid_request"
