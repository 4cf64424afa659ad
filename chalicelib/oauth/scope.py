"""The OAuth `scope` parameter (RFC 6749 §3.3): a space-separated string of our scopes.

Scopes nest (`read` ⊂ `write` ⊂ `admin`): a client registered for `write` may ask
for `read`, and a grant of `write` may be narrowed to `read` on refresh.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .. import scopes
from .errors import InvalidScope

# OpenID Connect Core §5.4: identity scopes, outside the read ⊂ write ⊂ admin chain. Any
# client of the code flow may ask for them; each stands alone (no nesting).
IDENTITY = ("openid", "email")
IDENTITY_DESCRIPTIONS = {"openid": "Know who you are (your TaskForge user id)",
                         "email": "See your email address and whether it is verified"}

# RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), joined by single spaces.
_SCOPE = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$")


def parse(raw: str | None, allowed: Iterable[str], default: Iterable[str]) -> list[str]:
    """Requested scopes in canonical order; `default` when absent; InvalidScope beyond `allowed`."""
    if raw is None:
        return _ordered(set(default))
    if len(raw) > 200 or not _SCOPE.match(raw):
        raise InvalidScope("scope must be space-separated scope names.")
    wanted = set(raw.split(" "))
    unknown = wanted - set(scopes.ORDER) - set(IDENTITY)
    if unknown:
        raise InvalidScope(f"Unknown scope. Supported: {' '.join(IDENTITY + scopes.ORDER)}.")
    # RFC 6749 §3.3 / §6: never more than the client (or the original grant) may have.
    allowed = list(allowed)
    if not wanted <= set(scopes.expand(allowed)) | (set(allowed) & set(IDENTITY)):
        raise InvalidScope("The requested scope exceeds what this client may be granted.")
    return _ordered(wanted)


def _ordered(wanted: set[str]) -> list[str]:
    return [s for s in IDENTITY + scopes.ORDER if s in wanted]


def description(name: str) -> str:
    return IDENTITY_DESCRIPTIONS.get(name) or scopes.DESCRIPTIONS[name]


def to_string(granted: Iterable[str]) -> str:
    return " ".join(granted)
