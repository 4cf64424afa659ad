"""The deployed handlers of both authorizer Lambda functions: an event in, an answer out.

`routes/gate.py` declares them to Chalice (`@bp.authorizer` "bearer" on every /v1
route, `@bp.lambda_function` "gateway_authorizer"), but its blueprint is named after
this module, so the packaged functions' handlers are `chalicelib.authorizer_handlers.*`.
A cold start therefore imports neither chalice nor app.py, and (see `authorizer`) no
PyJWT or cryptography unless a JWT arrives: botocore, hashlib and json, as the floor.
"""

from __future__ import annotations

import logging
from typing import Any

from . import authorizer, gateway_events, logs
from .errors import StoreUnavailable, Unauthenticated
from .settings import get_settings

# Each authorizer Lambda loads this module, not app.py: set up the JSON logs here too.
logs.configure(get_settings().log_level)


def bearer(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The /v1 TOKEN authorizer as Lambda calls it (the event Chalice's AuthRequest wraps)."""
    return token_decision(event.get("authorizationToken"), str(event.get("methodArn", "")))


def token_decision(token: str | None, method_arn: str) -> dict[str, Any]:
    """An Allow policy for the whole API, or the errors API Gateway turns into 401 / 503."""
    try:
        # A TOKEN authorizer sees no IP or user agent: the /v1 middleware records the key's use.
        principal = authorizer.authorize(token, defer_touch=True)
    except Unauthenticated:
        # API Gateway's convention: exactly this message makes it answer its
        # UNAUTHORIZED gateway response (401, infra/gateway_responses.json).
        raise Exception("Unauthorized") from None
    except StoreUnavailable:
        # Fail closed: the error makes API Gateway answer its authorizer-failure
        # gateway response (503), never an allow.
        logs.log("authorizer_store_unavailable", logging.ERROR)
        raise
    # What Chalice's AuthResponse(routes=["*"]) answers: every method and path of this
    # API and stage (`arn:…:<api-id>/<stage>/*/*`).
    prefix, _, resource = method_arn.rpartition(":")
    api_stage = "/".join(resource.split("/")[:2])
    statement = {"Action": "execute-api:Invoke", "Effect": "Allow",
                 "Resource": [f"{prefix}:{api_stage}/*/*"]}
    return {"context": principal.context(), "principalId": principal.credential_id,
            "policyDocument": {"Version": "2012-10-17", "Statement": [statement]}}


def gateway_authorizer(event: Any, context: Any) -> dict[str, Any]:
    """For other teams' API Gateways: TOKEN, REQUEST (1.0) and HTTP API (2.0) events."""
    return gateway_events.respond(event)
