"""Emails sent through moto's SES in-process (mock_aws), read back like the local outbox."""

from __future__ import annotations

import re
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from chalicelib.store.mail import parse


def messages(to: str | None = None) -> list[dict[str, Any]]:
    """Messages sent to `to` (every message without it), newest first."""
    raw = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages
    parsed = [parse(m.raw_data) for m in raw if hasattr(m, "raw_data")]
    return [m for m in reversed(parsed) if to is None or m["to"].lower() == to.lower()]


def link(to: str, path: str) -> str:
    """The newest link to `path` emailed to `to`."""
    for message in messages(to):
        found = re.search(r"(https?://[^\s\"<>]+" + re.escape(path) + r"\?token=[A-Za-z0-9_-]+)",
                          message["text"])
        if found:
            return found.group(1)
    raise AssertionError(f"no email to {to} with a {path} link")


def token(to: str, path: str) -> str:
    return link(to, path).rsplit("token=", 1)[1]
