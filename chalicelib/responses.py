"""The one place where errors become HTTP answers, plus the common response shapes."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

from chalice.app import Response

from . import logs
from .errors import ServiceError

JSON = "application/json"
HTML = "text/html; charset=utf-8"

# (status, error, description) -> an HTML page: given by HTML routes so errors render as pages.
HtmlRenderer = Callable[[int, str, str], str]


def json_response(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    merged: dict[str, Any] = {"Content-Type": JSON}
    merged.update(headers or {})
    return Response(body=json.dumps(body, separators=(",", ":")), status_code=status, headers=merged)


def html_response(body: str, status: int = 200, headers: Mapping[str, Any] | None = None) -> Response:
    merged: dict[str, Any] = {"Content-Type": HTML}
    merged.update(headers or {})
    return Response(body=body, status_code=status, headers=merged)


def redirect(location: str, headers: Mapping[str, Any] | None = None) -> Response:
    merged: dict[str, Any] = {"Location": location, "Cache-Control": "no-store"}
    merged.update(headers or {})
    return Response(body="", status_code=303, headers=merged)


def no_content(headers: Mapping[str, Any] | None = None) -> Response:
    return Response(body="", status_code=204, headers=dict(headers or {}))


def error_body(error: str, description: str) -> dict[str, str]:
    return {"error": error, "error_description": description}


def error_response(exc: BaseException, html: HtmlRenderer | None = None) -> Response:
    """Map any exception to the contract's error answer; unknown ones are a logged 500.
    With `html`, the answer is the page it renders instead of JSON."""
    if isinstance(exc, ServiceError):
        error, status, description, headers = exc.error, exc.status, exc.description, exc.headers
        if status >= 500:
            logs.log("store_unavailable" if status == 503 else "service_error",
                     logging.ERROR, error=error)
    else:
        error, status, headers = "server_error", 500, {}
        description = f"Unexpected error. Quote request id {logs.request_id.get()} when reporting it."
        logs.log("unhandled_exception", logging.ERROR, exc_info=True)
    if html is not None:
        return html_response(html(status, error, description), status, headers)
    return json_response(error_body(error, description), status, headers)
