"""Time-based one-time passwords, RFC 6238 with the RFC's defaults.

SHA-1, 6 digits, 30-second steps (RFC 6238 §4, §5.2), which is what Google
Authenticator, Authy and `oathtool --totp` produce. A code is accepted for the
current step and one step either side (RFC 6238 §5.2 recommends at most one
step of network delay/clock drift). Refusing replays (RFC 6238 §5.2: "the
verifier MUST NOT accept the second attempt of the same OTP") is the caller's
conditional write on the last accepted step.
"""

from __future__ import annotations

from types import ModuleType

from .. import tokens

ISSUER = "TaskForge"
DIGITS = 6
STEP_SECONDS = 30
DRIFT_STEPS = 1
SECRET_CHARS = 32  # base32: 32 x 5 = 160 bits, the key length RFC 4226 §4 recommends


def _pyotp() -> ModuleType:
    """pyotp on first use: only sign-in's second step and enrolment need it, not a cold start."""
    import pyotp

    return pyotp


def new_secret() -> str:
    return str(_pyotp().random_base32(SECRET_CHARS))


def provisioning_uri(secret: str, email: str) -> str:
    """The Key URI authenticator apps scan.

    `otpauth://totp/TaskForge:<email>?secret=<base32>&issuer=TaskForge` (Google
    Authenticator's Key URI Format); the email is percent-encoded.
    """
    return str(_pyotp().TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER))


def step_at(now: float) -> int:
    """RFC 6238 §4.2: T = floor((now - T0) / X), T0 = 0, X = 30."""
    return int(now) // STEP_SECONDS


def code_for_step(secret: str, step: int) -> str:
    return str(_pyotp().TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).at(step * STEP_SECONDS))


def matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step this code belongs to within the drift window, or None.

    Every step in the window is compared (constant-time), so the answer takes
    the same time whichever step matched or none.
    """
    current = step_at(now)
    found: int | None = None
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if tokens.same(code_for_step(secret, step), code) and found is None:
            found = step
    return found
