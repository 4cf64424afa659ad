"""The gate of the Bearer API: the `/v1` authorizer, the standalone gateway
authorizer, and the per-route scope check.

Both authorizers are deployed as their own Lambda functions whose handler is
this module, so their cold start imports only this light path (no app.py, no
templates, QR codes or Argon2).
"""

from __future__ import annotations

import logging
from typing import Any

from chalice.app import AuthRequest, AuthResponse, Blueprint

from .. import authorizer, gateway_events, logs, scopes
from ..errors import InsufficientScope, StoreUnavailable, Unauthenticated
from ..principal import Principal
from ..settings import get_settings

bp = Blueprint(__name__)
# Each authorizer Lambda loads this module, not app.py: set up the JSON logs here too.
logs.configure(get_settings().log_level)


# ttl_seconds=0: API Gateway must not cache answers. A cached allow would keep a
# revoked or expired key working for up to the TTL (300 s by default); revocation
# has to take effect on the very next request, and the decision costs one GetItem.
@bp.authorizer(ttl_seconds=0)
def bearer(auth_request: AuthRequest) -> AuthResponse:
    """Chalice TOKEN authorizer on every /v1 route."""
    try:
        # A TOKEN authorizer sees no IP or user agent: the /v1 middleware records the key's use.
        principal = authorizer.authorize(auth_request.token, defer_touch=True)
    except Unauthenticated:
        # API Gateway's convention: exactly this message makes it answer its
        # UNAUTHORIZED gateway response (401, infra/gateway_responses.json).
        raise Exception("Unauthorized") from None
    except StoreUnavailable:
        # Fail closed: the error makes API Gateway answer its authorizer-failure
        # gateway response (503), never an allow.
        logs.log("authorizer_store_unavailable", logging.ERROR)
        raise
    return AuthResponse(routes=["*"], principal_id=principal.credential_id,
                        context=principal.context())


@bp.lambda_function(name="gateway_authorizer")
def gateway_authorizer(event: Any, context: Any) -> dict[str, Any]:
    """For other teams' API Gateways: TOKEN, REQUEST (1.0) and HTTP API (2.0) events."""
    return gateway_events.respond(event)


def require(scope: str) -> Principal:
    """The caller's principal if its scopes include `scope`; else 403 insufficient_scope.

    RFC 6750 §3.1: insufficient_scope names the scope needed.
    """
    context = (bp.current_request.context or {}).get("authorizer")
    if not context or "credential_id" not in context:
        raise Unauthenticated()
    principal = Principal.from_context(context)
    if not scopes.allows(principal.scopes, scope):
        raise InsufficientScope(scope)
    return principal
