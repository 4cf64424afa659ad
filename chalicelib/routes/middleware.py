"""Per-request plumbing run by the app's HTTP middleware: request id, logs, security headers."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from chalice.app import Request, Response

from .. import authorizer as credentials
from .. import clock, logs, ratelimit
from ..apikeys import usage
from ..dashboard import error_page
from ..errors import InvalidRequest, RateLimited, ServiceError, StoreUnavailable
from ..principal import Principal
from ..responses import error_response
from ..settings import get_settings
from ..validation import unsafe_text

_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


def _request_id(event: Request) -> str:
    context = getattr(event, "lambda_context", None)
    rid = getattr(context, "aws_request_id", None) or (event.context or {}).get("requestId")
    return str(rid or uuid.uuid4())


def security_headers(response: Response, path: str) -> None:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Content-Security-Policy", _CSP)
    if not path.startswith("/static/"):
        headers.setdefault("Cache-Control", "no-store")
    if get_settings().cookie_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")


def handle(event: Request, get_response: Callable[[Request], Response]) -> Response:
    rid = _request_id(event)
    token = logs.request_id.set(rid)
    authorizer = (event.context or {}).get("authorizer") or {}
    who = logs.principal.set(str(authorizer.get("credential_id") or "-"))
    started = time.perf_counter()
    try:
        refusal = _hostile_parameters(event)
        response = refusal or _contract_errors(_limited(event, authorizer, get_response))
        security_headers(response, event.path)
        response.headers["X-Request-Id"] = rid
        logs.log("request", method=event.method, path=logs.redact(event.path),
                 status=response.status_code,
                 ms=round((time.perf_counter() - started) * 1000, 1))
        return response
    finally:
        logs.request_id.reset(token)
        logs.principal.reset(who)


def _hostile_parameters(event: Request) -> Response | None:
    """Path and query parameters are parsed once, here: NUL or text that is not valid
    Unicode (a percent-encoded lone surrogate) is a 400 before any route or store sees it."""
    values = [*(event.uri_params or {}).values()]
    query = event.query_params
    if query is not None:
        values += [v for name in query for v in [name, *query.getlist(name)]]
    for value in values:
        problem = unsafe_text(value) if isinstance(value, str) else None
        if problem:
            html = not event.path.startswith(("/v1/", "/account", "/oauth/token"))
            return error_response(InvalidRequest(f"A path or query parameter {problem}."),
                                  html=error_page.render_page if html and event.method == "GET" else None)
    return None


_CHALICE_ERRORS = {
    "UnsupportedMediaType": (400, "invalid_request", "Unsupported Content-Type. Send application/json "
                             "(or a form where one is accepted)."),
    "MethodNotAllowedError": (405, "method_not_allowed", "This method is not allowed on this path."),
}


def _contract_errors(response: Response) -> Response:
    """Chalice answers 405 and 415 itself as `{Code, Message}`: give them the contract's shape."""
    body = response.body
    if isinstance(body, dict) and body.get("Code") in _CHALICE_ERRORS:
        status, error, description = _CHALICE_ERRORS[body["Code"]]
        response.status_code = status
        response.body = json.dumps({"error": error, "error_description": description})
        response.headers["Content-Type"] = "application/json"
    return response


def _record_key_use(event: Request) -> None:
    """The write the /v1 authorizer deferred: the key's last use, with this request's IP and
    user agent (a TOKEN authorizer sees neither). The key is the one the authorizer just verified."""
    try:
        key = credentials.bearer_token(event.headers.get("authorization"))
    except ServiceError:
        return
    identity = (event.context or {}).get("identity") or {}
    usage.record(key, clock.now(), str(identity.get("sourceIp") or "") or None,
                 event.headers.get("user-agent"))


def _limited(event: Request, authorizer: dict[str, Any],
             get_response: Callable[[Request], Response]) -> Response:
    """Count every authorized `/v1` request (also when API Gateway served the
    authorizer's answer from its cache) and put the quota on every answer."""
    if not event.path.startswith("/v1/") or not authorizer.get("credential_id"):
        return get_response(event)
    principal = Principal.from_context(authorizer)
    if principal.touch_due:
        _record_key_use(event)
    limit = principal.rate_limit_per_minute or get_settings().rate_limit_per_minute
    try:
        quota = ratelimit.consume(principal.rate_subject, limit)
    except (RateLimited, StoreUnavailable) as exc:  # 429, or 503: the limiter fails closed
        return error_response(exc)
    response = get_response(event)
    response.headers.update(quota.headers())
    return response
