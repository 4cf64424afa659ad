"""Plain Python values <-> DynamoDB AttributeValues.

A small codec instead of `boto3.dynamodb.types` keeps boto3 (about 0.1 s of
imports) off the authorizer's cold-start path. Numbers are whole numbers only.
"""

from __future__ import annotations

from typing import Any


def to_attr(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, int):
        return {"N": str(value)}
    if value is None:
        return {"NULL": True}
    if isinstance(value, (set, frozenset)):
        return {"SS": sorted(value)}
    if isinstance(value, (list, tuple)):
        return {"L": [to_attr(v) for v in value]}
    if isinstance(value, dict):
        return {"M": {k: to_attr(v) for k, v in value.items()}}
    raise TypeError(f"cannot store a {type(value).__name__}")


def from_attr(attr: dict[str, Any]) -> Any:
    (kind, raw), = attr.items()
    if kind == "S":
        return raw
    if kind == "N":
        return int(raw)
    if kind == "BOOL":
        return bool(raw)
    if kind == "NULL":
        return None
    if kind == "SS":
        return set(raw)
    if kind == "L":
        return [from_attr(v) for v in raw]
    if kind == "M":
        return {k: from_attr(v) for k, v in raw.items()}
    raise TypeError(f"unsupported attribute type {kind}")


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    return {k: to_attr(v) for k, v in values.items() if v is not None}


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {k: from_attr(v) for k, v in item.items()}
