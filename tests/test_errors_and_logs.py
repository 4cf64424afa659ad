"""Errors map in one place; logs are JSON lines with a request id and never carry a secret."""

from __future__ import annotations

import json

import pytest

from chalicelib import settings
from chalicelib.store import db
from tests.conftest import PASSWORD, Browser, body_of


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_no_password_token_or_cookie_in_any_log_line(client, account, capsys):
    browser = Browser(client)
    browser.login(account.email)
    browser.get("/account", headers={"Authorization": "Bearer tfk_secretlooking"})
    browser.post("/login", {"email": account.email, "password": "wrong password attempt"})
    browser.post("/logout")
    out = capsys.readouterr().out
    lines = json_lines(out)
    assert lines, "expected JSON log lines"
    for secret in (PASSWORD, "wrong password attempt", browser.csrf, "tfk_secretlooking"):
        assert secret not in out
    session_cookie = "tf_session"
    assert all(session_cookie not in json.dumps(line) for line in lines)
    requests = [line for line in lines if line["event"] == "request"]
    assert requests and all(line["request_id"] != "-" for line in requests)


def test_unexpected_failure_is_500_server_error_with_request_id(client, account):
    # A damaged record (no workspace) makes session creation fail unexpectedly.
    db.update(f"USER#{account.user_id}", "PROFILE", "REMOVE workspace_id")
    response = client.http.post("/login", headers={"Content-Type": "application/json"},
                                body=json.dumps({"email": account.email, "password": PASSWORD}).encode())
    assert response.status_code == 500
    body = body_of(response)
    assert body["error"] == "server_error"
    assert response.headers["X-Request-Id"] in body["error_description"]
    assert "Traceback" not in response.body.decode() and "KeyError" not in response.body.decode()


def test_health_is_503_when_the_store_is_unreachable(client, monkeypatch):
    assert body_of(client.http.get("/health")) == {"status": "ok"}
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9")
    db.client.cache_clear()
    response = client.http.get("/health")
    db.client.cache_clear()
    assert response.status_code == 503


def test_sign_in_fails_closed_when_the_store_is_unreachable(client, account, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9")
    db.client.cache_clear()
    response = client.http.post("/login", headers={"Content-Type": "application/json"},
                                body=json.dumps({"email": account.email, "password": PASSWORD}).encode())
    db.client.cache_clear()
    assert response.status_code == 503
    assert body_of(response)["error"] == "temporarily_unavailable"
    assert response.headers["Retry-After"] == "1"
    assert "Set-Cookie" not in response.headers


def test_security_headers_on_pages(client):
    page = client.http.get("/login")
    assert page.status_code == 200
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in page.headers  # loopback http


@pytest.mark.parametrize("env, message", [
    ({"TASKFORGE_RATE_LIMIT_PER_MINUTE": "lots"}, "TASKFORGE_RATE_LIMIT_PER_MINUTE must be a whole number"),
    ({"TASKFORGE_ALLOW_SIGNUP": "maybe"}, "TASKFORGE_ALLOW_SIGNUP must be true or false"),
    ({"TASKFORGE_ISSUER": "http://auth.example.com"}, "https outside loopback"),
    ({"TASKFORGE_ISSUER": "not a url"}, "absolute URL"),
    ({"TASKFORGE_CODE_TTL": "600"}, "between 10 and 60"),
])
def test_bad_configuration_fails_at_start_with_the_variable_named(env, message):
    with pytest.raises(settings.ConfigError, match=message):
        settings.load(env)


def test_https_issuer_turns_secure_cookies_on():
    assert settings.load({"TASKFORGE_ISSUER": "https://auth.example.com"}).cookie_secure is True
    assert settings.load({"PORT": "9000"}).issuer == "http://127.0.0.1:9000"
