"""AWS Secrets Manager: where signing and encryption keys live (never in code or config).

Read through a per-container cache so a warm Lambda pays one call per secret
per `CACHE_SECONDS`; rotation is seen within that time.
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any

import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from ..errors import StoreUnavailable
from ..settings import get_settings

CACHE_SECONDS = 300
_cache: dict[str, tuple[float, str]] = {}


@lru_cache(maxsize=1)
def client() -> Any:
    config = Config(connect_timeout=2, read_timeout=3,
                    retries={"max_attempts": 2, "mode": "standard"})
    return botocore.session.get_session().create_client(
        "secretsmanager", region_name=get_settings().region, config=config)


def read(name: str, fresh: bool = False) -> str | None:
    """The secret's current string value, or None when it does not exist."""
    cached = _cache.get(name)
    if cached and not fresh and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    try:
        value = str(client().get_secret_value(SecretId=name)["SecretString"])
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            return None
        raise StoreUnavailable() from exc
    except BotoCoreError as exc:
        raise StoreUnavailable() from exc
    _cache[name] = (time.monotonic(), value)
    return value


def write(name: str, value: str) -> None:
    """Create the secret or store a new version of it."""
    try:
        try:
            client().put_secret_value(SecretId=name, SecretString=value)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
                raise
            client().create_secret(Name=name, SecretString=value)
    except (ClientError, BotoCoreError) as exc:
        raise StoreUnavailable() from exc
    _cache.pop(name, None)


def forget() -> None:
    """Drop cached values (tests, and after a rotation in this process)."""
    _cache.clear()
