"""Creating the table (local stack, tests, first deploy checks); not used per request."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .db import call, client, key, table

TABLE_DEFINITION = Path(__file__).resolve().parents[2] / "infra" / "table.json"


def table_definition() -> dict[str, Any]:
    """The table as `infra/table.json` defines it: the single source."""
    definition: dict[str, Any] = json.loads(TABLE_DEFINITION.read_text())
    return definition


def ensure_table() -> bool:
    """Create the table and turn TTL on if it is missing; True when it was created."""
    definition = table_definition()
    ttl = definition.pop("TimeToLiveSpecification")
    definition["TableName"] = table()
    if _exists(table()):
        return False
    call("create_table", **definition)
    client().get_waiter("table_exists").wait(TableName=table(), WaiterConfig={"Delay": 1})
    call("update_time_to_live", TableName=table(), TimeToLiveSpecification=ttl)
    return True


def _exists(name: str) -> bool:
    # ListTables answers at most 100 names a page: an account with more tables
    # must not make bootstrap try to create one that exists.
    start: dict[str, Any] = {}
    while True:
        page = call("list_tables", **start)
        if name in page.get("TableNames", []):
            return True
        if not page.get("LastEvaluatedTableName"):
            return False
        start = {"ExclusiveStartTableName": page["LastEvaluatedTableName"]}


def ping() -> None:
    """One cheap read proving the table answers (raises StoreUnavailable otherwise).

    A GetItem of a key that is never written: the Lambda role needs only item
    access, never DescribeTable (see .chalice/policy-*.json).
    """
    call("get_item", TableName=table(), Key=key("HEALTH", "PING"))
