"""Secret scanning fixtures: GitHub's signing key, configured through the environment."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib.leaks import keys
from chalicelib.settings import get_settings
from tests.conftest import Browser
from tests.leaks.signer import Signer

VARIABLE = "TASKFORGE_SECRET_SCANNING_KEYS"


def configure(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv(VARIABLE, raising=False)
    else:
        monkeypatch.setenv(VARIABLE, value)
    get_settings.cache_clear()
    keys.forget()


@pytest.fixture
def github(client: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Signer]:
    """GitHub's current key, its document inline in TASKFORGE_SECRET_SCANNING_KEYS."""
    signer = Signer.new()
    configure(monkeypatch, signer.document())
    yield signer
    configure(monkeypatch, None)


def alert(browser: Browser, body: bytes, headers: dict[str, str]) -> Any:
    """POST a report as GitHub does: no cookies, no CSRF token, just the signed body."""
    return browser.client.http.post("/secret-scanning/github", headers=headers, body=body)


def answer(response: Any) -> Any:
    return json.loads(response.body)
