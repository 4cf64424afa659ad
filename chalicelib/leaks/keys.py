"""GitHub's secret scanning public keys, by key identifier.

TASKFORGE_SECRET_SCANNING_KEYS holds GitHub's keys document
(`{"public_keys": [{"key_identifier", "key" (PEM), "is_current"}]}`) inline, or the https URL
it is published at (https://api.github.com/meta/public_keys/secret_scanning). A fetched
document is cached per container; an unknown key identifier (GitHub rotated its keys) fetches
it again, at most once per REFETCH_SECONDS, so forged identifiers cannot make us hammer the URL.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.request
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from .. import logs
from ..settings import get_settings
from .errors import InvalidSignature, KeysUnavailable, NotConfigured

FETCH_TIMEOUT_SECONDS = 3
REFETCH_SECONDS = 60
MAX_DOCUMENT_BYTES = 64 * 1024
USER_AGENT = "taskforge-auth-secret-scanning"

PublicKeys = dict[str, ec.EllipticCurvePublicKey]


@dataclass(frozen=True)
class Fetched:
    keys: PublicKeys
    at: float
    failed: bool = False


_fetched: dict[str, Fetched] = {}  # by URL: one container, one copy


def parse(document: Any) -> PublicKeys:
    """The P-256 keys of a keys document; entries that are not such keys are skipped."""
    entries = document.get("public_keys") if isinstance(document, dict) else None
    keys: PublicKeys = {}
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        key_id, pem = entry.get("key_identifier"), entry.get("key")
        if not isinstance(key_id, str) or not isinstance(pem, str):
            continue
        try:
            key = serialization.load_pem_public_key(pem.encode("utf-8"))
        except (ValueError, UnicodeEncodeError):
            key = None
        if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
            keys[key_id] = key
        else:
            logs.log("secret_scanning_key_skipped", logging.WARNING, key_identifier=key_id[:100])
    return keys


@lru_cache(maxsize=4)
def _inline(document: str) -> PublicKeys:
    return parse(json.loads(document))  # settings.load checked that it is JSON of this shape


def fetch(url: str) -> PublicKeys:
    """GET the keys document (bounded in time and size); KeysUnavailable when that fails."""
    request = urllib.request.Request(url, headers={"Accept": "application/json",
                                                   "User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as answer:  # noqa: S310
            data = answer.read(MAX_DOCUMENT_BYTES + 1)
        if len(data) > MAX_DOCUMENT_BYTES:
            raise ValueError("keys document too large")
        keys = parse(json.loads(data.decode("utf-8")))
    except (OSError, ValueError) as exc:  # URLError, timeouts, HTTP errors, bad JSON
        logs.log("secret_scanning_keys_unavailable", logging.ERROR, reason=type(exc).__name__)
        raise KeysUnavailable() from None
    if not keys:
        logs.log("secret_scanning_keys_unavailable", logging.ERROR, reason="no P-256 key")
        raise KeysUnavailable()
    return keys


def require_configured() -> str:
    """The keys setting; NotConfigured (404) when the installation has none."""
    source = get_settings().secret_scanning_keys
    if not source:
        raise NotConfigured()
    return source


def public_key(key_id: str) -> ec.EllipticCurvePublicKey:
    """The key GitHub says it signed with; InvalidSignature when there is no such key."""
    source = require_configured()
    if source.startswith("{"):
        keys = _inline(source)
    else:
        keys = _from_url(source, key_id)
    key = keys.get(key_id)
    if key is None:
        raise InvalidSignature()
    return key


def _from_url(url: str, key_id: str) -> PublicKeys:
    cached, now = _fetched.get(url), time.monotonic()
    if cached is not None and (key_id in cached.keys or now - cached.at < REFETCH_SECONDS):
        if cached.failed and not cached.keys:
            raise KeysUnavailable()  # the last fetch failed moments ago: do not wait on it again
        return cached.keys
    try:
        keys = fetch(url)
    except KeysUnavailable:
        # Remember the attempt too, so a URL that is down is tried once a minute, not per alert.
        _fetched[url] = Fetched(cached.keys if cached else {}, now, failed=True)
        raise
    _fetched[url] = Fetched(keys, now)
    return keys


def forget() -> None:
    """Drop fetched documents (tests, and settings that changed in-process)."""
    _fetched.clear()
    _inline.cache_clear()
