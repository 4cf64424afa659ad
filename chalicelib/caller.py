"""Who is acting: the request details the audit log records with each event."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Caller:
    ip: str
    user_agent: str
