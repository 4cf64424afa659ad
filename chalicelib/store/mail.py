"""Amazon SES v2: sending a MIME message, creating the sender identity, and (local
stack only) reading sent messages back from moto.

The SES client is created once per container with short timeouts, like the
DynamoDB client. Every SES failure becomes `MailUnavailable` (503), so callers
decide per email whether the action goes ahead or is refused.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from ..errors import MailUnavailable
from ..settings import get_settings


@lru_cache(maxsize=1)
def client() -> Any:
    """One botocore SES v2 client per container; honours AWS_ENDPOINT_URL(_SESV2)."""
    session = botocore.session.get_session()
    config = Config(connect_timeout=2, read_timeout=5,
                    retries={"max_attempts": 2, "mode": "standard"})
    return session.create_client("sesv2", region_name=get_settings().region, config=config)


def send_raw(sender: str, to: str, mime: bytes) -> str:
    """SendEmail with raw MIME content (text and HTML parts); returns SES's message id."""
    try:
        answer = client().send_email(FromEmailAddress=sender, Destination={"ToAddresses": [to]},
                                     Content={"Raw": {"Data": mime}})
    except (ClientError, BotoCoreError) as exc:
        raise MailUnavailable() from exc
    return str(answer.get("MessageId", ""))


def ensure_identity(sender: str) -> None:
    """The sender identity (SES refuses mail from an unverified one); idempotent."""
    try:
        client().create_email_identity(EmailIdentity=sender)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "AlreadyExistsException":
            raise


def _endpoint() -> str | None:
    return os.environ.get("AWS_ENDPOINT_URL_SESV2") or os.environ.get("AWS_ENDPOINT_URL")


def sent_messages() -> list[dict[str, Any]]:
    """Every message moto's SES holds, oldest first (local stack only).

    The local stack's moto server (scripts/moto_serial.py) lists the raw messages at
    `/moto-api/taskforge/ses-raw-messages`; a plain moto server only has its whole model dump
    (`/moto-api/data.json`, where moto keeps raw messages as `RawMessage`), used as a fallback.
    """
    endpoint = _endpoint()
    if not endpoint:
        return []
    base = endpoint.rstrip("/") + "/moto-api/"
    try:
        raw = [str(item) for item in _get_json(base + "taskforge/ses-raw-messages")]
    except urllib.error.HTTPError:
        dump = _get_json(base + "data.json").get("ses", {}).get("RawMessage", [])
        raw = [str(item.get("raw_data", "")) for item in dump if isinstance(item, dict)]
    return [parse(item) for item in raw]


def _get_json(url: str) -> Any:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError:
        raise
    except (OSError, ValueError) as exc:
        raise MailUnavailable() from exc


def parse(raw: str) -> dict[str, Any]:
    """`{to, subject, text, html, sent_at}` of one MIME message."""
    message = message_from_bytes(raw.encode("utf-8"), policy=policy.default)
    parts: dict[str, str] = {}
    for part in message.walk():
        kind = part.get_content_type()
        if kind in ("text/plain", "text/html") and kind not in parts:
            parts[kind] = str(part.get_content()).replace("\r\n", "\n")
    date = message.get("Date")
    return {"to": str(message.get("To", "")), "subject": str(message.get("Subject", "")),
            "text": parts.get("text/plain", ""), "html": parts.get("text/html", ""),
            "sent_at": int(parsedate_to_datetime(str(date)).timestamp()) if date else 0}
