"""Local-mode adapter: make `chalice local` and `chalice.test.Client` answer an
authorizer's refusal, and a path with no route, exactly as the deployed API Gateway does.

On AWS, an authorizer that raises `Exception('Unauthorized')` (or a request with
no Authorization header) gets the UNAUTHORIZED gateway response defined in
`infra/gateway_responses.json`. Chalice's local gateway instead re-raises the
exception or drops the connection (Chalice issue #971). For a path with no route it
imitates API Gateway's *default* MISSING_AUTHENTICATION_TOKEN answer, which quotes the
Authorization header back (and drops the connection when that header is not ASCII);
we deploy a customised 404 instead. This wraps both steps and replays the same
gateway responses. Never imported on Lambda.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

GATEWAY_RESPONSES = Path(__file__).resolve().parents[1] / "infra" / "gateway_responses.json"


def gateway_response(kind: str, default_status: int = 500) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of one deployed gateway response type."""
    spec = json.loads(GATEWAY_RESPONSES.read_text())[kind]
    headers = {name.split("gatewayresponse.header.", 1)[1]: value.strip("'")
               for name, value in spec["ResponseParameters"].items()}
    body = spec["ResponseTemplates"]["application/json"].encode()
    return int(spec.get("StatusCode", default_status)), headers, body


def install() -> None:
    from chalice import local

    original = local.LocalGatewayAuthorizer.authorize
    if getattr(original, "_taskforge_adapter", False):
        return
    _install_no_route(local)

    def authorize(self: Any, raw_path: str, event: Any, context: Any) -> Any:
        try:
            return original(self, raw_path, event, context)
        except local.ForbiddenError:
            raise _refusal(local, "ACCESS_DENIED", context) from None
        except local.NotAuthorizedError:
            raise _refusal(local, "UNAUTHORIZED", context) from None
        except Exception as exc:  # noqa: BLE001 - every authorizer error maps to a gateway response
            if str(exc) == "Unauthorized":
                raise _refusal(local, "UNAUTHORIZED", context) from None
            # Any other error of an authorizer Lambda is API Gateway's
            # AuthorizerConfigurationException: its gateway response (503 here).
            raise _refusal(local, "AUTHORIZER_CONFIGURATION_ERROR", context) from None

    authorize._taskforge_adapter = True  # type: ignore[attr-defined]
    local.LocalGatewayAuthorizer.authorize = authorize  # type: ignore[method-assign, assignment]


def _install_no_route(local: Any) -> None:
    generate = local.LocalGateway._generate_lambda_event

    def generate_event(self: Any, method: str, path: str, headers: Any, body: Any) -> Any:
        try:
            return generate(self, method, path, headers, body)
        except ValueError:  # no route: chalice would answer AWS's default, quoting Authorization
            context = self._generate_lambda_context()
            raise _refusal(local, "MISSING_AUTHENTICATION_TOKEN", context) from None

    local.LocalGateway._generate_lambda_event = generate_event


def _refusal(local: Any, kind: str, context: Any) -> Exception:
    status, headers, body = gateway_response(kind)
    headers = {**headers, "x-amzn-RequestId": context.aws_request_id}
    error_class = {401: local.NotAuthorizedError, 403: local.ForbiddenError}.get(status)
    if error_class is None:
        error_class = type("GatewayResponse", (local.LocalGatewayException,), {"CODE": status})
    return error_class(headers, body)  # type: ignore[no-any-return]
