"""The Python client's retry, backoff and refresh logic against a tiny HTTP server on 127.0.0.1.

The server answers what each test scripts (429s, 503s, 401s, rotated tokens) so the
client's real HTTP code runs; waits are recorded instead of slept.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
import taskforge

Answer = tuple[int, dict[str, str], Any]


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeApi:
    url: str
    routes: dict[str, Callable[[Seen], Answer]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def calls(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]


@pytest.fixture
def api() -> Iterator[FakeApi]:
    fake = FakeApi("")

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            with fake.lock:
                fake.seen.append(seen)
            route = fake.routes.get(self.path)
            status, headers, payload = route(seen) if route else (404, {}, {"error": "not_found"})
            data = b"" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = do_DELETE = _handle

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


def sequence(*answers: Answer) -> Callable[[Seen], Answer]:
    """Answers in order; the last one repeats."""
    queue = list(answers)
    return lambda _seen: queue.pop(0) if len(queue) > 1 else queue[0]


def client_for(api: FakeApi, waits: list[float], **kwargs: Any) -> taskforge.Client:
    return taskforge.Client(api.url, sleep=waits.append, **{"api_key": "tfk_secret", **kwargs})


OK: Answer = (200, {}, {"ok": True})
LIMITED: Answer = (429, {"Retry-After": "2"}, {"error": "rate_limited", "error_description": "Slow down."})
UNAVAILABLE: Answer = (503, {}, {"error": "temporarily_unavailable", "error_description": "Try again."})


def test_429_waits_retry_after_plus_bounded_jitter_then_answers(api: FakeApi) -> None:
    api.routes["/v1/me"] = sequence(LIMITED, LIMITED, OK)
    waits: list[float] = []
    assert client_for(api, waits).get("/v1/me") == {"ok": True}
    assert len(api.calls("/v1/me")) == 3
    assert len(waits) == 2 and all(2 <= w <= 2.5 for w in waits)
    assert api.seen[0].headers["authorization"] == "Bearer tfk_secret"


def test_503_without_retry_after_backs_off_exponentially_with_a_cap(api: FakeApi) -> None:
    api.routes["/v1/me"] = sequence(UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, OK)
    waits: list[float] = []
    client = client_for(api, waits, max_retries=4, backoff_base=1.0, backoff_cap=3.0)
    assert client.get("/v1/me") == {"ok": True}
    ceilings = [1.0, 2.0, 3.0, 3.0]  # 1, 2, 4 → capped at 3, 8 → capped at 3
    assert len(waits) == 4 and all(0 <= w <= c for w, c in zip(waits, ceilings, strict=True))


def test_still_limited_after_max_retries_raises_rate_limited_with_retry_after(api: FakeApi) -> None:
    api.routes["/v1/me"] = sequence(LIMITED)
    waits: list[float] = []
    with pytest.raises(taskforge.RateLimitedError) as raised:
        client_for(api, waits, max_retries=2).get("/v1/me")
    assert len(api.calls("/v1/me")) == 3 and len(waits) == 2
    error = raised.value
    assert (error.status, error.error, error.error_description, error.retry_after) == (
        429, "rate_limited", "Slow down.", 2.0)


def test_retry_after_longer_than_the_client_waits_is_raised_at_once(api: FakeApi) -> None:
    api.routes["/v1/me"] = sequence((429, {"Retry-After": "3600"}, {"error": "rate_limited"}))
    waits: list[float] = []
    with pytest.raises(taskforge.RateLimitedError) as raised:
        client_for(api, waits).get("/v1/me")
    assert waits == [] and raised.value.retry_after == 3600.0
    assert len(api.calls("/v1/me")) == 1


def test_max_retries_zero_never_retries(api: FakeApi) -> None:
    api.routes["/v1/me"] = sequence(UNAVAILABLE, OK)
    waits: list[float] = []
    with pytest.raises(taskforge.ApiError) as raised:
        client_for(api, waits, max_retries=0).get("/v1/me")
    assert raised.value.status == 503 and raised.value.error == "temporarily_unavailable" and waits == []


def test_typed_errors_carry_error_description_scope_and_request_id(api: FakeApi) -> None:
    api.routes["/v1/tasks"] = sequence((403, {"WWW-Authenticate": 'Bearer error="insufficient_scope", '
                                              'scope="write"', "X-Request-Id": "req-1"},
                                        {"error": "insufficient_scope", "error_description": "Needs write."}))
    api.routes["/v1/me"] = sequence((401, {}, {"error": "invalid_token", "error_description": "No."}))
    client = client_for(api, [])
    with pytest.raises(taskforge.ForbiddenError) as forbidden:
        client.post("/v1/tasks", json={"title": "x"})
    assert (forbidden.value.scope, forbidden.value.request_id) == ("write", "req-1")
    assert forbidden.value.error_description == "Needs write."
    with pytest.raises(taskforge.AuthenticationError):
        client.get("/v1/me")  # an API key cannot be refreshed: raised at once
    assert len(api.calls("/v1/me")) == 1
    with pytest.raises(taskforge.ApiError) as missing:
        client.get("/v1/nothing")
    assert (missing.value.status, missing.value.error) == (404, "not_found")
    assert json.loads(api.calls("/v1/tasks")[0].body) == {"title": "x"}


def test_204_is_none_and_paths_must_stay_on_the_base_url(api: FakeApi) -> None:
    api.routes["/v1/tasks/t1"] = sequence((204, {}, None))
    client = client_for(api, [])
    assert client.delete("/v1/tasks/t1") is None
    for bad in ("https://evil.example.com/v1/me", "//evil.example.com/v1/me", "v1/me"):
        with pytest.raises(ValueError):
            client.get(bad)
    assert len(api.seen) == 1


def rotating_token_endpoint(api: FakeApi, valid: dict[str, str]) -> None:
    """/oauth/token rotating refresh tokens like the real server: each works once."""
    counter = iter(range(2, 100))

    def token(seen: Seen) -> Answer:
        form = {k: v[0] for k, v in parse_qs(seen.body.decode()).items()}
        with api.lock:
            if form.get("grant_type") != "refresh_token" or valid.get("refresh") != form.get("refresh_token"):
                return 400, {}, {"error": "invalid_grant", "error_description": "Refresh token reused."}
            n = next(counter)
            valid.update(access=f"at-{n}", refresh=f"rt-{n}")
        return 200, {"Cache-Control": "no-store"}, {"access_token": f"at-{n}", "token_type": "Bearer",
                                                    "expires_in": 3600, "refresh_token": f"rt-{n}",
                                                    "scope": "read"}

    def me(seen: Seen) -> Answer:
        if seen.headers.get("authorization") == f"Bearer {valid['access']}":
            return 200, {}, {"principal_type": "user"}
        return 401, {"WWW-Authenticate": 'Bearer realm="taskforge", error="invalid_token"'}, {
            "error": "invalid_token", "error_description": "Expired."}

    api.routes["/oauth/token"] = token
    api.routes["/v1/me"] = me


def test_401_refreshes_once_calls_on_tokens_and_repeats(api: FakeApi,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    valid = {"access": "at-fresh", "refresh": "rt-1"}
    rotating_token_endpoint(api, valid)
    saved: list[tuple[str, str]] = []
    client = taskforge.Client(api.url, access_token="at-expired", refresh_token="rt-1",
                              client_id="cli_public", on_tokens=lambda a, r: saved.append((a, r)),
                              sleep=lambda _: None)
    caplog.set_level(logging.DEBUG)
    assert client.get("/v1/me") == {"principal_type": "user"}
    assert saved == [("at-2", "rt-2")]
    form = parse_qs(api.calls("/oauth/token")[0].body.decode())
    assert form == {"grant_type": ["refresh_token"], "refresh_token": ["rt-1"], "client_id": ["cli_public"]}
    assert client.get("/v1/me") == {"principal_type": "user"}  # the new token is kept
    assert len(api.calls("/oauth/token")) == 1
    for secret in ("at-expired", "rt-1", "at-2", "rt-2"):
        assert secret not in caplog.text and secret not in repr(client)


def test_a_401_after_refreshing_is_raised_not_looped(api: FakeApi) -> None:
    valid = {"access": "never-matches", "refresh": "rt-1"}
    rotating_token_endpoint(api, valid)
    api.routes["/v1/me"] = sequence((401, {}, {"error": "invalid_token"}))
    client = taskforge.Client(api.url, access_token="at-old", refresh_token="rt-1", client_id="c")
    with pytest.raises(taskforge.AuthenticationError):
        client.get("/v1/me")
    assert len(api.calls("/oauth/token")) == 1 and len(api.calls("/v1/me")) == 2


def test_concurrent_401s_refresh_once_so_rotation_never_reuses_a_token(api: FakeApi) -> None:
    valid = {"access": "at-fresh", "refresh": "rt-1"}
    rotating_token_endpoint(api, valid)
    saved: list[tuple[str, str]] = []
    client = taskforge.Client(api.url, access_token="at-expired", refresh_token="rt-1", client_id="c",
                              on_tokens=lambda a, r: saved.append((a, r)))
    results: list[Any] = []
    barrier = threading.Barrier(8)

    def call() -> None:
        barrier.wait()
        try:
            results.append(client.get("/v1/me"))
        except taskforge.TaskForgeError as exc:
            results.append(exc)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results == [{"principal_type": "user"}] * 8
    assert len(api.calls("/oauth/token")) == 1 and saved == [("at-2", "rt-2")]


def test_a_spent_refresh_token_is_an_authentication_error(api: FakeApi) -> None:
    rotating_token_endpoint(api, {"access": "x", "refresh": "rt-other"})
    client = taskforge.Client(api.url, access_token="at-old", refresh_token="rt-1", client_id="c")
    with pytest.raises(taskforge.AuthenticationError) as raised:
        client.get("/v1/me")
    assert (raised.value.status, raised.value.error) == (400, "invalid_grant")
    assert "rt-1" not in str(raised.value)


def test_confidential_clients_use_basic_and_machines_fetch_their_own_token(api: FakeApi) -> None:
    api.routes["/oauth/token"] = sequence((200, {}, {"access_token": "at-m", "token_type": "Bearer",
                                                     "expires_in": 3600}))
    api.routes["/v1/me"] = sequence(OK)
    client = taskforge.Client(api.url, client_id="cli 1", client_secret="s/cr:t")
    assert client.get("/v1/me") == {"ok": True}
    token_call = api.calls("/oauth/token")[0]
    assert parse_qs(token_call.body.decode()) == {"grant_type": ["client_credentials"]}
    # RFC 6749 §2.3.1: id and secret form-urlencoded before Basic.
    assert token_call.headers["authorization"] == "Basic " + base64.b64encode(b"cli%201:s%2Fcr%3At").decode()
    assert api.calls("/v1/me")[0].headers["authorization"] == "Bearer at-m"


def test_pkce_helper_matches_rfc_7636_and_checks_state() -> None:
    # RFC 7636 Appendix B.
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert taskforge.code_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    request = taskforge.authorization_request("http://127.0.0.1:8000/", "cli_1", "http://127.0.0.1:9/cb",
                                              scope="read write")
    query = {k: v[0] for k, v in parse_qs(request.url.split("?", 1)[1]).items()}
    assert request.url.startswith("http://127.0.0.1:8000/oauth/authorize?")
    assert query == {"response_type": "code", "client_id": "cli_1", "redirect_uri": "http://127.0.0.1:9/cb",
                     "scope": "read write", "state": request.state, "code_challenge_method": "S256",
                     "code_challenge": taskforge.code_challenge(request.code_verifier)}
    assert 43 <= len(request.code_verifier) <= 128 and request.code_verifier not in repr(request)
    back = f"http://127.0.0.1:9/cb?code=abc&state={request.state}&iss=x"
    assert taskforge.code_from_redirect(back, request.state) == "abc"
    with pytest.raises(taskforge.ApiError) as wrong:
        taskforge.code_from_redirect("http://127.0.0.1:9/cb?code=abc&state=forged", request.state)
    assert wrong.value.error == "invalid_state"
    with pytest.raises(taskforge.ApiError) as denied:
        taskforge.code_from_redirect(f"http://127.0.0.1:9/cb?error=access_denied&state={request.state}",
                                     request.state)
    assert denied.value.error == "access_denied"


def test_retry_after_as_http_date() -> None:
    from taskforge.client import retry_after_seconds

    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: retry now
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None
