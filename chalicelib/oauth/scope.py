"""The OAuth `scope` parameter (RFC 6749 §3.3): a space-separated string of our scopes.

Scopes nest (`read` ⊂ `write` ⊂ `admin`): a client registered for `write` may ask
for `read`, and a grant of `write` may be narrowed to `read` on refresh.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .. import scopes
from .errors import InvalidScope

# RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), joined by single spaces.
_SCOPE = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$")


def parse(raw: str | None, allowed: Iterable[str], default: Iterable[str]) -> list[str]:
    """Requested scopes in canonical order; `default` when absent; InvalidScope beyond `allowed`."""
    if raw is None:
        return [s for s in scopes.ORDER if s in set(default)]
    if len(raw) > 200 or not _SCOPE.match(raw):
        raise InvalidScope("scope must be space-separated scope names.")
    wanted = set(raw.split(" "))
    unknown = wanted - set(scopes.ORDER)
    if unknown:
        raise InvalidScope(f"Unknown scope. Supported: {' '.join(scopes.ORDER)}.")
    # RFC 6749 §3.3 / §6: never more than the client (or the original grant) may have.
    if not wanted <= set(scopes.expand(allowed)):
        raise InvalidScope("The requested scope exceeds what this client may be granted.")
    return [s for s in scopes.ORDER if s in wanted]


def to_string(granted: Iterable[str]) -> str:
    return " ".join(granted)
