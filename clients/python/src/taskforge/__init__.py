"""TaskForge API client: `taskforge.Client(base_url, api_key=...)`.

Retries 429 and 503 (after Retry-After, else capped exponential backoff with
jitter), refreshes an expired OAuth access token once (calling `on_tokens` with
the rotated pair), and raises typed errors.
"""

from .client import Client, TokenCallback
from .errors import ApiError, AuthenticationError, ForbiddenError, RateLimitedError, TaskForgeError
from .pkce import (
           AuthorizationRequest,
           authorization_request,
           code_challenge,
           code_from_redirect,
           code_verifier,
)

__all__ = ["ApiError", "AuthenticationError", "AuthorizationRequest", "Client", "ForbiddenError",
           "RateLimitedError", "TaskForgeError", "TokenCallback", "authorization_request",
           "code_challenge", "code_from_redirect", "code_verifier"]
__version__ = "0.1.0"
