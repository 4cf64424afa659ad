"""moto's DynamoDB, made to cost what a request touches (the local stack's table grows for hours).

Field notes (moto 5.2.5, checked in its source, `moto/dynamodb/models/`):
1. `DynamoDBBackend.transact_write_items` deep-copies every table an action names, once per
   action, before running the transaction, and puts the copy back if it is cancelled: at
   ~1,900 items a one-item transaction took 51 ms against 3 ms for a PutItem, and past the
   client's 3 s read timeout botocore retried and the caller got a 503. Here the table is
   shared instead of copied, and only the items the actions name are snapshot (before anything
   runs) and put back when the transaction raises. moto's own code still runs every action, so
   conditions, cancellation reasons and errors stay exactly moto's.
2. `Table.query` builds and sorts a list of the whole table (`all_items()`) for every Query,
   and walks it again for a GSI: every Query, even of a two-item partition, cost O(n log n).
   Here `all_items()` answers, for the duration of one Query, with just the items the key
   condition can match: the table partition, or for a GSI the items registered under that hash
   value in an index kept on the side. moto's own query code then sorts, pages, filters and
   projects them as before. Every write registers the item under its GSI hash values, and no
   write unregisters: the side index is a superset by construction, checked at read time (a
   deleted or moved item is skipped and its entry dropped), so it can be stale, never wrong.
3. `bulk_load` fills a table for benchmarks and tests without moto's per-attribute size
   bookkeeping (`LimitedSizeDict.__setitem__` re-sums the item: ~3 ms an item here).
Tables with a stream keep moto's whole-table copy (a cancelled transaction must also undo its
stream records); ours have none. Tested against stock moto: tests/scripts/test_local_dynamodb.py.

When it can go: when moto snapshots per item in `transact_write_items` and queries a partition
without `all_items()` (neither had changed as of moto 5.2.5; look for both before upgrading).
`install()` refuses other moto versions: re-read those two functions, then add the version.
"""

from __future__ import annotations

import contextvars
import copy
import inspect
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import moto
import moto.dynamodb.models as backend_module
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table

CHECKED_VERSIONS = ("5.2.5",)

Key = tuple[DynamoType, DynamoType | None]
_share_tables = contextvars.ContextVar("share_tables", default=False)
_candidates: contextvars.ContextVar[list[Item] | None] = contextvars.ContextVar("candidates", default=None)
_stock_transact = DynamoDBBackend.transact_write_items
_stock_update = DynamoDBBackend.update_item
_stock_put = Table.put_item
_stock_query = Table.query
_stock_all_items = Table.all_items
_QUERY = inspect.signature(Table.query)
_UPDATE = inspect.signature(DynamoDBBackend.update_item)


class _CopyExceptTables:
    """Stands in for `copy` inside moto.dynamodb.models: during our transactions a table is shared."""

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        if isinstance(value, Table) and _share_tables.get():
            return value
        return copy.deepcopy(value, memo)


# Items -------------------------------------------------------------------------------------

def _key(table: Table, attrs: dict[str, Any]) -> Key:
    hash_value = DynamoType(attrs[table.hash_key_attr])
    range_value = DynamoType(attrs[table.range_key_attr]) if table.range_key_attr else None
    return hash_value, range_value


def _lookup(table: Table, key: Key) -> Item | None:
    """The item at `key`, without creating an empty partition (`table.items` is a defaultdict)."""
    hash_value, range_value = key
    items: Any = table.items  # partitions of items, or items when the table has no sort key
    found: Item | None = items.get(hash_value, {}).get(range_value) if table.range_key_attr \
        else items.get(hash_value)
    return found


def _store(table: Table, key: Key, item: Item | None) -> None:
    hash_value, range_value = key
    items: Any = table.items
    if table.range_key_attr:
        partition = items[hash_value]
        if item is None:
            partition.pop(range_value, None)
        else:
            partition[range_value] = item
    elif item is None:
        items.pop(hash_value, None)
    else:
        items[hash_value] = item
    if item is not None:
        _register(table, item)


# Transactions: snapshot and restore only what the actions name ------------------------------

def _target(backend: DynamoDBBackend, action: dict[str, Any]) -> tuple[Table, Key] | None:
    try:
        [(kind, body)] = action.items()
        table = backend.get_table(body["TableName"])
        return table, _key(table, body["Item"] if kind == "Put" else body["Key"])
    except Exception:  # noqa: BLE001 - malformed: moto answers for it, before it writes that item
        return None


def _touched(backend: DynamoDBBackend, actions: list[dict[str, Any]]) -> list[tuple[Table, Key]]:
    """The (table, key) of every item the actions could write, each once."""
    found: dict[tuple[int, Key], tuple[Table, Key]] = {}
    for target in filter(None, (_target(backend, action) for action in actions)):
        found.setdefault((id(target[0]), target[1]), target)
    return list(found.values())


def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    touched = _touched(self, transact_items)
    if any(table.stream_shard is not None for table, _ in touched):
        _stock_transact(self, transact_items)
        return
    before = [(table, key, copy.deepcopy(_lookup(table, key))) for table, key in touched]
    token = _share_tables.set(True)
    try:
        _stock_transact(self, transact_items)
    except BaseException:
        # All or nothing, whatever moto raised (it restores only on some errors).
        for table, key, item in reversed(before):
            _store(table, key, item)
        raise
    finally:
        _share_tables.reset(token)


# Queries: only the items the key condition can match ---------------------------------------

def _gsi_hash_names(table: Table) -> set[str]:
    return {part["AttributeName"] for index in table.global_indexes or []
            for part in index.schema if part["KeyType"] == "HASH"}


def _side_index(table: Table) -> dict[tuple[str, DynamoType], set[Key]]:
    """GSI hash value -> keys of items that had it (a superset), kept from the table's first write."""
    index: dict[tuple[str, DynamoType], set[Key]] | None = getattr(table, "_local_gsi_index", None)
    if index is None:
        index = {}
        table._local_gsi_index = index  # type: ignore[attr-defined]
        items: Any = table.items
        partitions = items.values() if table.range_key_attr else [{None: i} for i in items.values()]
        for partition in partitions:
            for item in partition.values():
                _register(table, item)
    return index


def _register(table: Table, item: Item) -> None:
    index = _side_index(table)
    for name in _gsi_hash_names(table):
        value = item.attrs.get(name)
        if value is not None:
            index.setdefault((name, value), set()).add((item.hash_key, item.range_key))


def _partition(table: Table, hash_value: DynamoType) -> list[Item]:
    items: Any = table.items
    if table.range_key_attr:
        return list(items.get(hash_value, {}).values())
    item = items.get(hash_value)
    return [item] if item is not None else []


def _gsi_items(table: Table, name: str, value: DynamoType) -> list[Item]:
    keys = _side_index(table).get((name, value), set())
    items: list[Item] = []
    for key in list(keys):
        item = _lookup(table, key)
        current = item.attrs.get(name) if item is not None else None
        if item is not None and current is not None and current == value:
            items.append(item)
        else:
            # deleted, its index key removed (REMOVE gsi1pk), or moved to another value since
            # it was registered (DynamoType compares badly with None: test absence first)
            keys.discard(key)
    return items


def _matchable(table: Table, arguments: dict[str, Any]) -> list[Item] | None:
    """Every item the key condition could match, or None to let moto look at the whole table."""
    index_name = arguments.get("index_name")
    if not index_name:
        hash_value = arguments.get("hash_key")
        return _partition(table, hash_value) if hash_value is not None else None
    if index_name not in {index.name for index in table.all_indexes()}:
        return None  # moto's own error
    conditions = dict(arguments.get("hash_key_conditions") or [])
    if table.hash_key_attr in conditions:  # a local secondary index: one table partition
        return _partition(table, conditions[table.hash_key_attr])
    names = sorted(_gsi_hash_names(table) & set(conditions))
    return _gsi_items(table, names[0], conditions[names[0]]) if names else None


def query(self: Table, *args: Any, **kwargs: Any) -> Any:
    bound = _QUERY.bind(self, *args, **kwargs)
    candidates = _matchable(self, dict(bound.arguments))
    with _narrowed(candidates):
        return _stock_query(self, *args, **kwargs)


@contextmanager
def _narrowed(candidates: list[Item] | None) -> Iterator[None]:
    token = _candidates.set(candidates)
    try:
        yield
    finally:
        _candidates.reset(token)


def all_items(self: Table) -> list[Item]:
    candidates = _candidates.get()
    if candidates is None:
        return _stock_all_items(self)
    # The order moto's all_items() gives, which its query relies on for ties.
    return sorted(candidates, key=lambda x: (x.hash_key, x.range_key) if x.range_key else x.hash_key)


# Writes register the item's GSI hash values -----------------------------------------------

def put_item(self: Table, *args: Any, **kwargs: Any) -> Item:
    item = _stock_put(self, *args, **kwargs)
    _register(self, item)
    return item


def update_item(self: DynamoDBBackend, *args: Any, **kwargs: Any) -> Item:
    try:
        return _stock_update(self, *args, **kwargs)
    finally:
        # moto updates the stored item in place (even when it fails part way): register what is there now.
        arguments = _UPDATE.bind(self, *args, **kwargs).arguments
        try:
            table = self.get_table(arguments["table_name"])
            item = _lookup(table, _key(table, arguments["key"]))
        except Exception:  # noqa: BLE001 - a malformed request, already answered by moto
            item = None
        if item is not None:
            _register(table, item)


def bulk_load(backend: DynamoDBBackend, table_name: str, items: list[dict[str, Any]]) -> int:
    """Store items as PutItem would, minus its per-attribute size bookkeeping (O(attributes²) in
    moto's LimitedSizeDict): for filling a local table with benchmark or test data only."""
    table = backend.get_table(table_name)
    for attrs in items:
        key = _key(table, attrs)
        item = Item(key[0], key[1], {})
        dict.update(item.attrs, {name: DynamoType(value) for name, value in attrs.items()})
        _store(table, key, item)
    return len(items)


def install() -> bool:
    """Patch moto's DynamoDB in this process; False (stock moto, correct but slow) on an unchecked version."""
    if moto.__version__ not in CHECKED_VERSIONS:
        print(f"local_dynamodb: moto {moto.__version__} is not one of {CHECKED_VERSIONS}; serving "
              "stock moto (correct, but slower as the table grows). See scripts/local_dynamodb.py.",
              file=sys.stderr)
        return False
    backend_module.copy = _CopyExceptTables  # type: ignore[attr-defined,assignment]
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    DynamoDBBackend.update_item = update_item  # type: ignore[method-assign]
    Table.put_item = put_item  # type: ignore[method-assign]
    Table.query = query  # type: ignore[method-assign]
    Table.all_items = all_items  # type: ignore[method-assign]
    return True
