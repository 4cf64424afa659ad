"""A DynamoDB write that lands while its answer is lost: what a caller sees after a read timeout.

An `after-call.dynamodb.<Operation>` handler on the store's own client raises once the call
has been applied: `timeout` is botocore giving up on the answer, `retried` is the answer
botocore's retry of a conditional write gets once the first attempt has landed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import ClientError, ReadTimeoutError

from chalicelib.store import db
from tests.faults import ENDPOINT


@contextmanager
def answer_lost(operation: str, kind: str = "timeout",
                only: Callable[[dict[str, Any]], bool] | None = None) -> Iterator[list[str]]:
    """The first `operation` (e.g. "PutItem") whose parameters pass `only` is applied, then
    answers `kind` instead of its result; yields the operations whose answer was lost."""
    lost: list[str] = []

    def mark(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["lose_answer"] = not lost and (only is None or only(json.loads(params["body"])))

    def lose(model: Any, context: dict[str, Any], **_: Any) -> None:
        if not context.get("lose_answer"):
            return
        lost.append(model.name)
        if kind == "timeout":
            raise ReadTimeoutError(endpoint_url=ENDPOINT)
        raise ClientError({"Error": {"Code": "ConditionalCheckFailedException",
                                     "Message": "The conditional request failed"}}, model.name)

    events = db.client().meta.events
    events.register(f"before-call.dynamodb.{operation}", mark, unique_id=f"lost-mark-{operation}")
    events.register(f"after-call.dynamodb.{operation}", lose, unique_id=f"lost-{operation}")
    try:
        yield lost
    finally:
        events.unregister(f"before-call.dynamodb.{operation}", unique_id=f"lost-mark-{operation}")
        events.unregister(f"after-call.dynamodb.{operation}", unique_id=f"lost-{operation}")
