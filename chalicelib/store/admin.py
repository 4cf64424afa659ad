"""Creating the table (local stack, tests, first deploy checks); not used per request."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .db import call, client, table

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
    existing = call("list_tables").get("TableNames", [])
    if table() in existing:
        return False
    call("create_table", **definition)
    client().get_waiter("table_exists").wait(TableName=table(), WaiterConfig={"Delay": 1})
    call("update_time_to_live", TableName=table(), TimeToLiveSpecification=ttl)
    return True


def ping() -> None:
    """One cheap read proving the table answers (raises StoreUnavailable otherwise)."""
    call("describe_table", TableName=table())
