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
import gc
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

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple

try:
    from scripts import local_dynamodb
except ImportError:  # run as `python scripts/moto_serial.py`: scripts/ is on sys.path, the root is not
    import local_dynamodb  # type: ignore[no-redef]

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
TRANSACT = "DynamoDB_20120810.TransactWriteItems"
BULK_LOAD = "/_local/bulk-load"  # ours, not DynamoDB's: scripts/fill_table.py
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
        if environ.get("PATH_INFO") == BULK_LOAD and environ.get("REQUEST_METHOD") == "POST":
            with lock:
                return bulk_load(body or b"", start_response)
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


def bulk_load(body: bytes, start_response: Callable[..., Any]) -> list[bytes]:
    """POST /_local/bulk-load {"TableName", "Items": [DynamoDB JSON items]}: fill a table fast."""
    answer: dict[str, Any]
    try:
        request = json.loads(body)
        backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][request.get("Region", "us-east-1")]
        answer, status = {"Loaded": local_dynamodb.bulk_load(backend, request["TableName"],
                                                             request["Items"])}, "200 OK"
        # 50,000 items are ~1M objects: a full garbage collection pass over them took ~1 s here,
        # a pause some request would wait out. Items hold no reference cycles, so the collector
        # may skip them for good (refcounting still frees a deleted item).
        gc.freeze()
    except Exception as exc:  # noqa: BLE001 - a benchmark's malformed request: say what failed
        answer, status = {"message": f"{type(exc).__name__}: {exc}"}, "400 Bad Request"
    payload = json.dumps(answer).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
    return [payload]


SES_MESSAGES = "/moto-api/taskforge/ses-raw-messages"


def ses_messages(app: WsgiApp) -> WsgiApp:
    """`GET /moto-api/taskforge/ses-raw-messages`: the raw MIME of every message moto's SES holds,
    oldest first, for the local outbox. `GET /moto-api/data.json` exposes them too, but it
    serialises every model instance moto ever made (each DynamoDB item included), which grows
    to seconds on a busy local table, with every other request waiting behind it."""

    def handle(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != SES_MESSAGES or environ.get("REQUEST_METHOD") != "GET":
            return app(environ, start_response)
        from moto.core.models import DEFAULT_ACCOUNT_ID
        from moto.ses.models import ses_backends

        sent = [m for region in ses_backends[DEFAULT_ACCOUNT_ID].values()
                for m in region.sent_messages if hasattr(m, "raw_data")]
        body = json.dumps([m.raw_data for m in sent]).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    return handle


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5005)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    local_dynamodb.install()
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, serialised(ses_messages(app)), threaded=True,
               request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
