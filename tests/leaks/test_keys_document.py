"""Where GitHub's keys come from: the environment variable, inline or as a URL (a real local server)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from chalicelib.leaks import keys
from chalicelib.settings import ConfigError, load
from tests.conftest import Browser
from tests.keys import make_key
from tests.leaks.conftest import alert, answer, configure
from tests.leaks.signer import Signer, report


class KeysServer:
    """Serves a keys document over HTTP on 127.0.0.1 and counts the fetches."""

    def __init__(self) -> None:
        self.document, self.status, self.fetches = b"", 200, 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                owner.fetches += 1
                self.send_response(owner.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(owner.document)

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/meta/public_keys/secret_scanning"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def keys_server(client: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[KeysServer]:
    server = KeysServer()
    configure(monkeypatch, server.url)
    yield server
    server.server.shutdown()
    configure(monkeypatch, None)


def post(browser: Browser, signer: Signer, token: str) -> Any:
    body = report(token)
    return alert(browser, body, signer.headers(body))


def test_the_document_is_fetched_once_and_cached(browser: Browser, keys_server: KeysServer) -> None:
    github = Signer.new()
    keys_server.document = github.document().encode()
    for _ in range(3):
        created = make_key(browser, ["read"])
        assert answer(post(browser, github, created["key"]))[0]["label"] == "true_positive"
    assert keys_server.fetches == 1


def test_an_unknown_key_id_fetches_again_once(browser: Browser, keys_server: KeysServer,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    old, rotated, forger = Signer.new(), Signer.new(), Signer.new()
    keys_server.document = old.document().encode()
    created = make_key(browser, ["read"])
    assert post(browser, old, "tfk_x").status_code == 200
    monkeypatch.setattr(keys, "REFETCH_SECONDS", 0)  # as if a minute had passed
    keys_server.document = rotated.document(old).encode()  # GitHub rotated its key
    assert answer(post(browser, rotated, created["key"]))[0]["label"] == "true_positive"
    assert keys_server.fetches == 2
    monkeypatch.setattr(keys, "REFETCH_SECONDS", 60)
    for _ in range(5):  # forged key ids: refused, and the URL is not fetched again within the minute
        assert post(browser, forger, "tfk_x").status_code == 401
    assert keys_server.fetches == 2
    monkeypatch.setattr(keys, "REFETCH_SECONDS", 0)
    assert post(browser, forger, "tfk_x").status_code == 401  # a minute later: one more look
    assert keys_server.fetches == 3


@pytest.mark.parametrize("status, document", [(500, b"{}"), (200, b"not json"), (200, b'{"public_keys": []}'),
                                              (200, b"{" + b" " * 70_000 + b"}")])
def test_a_document_that_cannot_be_had_is_503_and_touches_nothing(
        browser: Browser, keys_server: KeysServer, status: int, document: bytes) -> None:
    github = Signer.new()
    keys_server.status, keys_server.document = status, document
    created = make_key(browser, ["read"])
    response = post(browser, github, created["key"])
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    assert answer(response)["error"] == "temporarily_unavailable"
    assert post(browser, github, created["key"]).status_code == 503
    assert keys_server.fetches == 1  # a failing URL is not waited on for every alert
    assert browser.client.http.get("/v1/me", headers={"Authorization": f"Bearer {created['key']}"}
                                   ).status_code == 200


def test_an_unreachable_url_is_503(browser: Browser, monkeypatch: pytest.MonkeyPatch, client: Any) -> None:
    configure(monkeypatch, "http://127.0.0.1:9/keys")  # the discard port: nothing listens
    github = Signer.new()
    assert post(browser, github, "tfk_x").status_code == 503
    configure(monkeypatch, None)


def test_keys_that_are_not_p256_are_skipped() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    p384 = ec.generate_private_key(ec.SECP384R1()).public_key()
    ed = ed25519.Ed25519PrivateKey.generate().public_key()
    pem = {name: k.public_bytes(serialization.Encoding.PEM,
                                serialization.PublicFormat.SubjectPublicKeyInfo).decode()
           for name, k in (("p384", p384), ("ed", ed))}
    good = Signer.new()
    document = {"public_keys": [{"key_identifier": "p384", "key": pem["p384"]},
                                {"key_identifier": "ed", "key": pem["ed"]},
                                {"key_identifier": "junk", "key": "-----BEGIN PUBLIC KEY-----\nxx"},
                                {"key_identifier": 7, "key": good.public_pem()}, "not an entry",
                                {"key_identifier": good.key_id, "key": good.public_pem()}]}
    assert list(keys.parse(document)) == [good.key_id]
    assert keys.parse(["not", "a", "document"]) == {}


@pytest.mark.parametrize("value", ["http://keys.example.com/x", "ftp://keys.example.com/x", "keys.json",
                                   "{not json", '{"keys": []}', '{"public_keys": [{"key": "x"}]}',
                                   '{"public_keys": {}}'])
def test_a_wrong_setting_fails_at_start_up(value: str) -> None:
    with pytest.raises(ConfigError, match="TASKFORGE_SECRET_SCANNING_KEYS"):
        load({"TASKFORGE_SECRET_SCANNING_KEYS": value})


@pytest.mark.parametrize("value", ["", "https://api.github.com/meta/public_keys/secret_scanning",
                                   "http://127.0.0.1:8001/keys", '{"public_keys": []}'])
def test_accepted_settings(value: str) -> None:
    assert load({"TASKFORGE_SECRET_SCANNING_KEYS": value}).secret_scanning_keys == value
