"""What a person typed into a code field: normalised, or refused with a clear 400.

Spaces and dashes are dropped ("123 456", "abcd-efgh"). Only ASCII is
accepted: `str.isdigit()` is true for Arabic-Indic and other Unicode digits,
which an authenticator never shows, so they are refused rather than read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..errors import InvalidRequest
from . import totp

MAX_INPUT = 64
BACKUP_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32: no i, l, o, u
BACKUP_LENGTH = 8
# Crockford's decoding rules: letters people confuse with digits read as those digits.
_CONFUSABLE = str.maketrans({"o": "0", "i": "1", "l": "1"})

ASK = "Enter the 6-digit code from your authenticator app, or one of your backup codes."


@dataclass(frozen=True)
class Code:
    kind: Literal["totp", "backup"]
    value: str


def _clean(raw: Any) -> str:
    if raw is None:
        raise InvalidRequest(f"'code' is required. {ASK}")
    if not isinstance(raw, str):
        raise InvalidRequest("'code' must be a string.")
    if len(raw) > MAX_INPUT:
        raise InvalidRequest(f"'code' is too long. {ASK}")
    cleaned = "".join(raw.split()).replace("-", "")
    if not cleaned:
        raise InvalidRequest(f"'code' is empty. {ASK}")
    if not cleaned.isascii():
        raise InvalidRequest("'code' may contain only the digits 0-9 and the letters a-z.")
    return cleaned


def parse(raw: Any, *, allow_backup: bool = True) -> Code:
    """A TOTP code (6 ASCII digits) or, where allowed, a backup code (8 characters)."""
    cleaned = _clean(raw)
    if cleaned.isdigit() and len(cleaned) == totp.DIGITS:
        return Code("totp", cleaned)
    if allow_backup and len(cleaned) == BACKUP_LENGTH:
        lowered = cleaned.lower().translate(_CONFUSABLE)
        if all(c in BACKUP_ALPHABET for c in lowered):
            return Code("backup", lowered)
    if cleaned.isdigit():
        raise InvalidRequest(f"An authenticator code has exactly {totp.DIGITS} digits; "
                             f"this one has {len(cleaned)}.")
    if not allow_backup:
        raise InvalidRequest(f"Enter the {totp.DIGITS}-digit code (digits only) "
                             "from your authenticator app.")
    raise InvalidRequest("That is neither a 6-digit authenticator code nor a backup code "
                         "(8 letters and digits, like abcd-1234).")
