"""One exception per OAuth error code, carrying its status and headers.

RFC 6749 §5.2 (token endpoint), §4.1.2.1 (authorization endpoint), RFC 7009 §2.2.1.
Descriptions stay inside the RFC's allowed characters (§5.2: printable ASCII
without `"` or `\\`), so they can go into a redirect's `error_description` too.

The authorization endpoint splits errors in two (oauthlib's fatal vs redirectable):
`FatalAuthorizeError` is shown to the user as a page because the client or its
redirect URI cannot be trusted (RFC 6749 §4.1.2.1: MUST NOT redirect);
`RedirectableError` goes back to the client's registered redirect URI.
"""

from __future__ import annotations

from ..errors import ServiceError


class OAuthError(ServiceError):
    status = 400


class InvalidRequest(OAuthError):
    error = "invalid_request"
    description = "The request is missing a parameter, repeats one, or is otherwise malformed."


class InvalidClient(OAuthError):
    """RFC 6749 §5.2: 401, with `WWW-Authenticate` when the client tried HTTP Basic."""

    error = "invalid_client"
    status = 401
    description = "Client authentication failed."

    def __init__(self, description: str | None = None, *, basic: bool = False):
        super().__init__(description, {"WWW-Authenticate": 'Basic realm="taskforge"'} if basic else None)


class InvalidGrant(OAuthError):
    error = "invalid_grant"
    description = ("The authorization code or refresh token is invalid, expired, revoked, "
                   "or was issued to another client.")


class UnauthorizedClient(OAuthError):
    error = "unauthorized_client"
    description = "This client is not allowed to use this grant type."


class UnsupportedGrantType(OAuthError):
    error = "unsupported_grant_type"
    description = "Supported grant types: authorization_code, refresh_token, client_credentials."


class InvalidScope(OAuthError):
    error = "invalid_scope"
    description = "The requested scope is invalid, unknown, or exceeds what was granted."


class UnsupportedResponseType(OAuthError):
    error = "unsupported_response_type"
    description = "Only response_type=code is supported."


class AccessDenied(OAuthError):
    error = "access_denied"
    status = 403
    description = "The user denied the request."


class UnsupportedTokenType(OAuthError):
    """RFC 7009 §2.2.1: the server does not revoke this kind of token."""

    error = "unsupported_token_type"
    description = "API keys are revoked from the dashboard or /v1/api-keys, not here."


class FatalAuthorizeError(OAuthError):
    """RFC 6749 §4.1.2.1: unknown client or redirect URI: tell the user, never redirect."""

    error = "invalid_request"

    def __init__(self, description: str, error: str = "invalid_request"):
        super().__init__(description)
        self.error = error


class RedirectableError(Exception):
    """An authorization error to send back to the client's (already validated) redirect URI."""

    def __init__(self, error: OAuthError, redirect_uri: str, state: str | None):
        super().__init__(error.error)
        self.error = error
        self.redirect_uri = redirect_uri
        self.state = state
