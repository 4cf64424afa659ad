"""A moto server that handles one request at a time, so DynamoDB's atomicity holds locally.

    python scripts/moto_serial.py -H 127.0.0.1 -p 5005

moto applies a conditional write, and each item of a transaction, step by step
without a lock, and restores a snapshot of the whole table when a transaction
fails: two concurrent requests can both pass a condition that DynamoDB would let
only one pass, and one's rollback can undo the other's write. Real DynamoDB
checks conditions and applies transactions atomically. Serving requests under
one lock (connections still accepted concurrently) gives the local stack that
guarantee, so races over HTTP test our code, not moto's threading.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def serialised(app: WsgiApp) -> WsgiApp:
    lock = threading.Lock()

    def handle(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        with lock:
            # moto builds the whole body inside the call; reading it here keeps it under the lock too.
            return list(app(environ, start_response))

    return handle


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5005)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, serialised(app), threaded=True,
               request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
