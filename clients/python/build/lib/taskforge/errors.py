"""Typed errors: every refusal of the API as an exception carrying its `error` code.

The API answers errors as `{"error": "<code>", "error_description": "<text>"}`;
these classes carry both, the HTTP status and the request id (quote it when
asking for support). Nothing here ever holds a credential.
"""

from __future__ import annotations


class TaskForgeError(Exception):
    """Base class of everything this library raises on purpose."""


class ApiError(TaskForgeError):
    """An error answer of the API (any status not covered by a subclass)."""

    def __init__(self, status: int, error: str, error_description: str = "",
                 request_id: str | None = None) -> None:
        self.status = status
        self.error = error
        self.error_description = error_description
        self.request_id = request_id
        text = f"{status} {error}"
        if error_description:
            text += f": {error_description}"
        if request_id:
            text += f" (request id {request_id})"
        super().__init__(text)


class AuthenticationError(ApiError):
    """401: the credential is missing, malformed, expired, revoked or unknown (refreshing did not help)."""


class ForbiddenError(ApiError):
    """403: the credential is valid but lacks a scope (`scope` names it when the API said so)."""

    def __init__(self, status: int, error: str, error_description: str = "",
                 request_id: str | None = None, scope: str | None = None) -> None:
        super().__init__(status, error, error_description, request_id)
        self.scope = scope


class RateLimitedError(ApiError):
    """429 after every retry: wait `retry_after` seconds before calling again."""

    def __init__(self, status: int, error: str, error_description: str = "",
                 request_id: str | None = None, retry_after: float | None = None) -> None:
        super().__init__(status, error, error_description, request_id)
        self.retry_after = retry_after
