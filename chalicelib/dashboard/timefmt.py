"""Times as a person reads them: an absolute UTC time and a rough "how long ago"."""

from __future__ import annotations

import time

_UNITS = ((86400, "day"), (3600, "hour"), (60, "minute"))


def iso(ts: int | None) -> str | None:
    """For `<time datetime=…>`: machines and screen readers get the exact instant."""
    if ts is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def when(ts: int | None) -> str | None:
    """`12 Mar 2025, 14:05 UTC`: one unambiguous format, whatever the reader's locale."""
    if ts is None:
        return None
    return time.strftime("%d %b %Y, %H:%M UTC", time.gmtime(ts)).lstrip("0")


def _span(seconds: int) -> str:
    for size, unit in _UNITS:
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return "less than a minute"


def ago(ts: int | None, now: int) -> str | None:
    """`5 minutes ago`, `just now`."""
    if ts is None:
        return None
    seconds = max(0, now - ts)
    return "just now" if seconds < 60 else f"{_span(seconds)} ago"


def relative(ts: int | None, now: int) -> str | None:
    """`in 3 days` for the future, `2 hours ago` for the past."""
    if ts is None:
        return None
    return f"in {_span(ts - now)}" if ts > now else ago(ts, now)


def stamp(ts: int | None, now: int) -> dict[str, str] | None:
    """Everything a template needs to show one time: `<time datetime=iso title=when>relative</time>`."""
    if ts is None:
        return None
    return {"iso": iso(ts) or "", "when": when(ts) or "", "relative": relative(ts, now) or ""}
