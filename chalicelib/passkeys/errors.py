"""Refused WebAuthn ceremonies. None of them stores anything."""

from __future__ import annotations

from ..errors import ServiceError


class PasskeyRejected(ServiceError):
    """The browser's answer did not verify: wrong origin, RP id, challenge, signature, flags."""

    error = "invalid_passkey"
    status = 400
    description = "The passkey response could not be verified. Try again."


class PasskeySignInFailed(ServiceError):
    """Sign-in with a passkey refused: one generic answer, whatever the reason."""

    error = "invalid_credentials"
    status = 401
    description = "That passkey was not accepted. Try again, or sign in with your password."


class ChallengeExpired(ServiceError):
    error = "invalid_challenge"
    status = 400
    description = ("The passkey request expired or was already used. "
                   "Start again: the page asks your browser once more.")
