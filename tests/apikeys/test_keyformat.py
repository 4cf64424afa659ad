"""The API-key format: the contract's checksum rule, worked by hand, and what a listing shows."""

from __future__ import annotations

from chalicelib import tokens
from chalicelib.apikeys import keyformat

BODY = "tfk_" + "0123456789ABCDEFGHIJKLMNOPQRSTUV"


def reference_crc32(data: bytes) -> int:
    """CRC-32 (ISO-HDLC, reflected polynomial 0xEDB88320) bit by bit, independent of zlib."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xEDB88320 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def test_checksum_worked_example() -> None:
    crc = reference_crc32(BODY.encode("ascii"))
    assert crc == 3227369194
    # 3227369194 in base 62, most significant digit first:
    #   3*62^5 + 32*62^4 + 25*62^3 + 44*62^2 + 9*62 + 52
    #   = 2748398496 + 472842752 + 5958200 + 169136 + 558 + 52
    # digits 3, 32, 25, 44, 9, 52 in the alphabet 0-9A-Za-z -> "3", "W", "P", "i", "9", "q"
    assert 3 * 62**5 + 32 * 62**4 + 25 * 62**3 + 44 * 62**2 + 9 * 62 + 52 == crc
    assert tokens.checksum(BODY) == "3WPi9q"
    assert keyformat.well_formed(BODY + "3WPi9q")
    assert len(BODY + "3WPi9q") == 42


def test_small_checksums_are_zero_padded_to_six_digits() -> None:
    assert tokens.base62(0, 6) == "000000"
    assert tokens.base62(61, 6) == "00000z"
    assert tokens.base62(2**32 - 1, 6) == "4gfFC3"


def test_one_changed_character_is_refused() -> None:
    key = BODY + "3WPi9q"
    assert not keyformat.well_formed(key[:10] + "X" + key[11:])
    assert not keyformat.well_formed(key[:-1] + "r")
    assert not keyformat.well_formed(key[:-1])
    assert not keyformat.well_formed("tfr_" + key[4:])


def test_new_keys_are_well_formed_and_distinct() -> None:
    keys = {keyformat.new_key() for _ in range(50)}
    assert len(keys) == 50
    for key in keys:
        assert key.startswith("tfk_") and len(key) == keyformat.LENGTH == 42
        assert keyformat.well_formed(key)
        assert tokens.checksum(key[:-6]) == key[-6:]


def test_hint_shows_the_first_four_random_characters_and_the_keys_last_four() -> None:
    assert keyformat.hint(BODY + "3WPi9q") == "tfk_0123\u2026Pi9q"
