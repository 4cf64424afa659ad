"""The RP id and origin follow the issuer; loopback IPs map to `localhost` (browsers refuse IPs)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib.passkeys import relying_party
from chalicelib.settings import get_settings, load


@pytest.fixture
def issuer(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    yield monkeypatch
    get_settings.cache_clear()


@pytest.mark.parametrize(("url", "rp_id", "origin"), [
    ("http://127.0.0.1:8000", "localhost", "http://localhost:8000"),
    ("http://[::1]:9000", "localhost", "http://localhost:9000"),
    ("http://localhost:8123", "localhost", "http://localhost:8123"),
    ("https://auth.example.com", "auth.example.com", "https://auth.example.com"),
    ("https://auth.example.com:8443/", "auth.example.com", "https://auth.example.com:8443"),
])
def test_rp_id_and_origin(issuer: pytest.MonkeyPatch, url: str, rp_id: str, origin: str) -> None:
    issuer.setenv("TASKFORGE_ISSUER", url)
    get_settings.cache_clear()
    assert relying_party.rp_id() == rp_id
    assert relying_party.origins() == [origin]


@pytest.mark.parametrize(("url", "secure"), [
    ("http://127.0.0.1:8000", False), ("http://localhost:8000", False), ("http://[::1]:8000", False),
    ("https://auth.example.com", True), ("https://localhost:8443", True),
])
def test_cookies_are_secure_except_on_plain_http_loopback(url: str, secure: bool) -> None:
    assert load({"TASKFORGE_ISSUER": url}).cookie_secure is secure
