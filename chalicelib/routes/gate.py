"""The gate of the Bearer API: the `/v1` authorizer, the standalone gateway
authorizer, and the per-route scope check.

Both authorizers are deployed as their own Lambda functions. The blueprint is
named after `chalicelib.authorizer_handlers`, so Chalice packages those functions
with that module as their handler: a cold start imports neither chalice nor
app.py (no templates, QR codes or Argon2). The functions here only declare them
to Chalice (and run them under `chalice local` and the test client).
"""

from __future__ import annotations

from typing import Any

from chalice.app import AuthRequest, Blueprint

from .. import authorizer_handlers, scopes
from ..errors import InsufficientScope, Unauthenticated
from ..principal import Principal

# Chalice builds each handler string from the blueprint's import name and the
# function's name: `chalicelib.authorizer_handlers.bearer` / `.gateway_authorizer`.
bp = Blueprint(authorizer_handlers.__name__)


# ttl_seconds=0: API Gateway must not cache answers. A cached allow would keep a
# revoked or expired key working for up to the TTL (300 s by default); revocation
# has to take effect on the very next request, and the decision costs one GetItem.
@bp.authorizer(ttl_seconds=0)
def bearer(auth_request: AuthRequest) -> dict[str, Any]:
    """Chalice TOKEN authorizer on every /v1 route."""
    return authorizer_handlers.token_decision(auth_request.token, auth_request.method_arn)


@bp.lambda_function(name="gateway_authorizer")
def gateway_authorizer(event: Any, context: Any) -> dict[str, Any]:
    """For other teams' API Gateways: TOKEN, REQUEST (1.0) and HTTP API (2.0) events."""
    return authorizer_handlers.gateway_authorizer(event, context)


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
