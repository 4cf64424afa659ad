"""The standalone gateway authorizer: API Gateway authorizer events in, answers out.

Other teams' API Gateways call it with one of three documented event shapes:
REST `TOKEN` (`authorizationToken`, `methodArn`), REST `REQUEST` / payload 1.0
(`headers`, `methodArn`) and HTTP API payload 2.0 (`version: "2.0"`, `headers`,
`identitySource`, `routeArn`). REST answers are IAM policies; 2.0 answers are
simple responses `{isAuthorized, context}` (the HTTP API must enable simple
responses). Whatever arrives, the answer is an allow or a deny, never an
exception: a garbage event, an invalid credential or a store failure all deny.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import authorizer, logs
from .errors import ServiceError
from .principal import Principal

TOKEN, REQUEST, HTTP_V2, UNKNOWN = "TOKEN", "REQUEST", "HTTP_V2", "UNKNOWN"
ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class AuthorizerEvent:
    """What the decision needs from any of the event shapes."""

    kind: str
    authorization: str | None
    resource: str | None  # methodArn (REST) or routeArn (HTTP API)
    ip: str | None = None  # REQUEST and HTTP API events only: recorded as the key's last use
    user_agent: str | None = None


def parse(event: Any) -> AuthorizerEvent:
    """Read an event of any documented shape; anything unrecognised is UNKNOWN."""
    if not isinstance(event, Mapping):
        return AuthorizerEvent(UNKNOWN, None, None)
    if event.get("version") == "2.0":
        http = _mapping(_mapping(event.get("requestContext")).get("http"))
        return AuthorizerEvent(HTTP_V2, _header(event) or _identity_source(event),
                               _string(event.get("routeArn")), _string(http.get("sourceIp")),
                               _string(http.get("userAgent")))
    if event.get("type") == TOKEN:
        return AuthorizerEvent(TOKEN, _string(event.get("authorizationToken")),
                               _string(event.get("methodArn")))
    if event.get("type") == REQUEST:
        identity = _mapping(_mapping(event.get("requestContext")).get("identity"))
        return AuthorizerEvent(REQUEST, _header(event), _string(event.get("methodArn")),
                               _string(identity.get("sourceIp")),
                               _string(identity.get("userAgent")) or _header(event, "user-agent"))
    return AuthorizerEvent(UNKNOWN, None, None)


def respond(raw_event: Any) -> dict[str, Any]:
    """The authorizer's answer for one event: allow with the principal's context, or deny."""
    event = parse(raw_event)
    if event.kind == UNKNOWN:
        return deny(event)
    try:
        principal = authorizer.authorize(event.authorization, ip=event.ip, user_agent=event.user_agent)
    except ServiceError as exc:
        # A store failure is denied too (fail closed), but logged as the outage it is.
        level = logging.ERROR if exc.status >= 500 else logging.INFO
        logs.log("gateway_authorizer_denied", level, kind=event.kind, error=exc.error)
        return deny(event)
    except Exception:  # noqa: BLE001 - a gateway authorizer answers deny, never raises
        logs.log("gateway_authorizer_failed", logging.ERROR, exc_info=True, kind=event.kind)
        return deny(event)
    return allow(event, principal)


def allow(event: AuthorizerEvent, principal: Principal) -> dict[str, Any]:
    if event.kind == HTTP_V2:
        return {"isAuthorized": True, "context": principal.context()}
    resource = api_wide(event.resource)
    if resource is None:
        return deny(event)  # a policy must name what it allows: refuse rather than allow "*"
    return policy(principal.credential_id, "Allow", resource, principal.context())


def deny(event: AuthorizerEvent) -> dict[str, Any]:
    if event.kind == HTTP_V2:
        return {"isAuthorized": False, "context": {}}
    return policy(ANONYMOUS, "Deny", api_wide(event.resource) or "*", {})


def policy(principal_id: str, effect: str, resource: str, context: dict[str, str]) -> dict[str, Any]:
    """An IAM policy answer (REST authorizers)."""
    statement = {"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}
    return {"principalId": principal_id,
            "policyDocument": {"Version": "2012-10-17", "Statement": [statement]},
            "context": context}


def api_wide(arn: str | None) -> str | None:
    """`arn:…:<api-id>/<stage>/<method>/<path>` -> `arn:…:<api-id>/<stage>/*`.

    The credential is valid for the whole API, and a gateway that caches answers
    by token must not reuse a policy naming one route to refuse the next route.
    """
    parts = (arn or "").split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or not parts[1] or parts[2] != "execute-api":
        return None
    api_stage = parts[5].split("/")
    if len(api_stage) < 2 or not api_stage[0] or not api_stage[1]:
        return None
    return ":".join(parts[:5]) + f":{api_stage[0]}/{api_stage[1]}/*"


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _header(event: Mapping[str, Any], wanted: str = "authorization") -> str | None:
    """A header (by default Authorization), whatever its case (REST keeps the client's case)."""
    headers = event.get("headers")
    if not isinstance(headers, Mapping):
        return None
    return next((_string(value) for name, value in headers.items()
                 if isinstance(name, str) and name.lower() == wanted), None)


def _identity_source(event: Mapping[str, Any]) -> str | None:
    sources = event.get("identitySource")
    if isinstance(sources, list) and sources:
        return _string(sources[0])
    return None
