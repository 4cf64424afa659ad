"""Is the service able to answer? Only the store can make it unable."""

from __future__ import annotations

from .errors import StoreUnavailable
from .store import admin


def store_answers() -> bool:
    """One cheap read of the table; False when the store is unreachable or throttled."""
    try:
        admin.ping()
    except StoreUnavailable:
        return False
    return True
