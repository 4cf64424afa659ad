"""Configuration, read from the environment once into one frozen object.

A bad value fails at start-up with a message naming the variable, never later
in the middle of a request.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit


class ConfigError(ValueError):
    """An environment variable holds a value the service cannot run with."""


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


@dataclass(frozen=True)
class Settings:
    table_name: str
    region: str
    issuer: str
    audience: str
    access_token_ttl: int
    refresh_token_ttl: int
    refresh_grace_seconds: int
    code_ttl: int
    session_idle_ttl: int
    session_absolute_ttl: int
    allow_signup: bool
    rate_limit_per_minute: int
    login_ip_limit: int
    authorize_ip_limit: int
    audit_retention_days: int
    signing_key_secret: str
    totp_key_secret: str
    log_level: str
    secret_scanning_keys: str = ""
    mail_from: str = "no-reply@example.com"
    local_outbox: bool = False
    reset_ip_limit: int = 30

    @property
    def cookie_secure(self) -> bool:
        """Secure cookies everywhere except plain http on a loopback host."""
        parts = urlsplit(self.issuer)
        return not (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS)


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _issuer(env: Mapping[str, str]) -> str:
    issuer = env.get("TASKFORGE_ISSUER") or f"http://127.0.0.1:{env.get('PORT') or '8000'}"
    parts = urlsplit(issuer)
    # RFC 8414 §2: the issuer is an https URL with no query or fragment; plain
    # http is tolerated only on loopback for local development.
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"TASKFORGE_ISSUER must be an absolute URL, got {issuer!r}")
    if parts.query or parts.fragment:
        raise ConfigError("TASKFORGE_ISSUER must not have a query or fragment")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
        raise ConfigError("TASKFORGE_ISSUER must use https outside loopback")
    return issuer.rstrip("/")


def load(env: Mapping[str, str]) -> Settings:
    """Build settings from an environment mapping; raises ConfigError."""
    table = env.get("TASKFORGE_TABLE", "taskforge-auth")
    if not 3 <= len(table) <= 255:
        raise ConfigError("TASKFORGE_TABLE must be 3 to 255 characters")
    level = env.get("TASKFORGE_LOG_LEVEL", "INFO").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"TASKFORGE_LOG_LEVEL must be DEBUG/INFO/WARNING/ERROR, got {level!r}")
    return Settings(
        table_name=table,
        region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
        issuer=_issuer(env),
        audience=env.get("TASKFORGE_AUDIENCE") or "taskforge-api",
        access_token_ttl=_int(env, "TASKFORGE_ACCESS_TOKEN_TTL", 3600, 60, 86400),
        refresh_token_ttl=_int(env, "TASKFORGE_REFRESH_TOKEN_TTL", 30 * 86400, 3600, 365 * 86400),
        refresh_grace_seconds=_int(env, "TASKFORGE_REFRESH_GRACE_SECONDS", 0, 0, 300),
        code_ttl=_int(env, "TASKFORGE_CODE_TTL", 60, 10, 60),
        session_idle_ttl=_int(env, "TASKFORGE_SESSION_IDLE_TTL", 12 * 3600, 300, 30 * 86400),
        session_absolute_ttl=_int(env, "TASKFORGE_SESSION_ABSOLUTE_TTL", 7 * 86400, 3600, 90 * 86400),
        allow_signup=_bool(env, "TASKFORGE_ALLOW_SIGNUP", True),
        rate_limit_per_minute=_int(env, "TASKFORGE_RATE_LIMIT_PER_MINUTE", 600, 1, 1_000_000),
        login_ip_limit=_int(env, "TASKFORGE_LOGIN_IP_LIMIT", 100, 1, 1_000_000),
        authorize_ip_limit=_int(env, "TASKFORGE_AUTHORIZE_IP_LIMIT", 50, 1, 1_000_000),
        audit_retention_days=_int(env, "TASKFORGE_AUDIT_RETENTION_DAYS", 90, 1, 3650),
        signing_key_secret=env.get("TASKFORGE_SIGNING_KEY_SECRET", "taskforge/signing-keys"),
        totp_key_secret=env.get("TASKFORGE_TOTP_KEY_SECRET", "taskforge/totp-key"),
        log_level=level,
        secret_scanning_keys=_secret_scanning_keys(env),
        mail_from=_mail_from(env),
        # Only `make run` sets this; the packaged template never does (GET /_local/outbox is 404).
        local_outbox=_bool(env, "TASKFORGE_LOCAL_OUTBOX", False),
        reset_ip_limit=_int(env, "TASKFORGE_RESET_IP_LIMIT", 30, 1, 1_000_000),
    )


def _secret_scanning_keys(env: Mapping[str, str]) -> str:
    """TASKFORGE_SECRET_SCANNING_KEYS: empty (off), a JSON keys document, or where to fetch one.

    The document's keys are parsed on first use (chalicelib/leaks/keys.py); here only the shape
    of the setting is checked, so a typo fails at start-up rather than on GitHub's first alert.
    """
    raw = (env.get("TASKFORGE_SECRET_SCANNING_KEYS") or "").strip()
    if not raw:
        return raw
    if raw.startswith("{"):
        try:
            keys = json.loads(raw).get("public_keys")
        except ValueError:
            keys = None
        if not isinstance(keys, list) or not all(
                isinstance(k, dict) and isinstance(k.get("key_identifier"), str)
                and isinstance(k.get("key"), str) for k in keys):
            raise ConfigError('TASKFORGE_SECRET_SCANNING_KEYS: expected {"public_keys": '
                              '[{"key_identifier", "key", "is_current"}, ...]}')
        return raw
    parts = urlsplit(raw)
    if parts.scheme == "https" and parts.hostname:
        return raw
    if parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS:
        return raw  # a local keys server, for development and tests only
    raise ConfigError("TASKFORGE_SECRET_SCANNING_KEYS must be a JSON keys document or an https URL")


def _mail_from(env: Mapping[str, str]) -> str:
    sender = (env.get("TASKFORGE_MAIL_FROM") or "no-reply@example.com").strip()
    if len(sender) > 254 or sender.count("@") != 1 or any(c in sender for c in " <>\r\n,;"):
        raise ConfigError(f"TASKFORGE_MAIL_FROM must be one email address, got {sender!r}")
    return sender


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once per container."""
    return load(os.environ)
