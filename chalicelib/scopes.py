"""Scopes: `read` ⊂ `write` ⊂ `admin`, each including the ones before it."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import InvalidRequest

ORDER = ("read", "write", "admin")
DESCRIPTIONS = {
    "read": "See your workspace's tasks and settings",
    "write": "Create, change and delete tasks",
    "admin": "Manage API keys, applications and the audit log",
}


def validate(requested: Iterable[str]) -> list[str]:
    """Known scopes only, de-duplicated, in canonical order; at least one."""
    wanted = list(requested)
    unknown = [s for s in wanted if s not in ORDER]
    if unknown:
        raise InvalidRequest(f"Unknown scope(s): {', '.join(sorted(set(unknown)))[:200]}. "
                             f"Use {', '.join(ORDER)}.")
    if not wanted:
        raise InvalidRequest("Choose at least one scope.")
    return [s for s in ORDER if s in wanted]


def expand(granted: Iterable[str]) -> list[str]:
    """Every scope the granted ones include (admin -> read, write, admin)."""
    top = max((ORDER.index(s) for s in granted if s in ORDER), default=-1)
    return list(ORDER[: top + 1])


def allows(granted: Iterable[str], needed: str) -> bool:
    return needed in expand(granted)
