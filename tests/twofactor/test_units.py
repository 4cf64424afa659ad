"""TOTP (RFC 6238 vectors), code parsing, secret encryption and the QR code, without HTTP."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pyotp
import pytest
import segno

from chalicelib.errors import InvalidRequest
from chalicelib.settings import get_settings
from chalicelib.store import secrets
from chalicelib.twofactor import codes, crypto, qr, totp
from tests.twofactor.qr_matrix import matrix_from_svg, matrix_without_border

RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of the RFC's "12345678901234567890"


@pytest.mark.parametrize(("when", "eight_digits"), [
    (59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"),
    (1234567890, "89005924"), (2000000000, "69279037"), (20000000000, "65353130"),
])
def test_rfc_6238_appendix_b_vectors(when: int, eight_digits: str) -> None:
    # Appendix B lists 8-digit SHA-1 values; the 6-digit code is the same number mod 10^6.
    assert totp.code_for_step(RFC_SECRET, totp.step_at(when)) == eight_digits[-6:]
    assert totp.matching_step(RFC_SECRET, eight_digits[-6:], when) == totp.step_at(when)


def test_drift_window_is_one_step_each_way() -> None:
    secret, now = totp.new_secret(), 1_700_000_015
    generator = pyotp.TOTP(secret)
    step = totp.step_at(now)
    for offset in (-1, 0, 1):
        assert totp.matching_step(secret, generator.at(now + 30 * offset), now) == step + offset
    for offset in (-3, -2, 2, 3):
        code = generator.at(now + 30 * offset)
        if code not in {generator.at(now + 30 * o) for o in (-1, 0, 1)}:
            assert totp.matching_step(secret, code, now) is None


def test_secret_is_160_bits_and_uri_matches_key_uri_format() -> None:
    secret = totp.new_secret()
    assert len(secret) == 32 and len(base64.b32decode(secret)) == 20
    uri = totp.provisioning_uri(secret, "ada@example.com")
    assert uri == f"otpauth://totp/TaskForge:ada%40example.com?secret={secret}&issuer=TaskForge"
    parsed = pyotp.parse_uri(uri)
    assert parsed.digits == 6 and parsed.interval == 30 and parsed.secret == secret


@pytest.mark.parametrize(("raw", "kind", "value"), [
    ("123456", "totp", "123456"), (" 123 456 ", "totp", "123456"), ("123-456", "totp", "123456"),
    ("\t123456\n", "totp", "123456"), ("ABCD-EFGH", "backup", "abcdefgh"),
    ("abcd efgh", "backup", "abcdefgh"), ("0o1l-2345", "backup", "00112345"),
    ("12345678", "backup", "12345678"),
])
def test_codes_are_normalised(raw: str, kind: str, value: str) -> None:
    assert codes.parse(raw) == codes.Code(kind, value)  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", ["", "-", "12345", "1234567", "12a456", "١٢٣٤٥٦", "۱۲۳۴۵۶",
                                 "abcd-efgu", "x" * 65, 123456, None, True])
def test_bad_codes_are_400(raw: object) -> None:
    with pytest.raises(InvalidRequest):
        codes.parse(raw)


def test_confirm_accepts_totp_shape_only() -> None:
    with pytest.raises(InvalidRequest, match="6-digit"):
        codes.parse("abcd-efgh", allow_backup=False)


def test_encryption_round_trip_is_bound_to_the_user(aws: None) -> None:
    sealed = crypto.encrypt("JBSWY3DPEHPK3PXP", "usr_a")
    assert "JBSWY3DPEHPK3PXP" not in sealed and sealed.startswith("v1.")
    assert crypto.decrypt(sealed, "usr_a") == "JBSWY3DPEHPK3PXP"
    assert crypto.encrypt("JBSWY3DPEHPK3PXP", "usr_a") != sealed  # fresh nonce each time
    with pytest.raises(crypto.KeyUnavailable):
        crypto.decrypt(sealed, "usr_b")  # copied onto another user: refused
    tampered = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    with pytest.raises(crypto.KeyUnavailable):
        crypto.decrypt(tampered, "usr_a")


def test_rotation_keeps_old_ciphertexts_readable(aws: None) -> None:
    sealed = crypto.encrypt("JBSWY3DPEHPK3PXP", "usr_a")
    name = get_settings().totp_key_secret
    ring = json.loads(secrets.read(name) or "")
    new_ring = json.loads(crypto.new_keyring())
    ring["keys"].update(new_ring["keys"])
    ring["current"] = new_ring["current"]
    secrets.write(name, json.dumps(ring))
    assert crypto.decrypt(sealed, "usr_a") == "JBSWY3DPEHPK3PXP"
    assert crypto.encrypt("x", "usr_a").split(".")[1] == new_ring["current"]
    assert crypto.ensure_key() is False  # bootstrap again: the ring is kept


def test_missing_key_fails_closed(aws: None) -> None:
    secrets.client().delete_secret(SecretId=get_settings().totp_key_secret,
                                   ForceDeleteWithoutRecovery=True)
    secrets.forget()
    with pytest.raises(crypto.KeyUnavailable):
        crypto.encrypt("JBSWY3DPEHPK3PXP", "usr_a")


def test_qr_svg_is_well_formed_and_encodes_the_uri() -> None:
    uri = totp.provisioning_uri(totp.new_secret(), "ada@example.com")
    svg = qr.svg(uri)
    expected = [[bool(bit) for bit in row] for row in segno.make(uri, micro=False).matrix]
    assert matrix_without_border(matrix_from_svg(svg)) == expected


def test_segno_stays_off_the_import_path() -> None:
    probe = "import sys, app; print('segno' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2],
                         env={"AWS_DEFAULT_REGION": "us-east-1", "PATH": ""})
    assert out.stdout.strip().splitlines()[-1] == "False"
