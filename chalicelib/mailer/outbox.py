"""The local outbox: emails sent through moto's SES, read back for one address.

Only when TASKFORGE_LOCAL_OUTBOX=true (`make run` sets it; the packaged template
never does): otherwise the route answers 404 as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from ..errors import NotFound
from ..settings import get_settings
from ..store import mail


def messages(to: str | None) -> list[dict[str, Any]]:
    """`[{to, subject, text, html, sent_at}]` for address `to`, newest first."""
    if not get_settings().local_outbox:
        raise NotFound()
    wanted = (to or "").strip().lower()
    found = [m for m in mail.sent_messages() if not wanted or m["to"].lower() == wanted]
    return list(reversed(found))
