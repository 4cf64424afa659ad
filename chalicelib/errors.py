"""Errors as exceptions that carry their `error` code, HTTP status and headers.

Domain code raises these; `responses.error_response` is the one place that turns
them into HTTP answers (JSON `{"error", "error_description"}` everywhere).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

BEARER_REALM = 'Bearer realm="taskforge"'


class ServiceError(Exception):
    """Base class: an error a client can act on."""

    error = "server_error"
    status = 500
    description = "Something went wrong on our side."

    def __init__(self, description: str | None = None, headers: Mapping[str, str] | None = None):
        super().__init__(description or self.description)
        self.description = description or self.description
        self.headers: dict[str, str] = dict(headers or {})


class InvalidRequest(ServiceError):
    error = "invalid_request"
    status = 400
    description = "The request is malformed."


class PayloadTooLarge(InvalidRequest):
    description = "The request body is larger than 64 KiB."


class Unauthenticated(ServiceError):
    """401 for a missing, malformed, expired, revoked or unknown credential (RFC 6750 §3.1)."""

    error = "invalid_token"
    status = 401
    description = "The credential is missing, malformed, expired, revoked or unknown."

    def __init__(self, description: str | None = None, *, credential_sent: bool = True):
        header = BEARER_REALM + (', error="invalid_token"' if credential_sent else "")
        super().__init__(description, {"WWW-Authenticate": header})
        if not credential_sent:
            self.error = "unauthorized"


class SessionRequired(ServiceError):
    error = "unauthorized"
    status = 401
    description = "Sign in first."


class InvalidCredentials(ServiceError):
    error = "invalid_credentials"
    status = 401
    description = "The email or password is not correct."
    user: dict[str, Any] | None = None


class InvalidCode(ServiceError):
    error = "invalid_code"
    status = 401
    description = "That code is not valid. Check your authenticator app and try again."


class Forbidden(ServiceError):
    error = "forbidden"
    status = 403
    description = "You do not have permission to do this."


class InsufficientScope(ServiceError):
    """403 with the scope needed (RFC 6750 §3.1 insufficient_scope)."""

    error = "insufficient_scope"
    status = 403

    def __init__(self, needed: str):
        super().__init__(
            f"This request needs the '{needed}' scope.",
            {"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{needed}"'},
        )


class InvalidCsrfToken(ServiceError):
    error = "invalid_csrf_token"
    status = 403
    description = "The CSRF token is missing or does not match this session. Reload the page."


class NotFound(ServiceError):
    error = "not_found"
    status = 404
    description = "No such resource."


class SignupDisabled(ServiceError):
    error = "signup_disabled"
    status = 403
    description = "Sign-up is turned off for this installation."


class Conflict(ServiceError):
    status = 409

    def __init__(self, error: str, description: str):
        super().__init__(description)
        self.error = error


class RateLimited(ServiceError):
    error = "rate_limited"
    status = 429
    description = "Too many requests. Retry after the number of seconds in Retry-After."

    def __init__(self, retry_after: int, description: str | None = None,
                 headers: Mapping[str, str] | None = None):
        merged = {"Retry-After": str(max(1, int(retry_after)))}
        merged.update(headers or {})
        super().__init__(description, merged)
        self.retry_after = max(1, int(retry_after))


class StoreUnavailable(ServiceError):
    """The store did not answer: fail closed, and say when to retry."""

    error = "temporarily_unavailable"
    status = 503
    description = "The service is temporarily unavailable. Retry shortly."

    def __init__(self, description: str | None = None):
        super().__init__(description, {"Retry-After": "1"})


class MailUnavailable(ServiceError):
    """SES did not take the message: the action that needed it is refused (or audited)."""

    error = "temporarily_unavailable"
    status = 503
    description = "We could not send the email just now. Retry shortly."

    def __init__(self, description: str | None = None):
        super().__init__(description, {"Retry-After": "5"})


class EmailUnverified(ServiceError):
    error = "email_unverified"
    status = 403
    description = ("Verify your email address first: follow the link we emailed you "
                   "(Settings → Account can send a new one).")


class InvalidToken(ServiceError):
    """A link token that is unknown, used, expired, another user's or malformed."""

    error = "invalid_token"
    status = 400
    description = "This link is not valid: it may have expired or been used already. Ask for a new one."
