"""A moto server faithful to DynamoDB's atomicity: one request at a time, idempotent transactions.

    python scripts/moto_serial.py -H 127.0.0.1 -p 5005

1. moto applies a conditional write, and each item of a transaction, step by step
   without a lock, and restores a snapshot of the whole table when a transaction
   fails: concurrent requests can pass a condition DynamoDB would let only one pass,
   and one's rollback can undo another's write (under 8 threads on a 3,000-item
   table, a quarter of concurrent transactions failed outright). Serving requests
   under one lock (connections still accepted concurrently) makes them atomic.
2. botocore retries a TransactWriteItems that timed out with the same
   ClientRequestToken, which DynamoDB treats as idempotent (the retry succeeds
   without applying twice). moto ignores the token and applies it again, so the
   retry's conditions fail and a code or refresh token looks replayed. moto copies
   the whole table per transaction, so on a large local table a transaction can
   outlast the client's 3 s read timeout. The answer to a token's first success is
   kept and replayed for a retry with the same token and body, as DynamoDB does.
"""

from __future__ import annotations

import argparse
import io
import json
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
TRANSACT = "DynamoDB_20120810.TransactWriteItems"
Answer = tuple[float, str, list[tuple[str, str]], list[bytes]]
IDEMPOTENT_SECONDS = 600  # DynamoDB: a ClientRequestToken is valid for 10 minutes


def serialised(app: WsgiApp) -> WsgiApp:
    lock = threading.Lock()
    answered: dict[bytes, Answer] = {}  # request body (it holds ClientRequestToken) -> first success

    def handle(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        with lock:
            if environ.get("HTTP_X_AMZ_TARGET") != TRANSACT:
                # moto builds the whole body inside the call; reading it here keeps it under the lock.
                return list(app(environ, start_response))
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            now = time.monotonic()
            for old in [k for k, v in answered.items() if now - v[0] > IDEMPOTENT_SECONDS]:
                del answered[old]
            if b"ClientRequestToken" in body and body in answered:
                _, status, headers, chunks = answered[body]
                start_response(status, headers)
                return chunks
            environ["wsgi.input"] = io.BytesIO(body)
            seen: list[Any] = []

            def keep(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
                seen[:] = [status, headers]
                return start_response(status, headers, *rest)

            chunks = list(app(environ, keep))
            if seen and seen[0].startswith("200"):
                answered[body] = (now, seen[0], seen[1], chunks)
            return chunks

    return handle


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
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, serialised(ses_messages(app)), threaded=True,
               request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
