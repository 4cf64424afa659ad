"""DynamoDB failures injected through botocore's event system on the store's own client.

A `before-parameter-build.dynamodb.<Operation>` handler (it sees the call's own
parameters) raises what botocore raises when DynamoDB throttles, times out or cannot be
reached, before any request leaves: nothing of our code is replaced, and the call fails
exactly where a real one would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

from chalicelib.store import db

ENDPOINT = "https://dynamodb.us-east-1.amazonaws.com/"
KINDS = ("throttled", "timeout", "unreachable")


def error(kind: str, operation: str) -> Exception:
    if kind == "throttled":
        return ClientError({"Error": {"Code": "ProvisionedThroughputExceededException",
                                      "Message": "Throughput exceeds the provisioned level."}},
                           operation)
    if kind == "timeout":
        return ReadTimeoutError(endpoint_url=ENDPOINT)
    if kind == "unreachable":
        return EndpointConnectionError(endpoint_url=ENDPOINT)
    raise ValueError(kind)


@contextmanager
def failing(kind: str, *operations: str,
            only: Callable[[dict[str, Any]], bool] | None = None) -> Iterator[list[str]]:
    """Make `operations` (e.g. "GetItem") fail with `kind`; `only` narrows it to some requests.
    Yields the list of operations that were failed, in order."""
    failed: list[str] = []

    def fail(model: Any, params: dict[str, Any], **_: Any) -> None:
        if only is None or only(params):
            failed.append(model.name)
            raise error(kind, model.name)

    events = db.client().meta.events
    for operation in operations:
        events.register(f"before-parameter-build.dynamodb.{operation}", fail, unique_id=f"fault-{operation}")
    try:
        yield failed
    finally:
        for operation in operations:
            events.unregister(f"before-parameter-build.dynamodb.{operation}", unique_id=f"fault-{operation}")


def item_key(params: dict[str, Any]) -> str:
    """The partition key a GetItem/PutItem/UpdateItem request names (for `only=`)."""
    item = params.get("Item") or params.get("Key") or {}
    return str(item.get("pk", {}).get("S", ""))


def items(prefix: str) -> list[dict[str, Any]]:
    """Every item whose partition key starts with `prefix` (read straight from the table)."""
    from chalicelib.store.codec import from_item

    found = db.client().scan(TableName=db.table())["Items"]
    return [from_item(i) for i in found if i["pk"]["S"].startswith(prefix)]
