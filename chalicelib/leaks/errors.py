"""The partner endpoint's refusals, as ServiceErrors (mapped to answers in `responses`)."""

from __future__ import annotations

from ..errors import NotFound, ServiceError


class NotConfigured(NotFound):
    """TASKFORGE_SECRET_SCANNING_KEYS is unset: for this installation the endpoint does not exist."""

    description = "Secret scanning alerts are not configured on this installation."


class InvalidSignature(ServiceError):
    """Missing, malformed, unknown-key or wrong signature: nothing in the body is looked at."""

    error = "invalid_signature"
    status = 401
    description = ("The Github-Public-Key-Signature header does not verify with the key named by "
                   "Github-Public-Key-Identifier.")


class KeysUnavailable(ServiceError):
    """The keys document could not be fetched: fail closed; GitHub retries the alert."""

    error = "temporarily_unavailable"
    status = 503
    description = "The signature keys could not be fetched. Retry shortly."

    def __init__(self) -> None:
        super().__init__(headers={"Retry-After": "60"})
