"""What a credential is: one owner of the prefixes, shape dispatch, formats and redaction."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from chalicelib import credentials, logs
from chalicelib.credentials import API_KEYS, REFRESH_TOKENS

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("fmt", "kind"), [(API_KEYS, credentials.API_KEY),
                                           (REFRESH_TOKENS, credentials.REFRESH_TOKEN)],
                         ids=["api_key", "refresh_token"])
def test_each_format_makes_well_formed_tokens_that_dispatch_to_their_kind(
        fmt: credentials.TokenFormat, kind: str) -> None:
    token = fmt.new()
    assert len(token) == fmt.length == 42 and fmt.well_formed(token)
    assert credentials.kind(token) == kind
    assert not fmt.well_formed(token[:-1] + ("A" if token[-1] != "A" else "B"))  # checksum
    others = [f for f in credentials.FORMATS if f is not fmt]
    assert not any(other.well_formed(token) for other in others)


def test_refresh_tokens_repeat_their_family() -> None:
    family = "F" * REFRESH_TOKENS.FAMILY_CHARS
    token = REFRESH_TOKENS.issue(family)
    assert len(token) == 42 and REFRESH_TOKENS.well_formed(token) and REFRESH_TOKENS.family(token) == family
    assert REFRESH_TOKENS.issue(family) != token  # 16 fresh random characters each time


@pytest.mark.parametrize(("credential", "kind"), [
    ("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", credentials.ACCESS_TOKEN),
    ("tfs_" + "a" * 38, None),  # a client secret is never a bearer credential
    ("opaque-garbage", None),
    ("a.b.c.d", None),
], ids=["jwt", "client_secret", "garbage", "four_parts"])
def test_shape_dispatch(credential: str, kind: str | None) -> None:
    assert credentials.kind(credential) == kind


def test_logs_redact_every_one_of_our_formats() -> None:
    for fmt in credentials.FORMATS:
        token = fmt.new()
        assert token not in logs.redact(f"GET /x?t={token} ua")
    assert "eyJhbGc" not in logs.redact("Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")


def test_no_module_but_credentials_spells_a_prefix() -> None:
    """The refresh-token and API-key prefixes appear as string literals in one module only."""
    spelled = subprocess.run(["grep", "-rlE", "[\"'](tfr_|tfk_)", "chalicelib", "app.py", "--include=*.py"],
                             cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert spelled == ["chalicelib/credentials.py"]
