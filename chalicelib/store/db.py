"""The DynamoDB client and the few operations every record module uses.

The client is created once per container (Lambda reuses it across calls) with
short timeouts, so a store that does not answer becomes a 503 quickly instead
of a hanging request. Every botocore failure is mapped here to a domain error:
`ConditionFailed` for a lost conditional write, `StoreUnavailable` otherwise.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, overload

import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from ..errors import StoreUnavailable
from ..settings import get_settings
from .codec import from_item, to_attr, to_item

GSI1 = "gsi1"
BATCH_GET_LIMIT = 100  # DynamoDB's BatchGetItem maximum
BATCH_ATTEMPTS = 5


class ConditionFailed(Exception):
    """A conditional write lost: the record was not in the state required."""

    def __init__(self, old: dict[str, Any] | None = None):
        super().__init__("condition failed")
        self.old = old


class TransactionCanceled(Exception):
    """A transaction was cancelled; `reasons` holds one code per item, and `olds` the item as
    it was for each action that asked for it (`return_old`) and failed its condition."""

    def __init__(self, reasons: list[str], olds: list[dict[str, Any] | None] | None = None):
        super().__init__("transaction cancelled: " + ",".join(reasons))
        self.reasons = reasons
        self.olds = olds or [None] * len(reasons)


@lru_cache(maxsize=1)
def client() -> Any:
    """One botocore DynamoDB client per container; honours AWS_ENDPOINT_URL_DYNAMODB."""
    session = botocore.session.get_session()
    config = Config(connect_timeout=2, read_timeout=3,
                    retries={"max_attempts": 2, "mode": "standard"})
    return session.create_client("dynamodb", region_name=get_settings().region, config=config)


def table() -> str:
    return get_settings().table_name


def call(operation: str, **kwargs: Any) -> dict[str, Any]:
    """Run one DynamoDB operation, mapping failures to domain errors."""
    try:
        result: dict[str, Any] = getattr(client(), operation)(**kwargs)
        return result
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code == "ConditionalCheckFailedException":
            old = exc.response.get("Item")
            raise ConditionFailed(from_item(old) if old else None) from None
        if code == "TransactionCanceledException":
            cancelled = exc.response.get("CancellationReasons", [])
            olds = [from_item(r["Item"]) if r.get("Item") else None for r in cancelled]
            raise TransactionCanceled([r.get("Code", "None") for r in cancelled], olds) from None
        raise StoreUnavailable() from exc
    except BotoCoreError as exc:
        raise StoreUnavailable() from exc


def key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def values(mapping: dict[str, Any]) -> dict[str, Any]:
    return {name: to_attr(value) for name, value in mapping.items()}


# Table mechanics, never handed above store/: keys, index keys and the expiry attribute.
_MECHANICS = frozenset({"pk", "sk", "gsi1pk", "gsi1sk", "ttl"})


@overload
def record(item: None) -> None: ...


@overload
def record(item: dict[str, Any]) -> dict[str, Any]: ...


def record(item: dict[str, Any] | None) -> dict[str, Any] | None:
    """`item` as the domain sees it: without pk/sk/gsi1pk/gsi1sk/ttl (None stays None)."""
    if item is None:
        return None
    return {k: v for k, v in item.items() if k not in _MECHANICS}


def records(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [record(item) for item in items]


def get(pk: str, sk: str, consistent: bool = False) -> dict[str, Any] | None:
    result = call("get_item", TableName=table(), Key=key(pk, sk), ConsistentRead=consistent)
    item = result.get("Item")
    return from_item(item) if item else None


def batch_get(keys: list[tuple[str, str]], consistent: bool = False) -> list[dict[str, Any]]:
    """The items that exist among `keys` (distinct), in no particular order; 100 keys per call.

    DynamoDB may leave keys unprocessed under load: they are asked again with backoff, and a
    batch that never completes is StoreUnavailable rather than a silently partial answer.
    """
    found: list[dict[str, Any]] = []
    for start in range(0, len(keys), BATCH_GET_LIMIT):
        pending: dict[str, Any] = {table(): {
            "Keys": [key(pk, sk) for pk, sk in keys[start:start + BATCH_GET_LIMIT]],
            "ConsistentRead": consistent}}
        for attempt in range(BATCH_ATTEMPTS):
            result = call("batch_get_item", RequestItems=pending)
            found += [from_item(item) for item in result.get("Responses", {}).get(table(), [])]
            pending = result.get("UnprocessedKeys") or {}
            if not pending:
                break
            time.sleep(0.05 * 2 ** attempt)
        else:
            raise StoreUnavailable()
    return found


def put(item: dict[str, Any], condition: str | None = None,
        names: dict[str, str] | None = None, vals: dict[str, Any] | None = None) -> None:
    kwargs: dict[str, Any] = {"TableName": table(), "Item": to_item(item)}
    _conditional(kwargs, condition, names, vals)
    call("put_item", **kwargs)


def update(pk: str, sk: str, expression: str, names: dict[str, str] | None = None,
           vals: dict[str, Any] | None = None, condition: str | None = None,
           return_values: str = "NONE") -> dict[str, Any] | None:
    kwargs: dict[str, Any] = {"TableName": table(), "Key": key(pk, sk),
                              "UpdateExpression": expression, "ReturnValues": return_values,
                              "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}
    _conditional(kwargs, condition, names, vals)
    result = call("update_item", **kwargs)
    attrs = result.get("Attributes")
    return from_item(attrs) if attrs else None


def delete(pk: str, sk: str, condition: str | None = None,
           names: dict[str, str] | None = None, vals: dict[str, Any] | None = None) -> None:
    kwargs: dict[str, Any] = {"TableName": table(), "Key": key(pk, sk)}
    _conditional(kwargs, condition, names, vals)
    call("delete_item", **kwargs)


def query(pk_value: str, index: str | None = None, sk_prefix: str | None = None,
          limit: int | None = None, forward: bool = True,
          start: dict[str, Any] | None = None,
          sk_range: tuple[str, str] | None = None) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """One page of a partition (table or GSI1), optionally narrowed to a sort-key prefix
    or to an inclusive sort-key range (`sk_range`, instead of the prefix)."""
    pk_name, sk_name = ("gsi1pk", "gsi1sk") if index == GSI1 else ("pk", "sk")
    expression = "#p = :p"
    names = {"#p": pk_name}
    vals: dict[str, Any] = {":p": pk_value}
    if sk_prefix is not None:
        expression += " AND begins_with(#s, :s)"
        names["#s"] = sk_name
        vals[":s"] = sk_prefix
    elif sk_range is not None:
        expression += " AND #s BETWEEN :lo AND :hi"
        names["#s"] = sk_name
        vals[":lo"], vals[":hi"] = sk_range
    kwargs: dict[str, Any] = {"TableName": table(), "KeyConditionExpression": expression,
                              "ExpressionAttributeNames": names,
                              "ExpressionAttributeValues": values(vals),
                              "ScanIndexForward": forward}
    if index:
        kwargs["IndexName"] = index
    if limit:
        kwargs["Limit"] = limit
    if start:
        kwargs["ExclusiveStartKey"] = to_item(start)
    result = call("query", **kwargs)
    last = result.get("LastEvaluatedKey")
    return [from_item(i) for i in result.get("Items", [])], (from_item(last) if last else None)


def query_all(pk_value: str, index: str | None = None, sk_prefix: str | None = None,
              forward: bool = True) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    start: dict[str, Any] | None = None
    while True:
        page, start = query(pk_value, index, sk_prefix, forward=forward, start=start)
        items.extend(page)
        if not start:
            return items


def transact(actions: Iterable[dict[str, Any]]) -> None:
    """All-or-nothing writes; each action is a TransactWriteItems entry built with `put_action` etc."""
    call("transact_write_items", TransactItems=list(actions))


def put_action(item: dict[str, Any], condition: str | None = None,
               names: dict[str, str] | None = None, vals: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"TableName": table(), "Item": to_item(item)}
    _conditional(body, condition, names, vals)
    return {"Put": body}


def update_action(pk: str, sk: str, expression: str, names: dict[str, str] | None = None,
                  vals: dict[str, Any] | None = None, condition: str | None = None,
                  return_old: bool = False) -> dict[str, Any]:
    """`return_old`: a failed condition puts the item as it was in TransactionCanceled.olds."""
    body: dict[str, Any] = {"TableName": table(), "Key": key(pk, sk), "UpdateExpression": expression}
    _conditional(body, condition, names, vals)
    if return_old:
        body["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    return {"Update": body}


def delete_action(pk: str, sk: str, condition: str | None = None,
                  names: dict[str, str] | None = None, vals: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"TableName": table(), "Key": key(pk, sk)}
    _conditional(body, condition, names, vals)
    return {"Delete": body}


def condition_check(pk: str, sk: str, condition: str, names: dict[str, str] | None = None,
                    vals: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"TableName": table(), "Key": key(pk, sk)}
    _conditional(body, condition, names, vals)
    return {"ConditionCheck": body}


def _conditional(kwargs: dict[str, Any], condition: str | None,
                 names: dict[str, str] | None, vals: dict[str, Any] | None) -> None:
    if condition:
        kwargs["ConditionExpression"] = condition
    if names:
        kwargs["ExpressionAttributeNames"] = names
    if vals:
        kwargs["ExpressionAttributeValues"] = values(vals)
