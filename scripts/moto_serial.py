"""A moto server faithful to DynamoDB's atomicity: one request at a time, idempotent transactions.

    python scripts/moto_serial.py -H 127.0.0.1 -p 5005

1. moto applies a conditional write, and each item of a transaction, step by step
   without a lock, and even its reads change its dicts (a GetItem of a missing key adds an
   empty partition to the defaultdict that a Query iterates): concurrent requests can pass a
   condition DynamoDB would let only one pass, one's rollback can undo another's write, and a
   read can fail with "dictionary changed size". So moto's work runs under one lock; reading
   the request body and sending the answer (the network, where a slow client waits) do not.
   With scripts/local_dynamodb.py a request costs what it touches (~1-5 ms), so one lock
   is not the bottleneck it was when a transaction copied the whole table.
2. botocore retries a TransactWriteItems that timed out with the same
   ClientRequestToken, which DynamoDB treats as idempotent for 10 minutes: the retry
   succeeds without applying twice, and the same token with a different request is an
   IdempotentParameterMismatchException. moto ignores the token and applies it again, so the
   retry's conditions fail and a code or refresh token looks replayed. The answer to a
   token's first success is kept and replayed for a retry with the same body, as DynamoDB does.
When it can go: when moto's server is thread-safe and honours ClientRequestToken (neither in
moto 5.2.5).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import signal
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple

try:
    from scripts import local_dynamodb
except ImportError:  # run as `python scripts/moto_serial.py`: scripts/ is on sys.path, the root is not
    import local_dynamodb  # type: ignore[no-redef]

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
TRANSACT = "DynamoDB_20120810.TransactWriteItems"
Answer = tuple[float, bytes, str, list[tuple[str, str]], list[bytes]]  # when, body digest, answer
IDEMPOTENT_SECONDS = 600  # DynamoDB: a ClientRequestToken is valid for 10 minutes
MISMATCH = json.dumps({
    "__type": "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
    "message": "Request parameters do not match the previous request with this ClientRequestToken."
}).encode()


def _token(body: bytes) -> str | None:
    try:
        token = json.loads(body).get("ClientRequestToken")
    except (ValueError, AttributeError):
        return None
    return token if isinstance(token, str) else None


def serialised(app: WsgiApp) -> WsgiApp:
    lock = threading.Lock()
    answered: OrderedDict[str, Answer] = OrderedDict()  # ClientRequestToken -> its first success

    def replay(token: str, digest: bytes, start_response: Callable[..., Any]) -> list[bytes] | None:
        now = time.monotonic()
        while answered and now - next(iter(answered.values()))[0] > IDEMPOTENT_SECONDS:
            answered.popitem(last=False)
        if token not in answered:
            return None
        _, first_digest, status, headers, chunks = answered[token]
        if first_digest != digest:
            start_response("400 Bad Request", [("Content-Type", "application/x-amz-json-1.0"),
                                               ("Content-Length", str(len(MISMATCH)))])
            return [MISMATCH]
        start_response(status, headers)
        return chunks

    def handle(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        length = environ.get("CONTENT_LENGTH")
        body = environ["wsgi.input"].read(int(length)) if length else None  # off the lock
        if body is not None:
            environ["wsgi.input"] = io.BytesIO(body)
        token = _token(body) if body and environ.get("HTTP_X_AMZ_TARGET") == TRANSACT else None
        with lock:
            if token is None:
                # moto builds the whole answer inside the call; list() keeps that under the lock.
                return list(app(environ, start_response))
            digest = hashlib.sha256(body or b"").digest()
            replayed = replay(token, digest, start_response)
            if replayed is not None:
                return replayed
            seen: list[Any] = []

            def keep(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
                seen[:] = [status, headers]
                return start_response(status, headers, *rest)

            chunks = list(app(environ, keep))
            if seen and seen[0].startswith("200"):
                answered[token] = (time.monotonic(), digest, seen[0], seen[1], chunks)
            return chunks

    return handle


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5005)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    local_dynamodb.install()
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, serialised(app), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
