"""`taskforge.Client`: one object per credential, safe to share between threads.

    client = taskforge.Client("https://auth.example.com", api_key="tfk_…")
    client.get("/v1/me")                      # the parsed JSON body
    client.post("/v1/tasks", json={"title": "Ship it"})
    client.delete("/v1/tasks/tsk_…")          # None (204)

What it does for you:
- 429 and 503 are retried up to `max_retries` times, after `Retry-After` when the
  answer has one (plus a little jitter, so clients limited together do not return
  together), else after a capped exponential backoff with full jitter. A
  `Retry-After` longer than `max_retry_after` is not waited for: the error is raised.
- With OAuth tokens, a 401 makes it refresh the access token once and repeat the
  request. Refresh tokens rotate on every use and an old one presented again revokes
  the whole grant (RFC 9700 §4.14.2), so refreshing is serialised: threads that
  failed with the same old access token wait for one refresh and reuse its result,
  and `on_tokens(access, refresh)` is called with the new pair before it is used —
  persist both there.
- Errors are typed (`errors.py`). Log lines (logger `taskforge`) name the method,
  path, status and wait, never a header, token, key or body.
"""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote, urlsplit

import requests

from .errors import ApiError, AuthenticationError, ForbiddenError, RateLimitedError

TokenCallback = Callable[[str, str], None]
RETRY_STATUSES = (429, 503)
log = logging.getLogger("taskforge")


class Client:
    def __init__(self, base_url: str, *, api_key: str | None = None, access_token: str | None = None,
                 refresh_token: str | None = None, client_id: str | None = None,
                 client_secret: str | None = None, on_tokens: TokenCallback | None = None,
                 max_retries: int = 3, timeout: float = 30.0, backoff_base: float = 0.5,
                 backoff_cap: float = 20.0, max_retry_after: float = 60.0,
                 session: requests.Session | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        scheme = urlsplit(base_url).scheme
        if scheme not in ("http", "https"):
            raise ValueError("base_url must be an http(s) URL, e.g. https://auth.example.com")
        if api_key and (access_token or refresh_token):
            raise ValueError("pass either api_key or OAuth tokens, not both")
        if refresh_token and not client_id:
            raise ValueError("refreshing needs the client_id the tokens were issued to")
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        self.base_url = base_url.rstrip("/")
        self.max_retries = max_retries
        self.timeout = timeout
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_retry_after = max_retry_after
        self._api_key = api_key
        self._access_token = access_token
        self._refresh_token = refresh_token
        self._client_id = client_id
        self._client_secret = client_secret
        self._on_tokens = on_tokens
        # A machine client (client_id + secret, no user tokens) fetches its own with client_credentials.
        self._machine = bool(client_id and client_secret and not (api_key or access_token or refresh_token))
        self._session = session or requests.Session()
        self._lock = threading.Lock()
        self._sleep = sleep

    def __repr__(self) -> str:
        kind = "api_key" if self._api_key else "oauth" if self._access_token or self._refresh_token else (
            "client_credentials" if self._client_secret else "none")
        return f"Client(base_url={self.base_url!r}, credential={kind!r})"

    # The Bearer API --------------------------------------------------------------------------
    def get(self, path: str, json: Any = None) -> Any:
        return self.request("GET", path, json)

    def post(self, path: str, json: Any = None) -> Any:
        return self.request("POST", path, json)

    def patch(self, path: str, json: Any = None) -> Any:
        return self.request("PATCH", path, json)

    def delete(self, path: str, json: Any = None) -> Any:
        return self.request("DELETE", path, json)

    def request(self, method: str, path: str, json: Any = None) -> Any:
        """The parsed JSON body of a 2xx answer (None for 204), else a typed error."""
        url = self._url(path)
        if self._needs_token():
            self._obtain(stale=None)
        refreshed = False
        while True:
            token = self._bearer()
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = self._send(method, url, headers=headers, json=json)
            if response.status_code == 401 and not refreshed and self._can_renew():
                refreshed = True
                self._obtain(stale=token)
                continue
            return _result(response)

    # OAuth endpoints -------------------------------------------------------------------------
    def exchange_code(self, code: str, redirect_uri: str, code_verifier: str | None = None) -> dict[str, Any]:
        """Redeem an authorization code (RFC 6749 §4.1.3); this client then uses the tokens."""
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        if code_verifier:
            form["code_verifier"] = code_verifier
        with self._lock:
            tokens = self._token_request(form)
            self._store(tokens)
        return tokens

    def revoke(self, token: str, token_type_hint: str | None = None) -> None:
        """RFC 7009: end a refresh token (and its grant) or an access token; always 200 when allowed."""
        form = {"token": token, **({"token_type_hint": token_type_hint} if token_type_hint else {})}
        _result(self._client_post("/oauth/revoke", form))

    def introspect(self, token: str) -> dict[str, Any]:
        """RFC 7662: `{"active": false}` or the token's details (API keys included)."""
        answer: dict[str, Any] = _result(self._client_post("/oauth/introspect", form={"token": token}))
        return answer

    # Internals -------------------------------------------------------------------------------
    def _url(self, path: str) -> str:
        # Only paths: the credential must never travel to another host.
        if not path.startswith("/") or path.startswith("//"):
            raise ValueError("path must start with a single '/', e.g. /v1/me")
        return self.base_url + path

    def _bearer(self) -> str | None:
        with self._lock:
            return self._api_key or self._access_token

    def _needs_token(self) -> bool:
        with self._lock:
            return not self._api_key and not self._access_token and self._can_renew()

    def _can_renew(self) -> bool:
        if self._api_key or not self._client_id:
            return False
        return bool(self._refresh_token or self._machine)

    def _obtain(self, stale: str | None) -> None:
        """Refresh (or, for a machine client, fetch) the access token, once for every waiting thread."""
        with self._lock:
            if stale is not None and self._access_token != stale:
                return  # another thread already replaced the token this request used
            if stale is None and self._access_token:
                return
            if self._refresh_token:
                form = {"grant_type": "refresh_token", "refresh_token": self._refresh_token}
            else:
                form = {"grant_type": "client_credentials"}
            tokens = self._token_request(form)
            self._store(tokens)
            log.info("taskforge: new access token (%s)", form["grant_type"])

    def _store(self, tokens: Mapping[str, Any]) -> None:
        self._access_token = str(tokens["access_token"])
        # The server rotates refresh tokens; keep the old one only if it sent none.
        self._refresh_token = str(tokens.get("refresh_token") or self._refresh_token or "") or None
        if self._on_tokens is not None:
            self._on_tokens(self._access_token, self._refresh_token or "")

    def _token_request(self, form: dict[str, str]) -> dict[str, Any]:
        response = self._client_post("/oauth/token", form)
        if response.status_code == 400 and _body(response).get("error") == "invalid_grant":
            error = _error(response)
            # The refresh token (or code) is spent, expired or revoked: sign in again.
            raise AuthenticationError(400, error.error, error.error_description, error.request_id)
        tokens: dict[str, Any] = _result(response)
        if not isinstance(tokens, dict) or not isinstance(tokens.get("access_token"), str):
            raise ApiError(response.status_code, "invalid_response", "The token answer has no access_token.")
        return tokens

    def _client_post(self, path: str, form: dict[str, str]) -> requests.Response:
        """A form POST with client authentication: Basic when there is a secret (RFC 6749 §2.3.1)."""
        headers: dict[str, str] = {}
        auth: tuple[str, str] | None = None
        if self._client_secret and self._client_id:
            auth = (quote(self._client_id, safe=""), quote(self._client_secret, safe=""))
        elif self._client_id:
            form = {**form, "client_id": self._client_id}
        return self._send("POST", self._url(path), headers=headers, data=form, auth=auth)

    def _send(self, method: str, url: str, *, headers: dict[str, str], json: Any = None,
              data: dict[str, str] | None = None, auth: tuple[str, str] | None = None) -> requests.Response:
        attempt = 0
        while True:
            response = self._session.request(method, url, headers=headers, json=json, data=data, auth=auth,
                                             timeout=self.timeout, allow_redirects=False)
            if response.status_code not in RETRY_STATUSES or attempt >= self.max_retries:
                return response
            wait = self._wait(response, attempt)
            if wait is None:
                return response
            attempt += 1
            log.info("taskforge: %s %s answered %d, retry %d/%d in %.2f s", method, urlsplit(url).path,
                     response.status_code, attempt, self.max_retries, wait)
            response.close()
            self._sleep(wait)

    def _wait(self, response: requests.Response, attempt: int) -> float | None:
        """Seconds before the next try, or None when Retry-After asks for longer than we wait."""
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        if retry_after is not None:
            if retry_after > self.max_retry_after:
                return None
            return retry_after + random.uniform(0, self.backoff_base)  # noqa: S311 - jitter, not a secret
        ceiling = min(self.backoff_cap, self.backoff_base * 2 ** attempt)
        return random.uniform(0, ceiling)  # noqa: S311 - "full jitter"


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _body(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _error(response: requests.Response) -> ApiError:
    body = _body(response)
    status = response.status_code
    error = body.get("error") if isinstance(body.get("error"), str) else f"http_{status}"
    description = body.get("error_description")
    description = description if isinstance(description, str) else response.reason or ""
    request_id = response.headers.get("X-Request-Id") or body.get("request_id")
    request_id = request_id if isinstance(request_id, str) else None
    if status == 401:
        return AuthenticationError(status, str(error), description, request_id)
    if status == 403:
        challenge = response.headers.get("WWW-Authenticate", "")
        scope = challenge.split('scope="', 1)[1].split('"', 1)[0] if 'scope="' in challenge else None
        return ForbiddenError(status, str(error), description, request_id, scope=scope)
    if status == 429:
        return RateLimitedError(status, str(error), description, request_id,
                                retry_after=retry_after_seconds(response.headers.get("Retry-After")))
    return ApiError(status, str(error), description, request_id)


def _result(response: requests.Response) -> Any:
    if response.status_code >= 300:
        raise _error(response)
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        raise ApiError(response.status_code, "invalid_response", "The answer is not JSON.") from None
