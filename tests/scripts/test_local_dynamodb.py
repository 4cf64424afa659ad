"""The local stack's DynamoDB (scripts/moto_serial.py + scripts/local_dynamodb.py) against stock moto.

The same requests go to a stock `moto_server` and to ours: every answer and every error
(cancellation reasons included) must be the same, and so must the whole table afterwards.
Then what stock moto does not do: idempotent retries, and atomicity under parallel requests.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.e2e.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
TABLE = "taskforge-local"
Client = Any


def _server(command: list[str]) -> Iterator[Client]:
    port = free_port()
    proc = subprocess.Popen([*command, "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline and proc.poll() is None, "moto did not start"
            time.sleep(0.1)
    client = botocore.session.get_session().create_client(
        "dynamodb", region_name="us-east-1", endpoint_url=url, aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(retries={"max_attempts": 1}, max_pool_connections=16))
    definition = json.loads((ROOT / "infra" / "table.json").read_text())
    definition.pop("TimeToLiveSpecification")
    client.create_table(**{**definition, "TableName": TABLE})
    try:
        yield client
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def stock() -> Iterator[Client]:
    yield from _server([str(Path(sys.executable).parent / "moto_server")])


@pytest.fixture(scope="module")
def ours() -> Iterator[Client]:
    yield from _server([sys.executable, str(ROOT / "scripts" / "moto_serial.py")])


def answer(client: Client, operation: str, request: dict[str, Any]) -> dict[str, Any]:
    """What a caller sees: the result, or the error code, message and cancellation reasons."""
    try:
        result: dict[str, Any] = getattr(client, operation)(**request)
    except ClientError as exc:
        return {"error": exc.response["Error"], "reasons": exc.response.get("CancellationReasons"),
                "item": exc.response.get("Item")}
    result.pop("ResponseMetadata", None)
    return result


def both(stock: Client, ours: Client, operation: str, request: dict[str, Any]) -> dict[str, Any]:
    expected, got = answer(stock, operation, request), answer(ours, operation, request)
    assert got == expected, (operation, request)
    return got


def s(value: str) -> dict[str, str]:
    return {"S": value}


def item(pk: str, sk: str, **attrs: Any) -> dict[str, Any]:
    return {"pk": s(pk), "sk": s(sk), **attrs}


def put(value: dict[str, Any], condition: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"TableName": TABLE, "Item": value}
    if condition:
        body["ConditionExpression"] = condition
    return {"Put": body}


def update(pk: str, sk: str, expression: str, values: dict[str, Any] | None = None,
           condition: str | None = None, all_old: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {"TableName": TABLE, "Key": {"pk": s(pk), "sk": s(sk)},
                            "UpdateExpression": expression}
    if values:
        body["ExpressionAttributeValues"] = values
    if condition:
        body["ConditionExpression"] = condition
    if all_old:
        body["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    return {"Update": body}


def everything(client: Client) -> list[dict[str, Any]]:
    items = client.scan(TableName=TABLE)["Items"]
    return sorted(items, key=lambda i: (i["pk"]["S"], i["sk"]["S"]))


def gsi(pk: str, **extra: Any) -> dict[str, Any]:
    return {"TableName": TABLE, "IndexName": "gsi1", "KeyConditionExpression": "gsi1pk = :p",
            "ExpressionAttributeValues": {":p": s(pk)}, **extra}


def test_transactions_answer_and_roll_back_as_stock_moto_does(stock: Client, ours: Client) -> None:
    for client in (stock, ours):
        for n in range(5):
            client.put_item(TableName=TABLE, Item=item("USER#a", f"K#{n}", gsi1pk=s("WS#1"),
                                                       gsi1sk=s(f"K#{n}"), n={"N": str(n)}))
    cases = [
        # Succeeds: a new item, an update that moves an item to another GSI partition, a delete, a check.
        [put(item("USER#b", "P", gsi1pk=s("WS#1"), gsi1sk=s("B"))),
         update("USER#a", "K#1", "SET gsi1pk = :w", {":w": s("WS#2")}),
         {"Delete": {"TableName": TABLE, "Key": {"pk": s("USER#a"), "sk": s("K#2")}}},
         {"ConditionCheck": {"TableName": TABLE, "Key": {"pk": s("USER#a"), "sk": s("K#3")},
                             "ConditionExpression": "attribute_exists(pk)"}}],
        # Cancelled by the last action: the put, the created item and the update are all undone.
        [put(item("USER#c", "P", gsi1pk=s("WS#1"), gsi1sk=s("C"))),
         update("USER#new", "X", "SET gsi1pk = :w, gsi1sk = :s", {":w": s("WS#1"), ":s": s("X")}),
         update("USER#a", "K#0", "SET n = n + :one", {":one": {"N": "1"}}),
         update("USER#a", "K#4", "SET n = :z", {":z": {"N": "0"}, ":big": {"N": "99"}},
                condition="n > :big", all_old=True)],
        # Two conditions fail, one with ALL_OLD, one on a missing item.
        [update("USER#a", "K#3", "SET n = :z", {":z": {"N": "0"}}, condition="attribute_not_exists(pk)",
                all_old=True),
         put(item("USER#a", "K#9"), condition="attribute_exists(pk)")],
        # Two actions on one item, a missing table, a bad expression.
        [put(item("USER#a", "K#0")), update("USER#a", "K#0", "SET n = :z", {":z": {"N": "0"}})],
        [{"Put": {"TableName": "no-such-table", "Item": item("X", "Y")}}],
        [update("USER#a", "K#0", "SET n = = 1")],
    ]
    for actions in cases:
        both(stock, ours, "transact_write_items", {"TransactItems": actions})
        assert everything(ours) == everything(stock)
        for partition in ("WS#1", "WS#2", "WS#3"):
            both(stock, ours, "query", gsi(partition))


def test_random_operations_give_the_same_answers_and_table(stock: Client, ours: Client) -> None:
    """A seeded random walk over a few keys: writes, transactions and queries, compared one by one."""
    rng = random.Random(21)
    keys = [(f"RND#{p}", f"S#{k}") for p in range(3) for k in range(4)]
    groups = ["G#0", "G#1", "G#2"]

    def an_action() -> dict[str, Any]:
        pk, sk = rng.choice(keys)
        kind = rng.choice(["put", "update", "delete", "check"])
        condition = rng.choice([None, "attribute_exists(pk)", "attribute_not_exists(pk)", "n < :lim"])
        values = {":lim": {"N": str(rng.randint(0, 4))}} if condition == "n < :lim" else {}
        body: dict[str, Any] = {"TableName": TABLE, "Key": {"pk": s(pk), "sk": s(sk)}}
        if kind == "put":
            body = {"TableName": TABLE, "Item": item(pk, sk, gsi1pk=s(rng.choice(groups)),
                                                     gsi1sk=s(f"{pk}{sk}"), n={"N": "0"})}
        elif kind == "update":
            body["UpdateExpression"] = "SET gsi1pk = :g, gsi1sk = :k ADD n :one"
            values.update({":g": s(rng.choice(groups)), ":k": s(f"{pk}{sk}"), ":one": {"N": "1"}})
        elif kind == "check":
            condition = condition or "attribute_exists(pk)"
        if condition:
            body["ConditionExpression"] = condition
            body["ReturnValuesOnConditionCheckFailure"] = rng.choice(["ALL_OLD", "NONE"])
        if values:
            body["ExpressionAttributeValues"] = values
        return {{"put": "Put", "update": "Update", "delete": "Delete", "check": "ConditionCheck"}[kind]: body}

    for _ in range(300):
        roll = rng.random()
        if roll < 0.5:
            actions = [an_action() for _ in range(rng.randint(1, 4))]
            both(stock, ours, "transact_write_items", {"TransactItems": actions})
        elif roll < 0.7:
            [(kind, body)] = an_action().items()
            if kind == "ConditionCheck":
                continue
            operation = {"Put": "put_item", "Update": "update_item", "Delete": "delete_item"}[kind]
            both(stock, ours, operation, body)
        elif roll < 0.85:
            both(stock, ours, "query", gsi(rng.choice(groups), Limit=rng.randint(1, 5),
                                           ScanIndexForward=rng.random() < 0.5))
        else:
            pk = rng.choice(keys)[0]
            both(stock, ours, "query", {"TableName": TABLE, "KeyConditionExpression": "pk = :p AND sk > :s",
                                        "ExpressionAttributeValues": {":p": s(pk), ":s": s("S#1")}})
    assert everything(ours) == everything(stock)


def redeem(pk: str, token: str) -> dict[str, Any]:
    return {"ClientRequestToken": token, "TransactItems": [
        update(pk, "CODE", "SET used_at = :now", {":now": {"N": "1"}},
               condition="attribute_exists(pk) AND attribute_not_exists(used_at)")]}


def test_a_retry_with_its_token_succeeds_once_and_a_changed_request_is_refused(ours: Client) -> None:
    pk = f"CODE#{uuid.uuid4().hex}"
    ours.put_item(TableName=TABLE, Item=item(pk, "CODE"))
    token = str(uuid.uuid4())
    first = answer(ours, "transact_write_items", redeem(pk, token))
    assert answer(ours, "transact_write_items", redeem(pk, token)) == first  # DynamoDB: idempotent
    again = answer(ours, "transact_write_items", redeem(pk, str(uuid.uuid4())))
    assert again["reasons"][0]["Code"] == "ConditionalCheckFailed"  # applied once, not twice
    changed = {**redeem(pk, token), "TransactItems": [put(item(pk, "OTHER"))]}
    assert answer(ours, "transact_write_items", changed)["error"]["Code"] == \
        "IdempotentParameterMismatchException"
    assert "used_at" in ours.get_item(TableName=TABLE, Key={"pk": s(pk), "sk": s("CODE")})["Item"]
    assert "Item" not in ours.get_item(TableName=TABLE, Key={"pk": s(pk), "sk": s("OTHER")})


def parallel(action: Callable[[int], Any], calls: int, threads: int = 8) -> list[Any]:
    barrier = threading.Barrier(threads)

    def run(n: int) -> Any:
        if n < threads:
            barrier.wait()
        return action(n)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(run, range(calls)))


def test_conditional_writes_and_transactions_stay_atomic_under_parallel_requests(ours: Client) -> None:
    run = uuid.uuid4().hex
    codes = [f"RACE#{run}#{n}" for n in range(10)]
    for code in codes:
        ours.put_item(TableName=TABLE, Item=item(code, "CODE"))
    ours.put_item(TableName=TABLE, Item=item(f"COUNT#{run}", "C", n={"N": "0"}))

    def redeem_and_grant(n: int) -> bool:
        """Like a code exchange: mark the code used and create its grant, all or nothing."""
        code = codes[n % len(codes)]
        try:
            ours.transact_write_items(TransactItems=[
                update(code, "CODE", "SET used_at = :n", {":n": {"N": str(n)}},
                       condition="attribute_not_exists(used_at)"),
                put(item(f"GRANT#{run}#{n}", "GRANT", gsi1pk=s(f"RUN#{run}"), gsi1sk=s(f"G#{n:03d}"),
                         code=s(code)))])
            return True
        except ClientError as exc:
            assert exc.response["Error"]["Code"] == "TransactionCanceledException"
            return False

    def count(n: int) -> bool:
        """Like the rate limiter: at most 25 of the 80 increments may pass the condition."""
        try:
            ours.update_item(TableName=TABLE, Key={"pk": s(f"COUNT#{run}"), "sk": s("C")},
                             UpdateExpression="ADD n :one", ConditionExpression="n < :limit",
                             ExpressionAttributeValues={":one": {"N": "1"}, ":limit": {"N": "25"}})
            return True
        except ClientError as exc:
            assert exc.response["Error"]["Code"] == "ConditionalCheckFailedException"
            return False

    def reader(_: int) -> int:
        return len(ours.query(**gsi(f"RUN#{run}"))["Items"])

    mixed = parallel(lambda n: (redeem_and_grant(n // 3) if n % 3 == 0 else count(n) if n % 3 == 1
                                else reader(n)), 240)
    won = [n // 3 for n, ok in enumerate(mixed) if n % 3 == 0 and ok]
    grants = ours.query(**gsi(f"RUN#{run}"))["Items"]
    assert len(won) == len(codes)  # every code redeemed exactly once
    # No cancelled transaction left a grant behind.
    assert sorted(g["gsi1sk"]["S"] for g in grants) == sorted(f"G#{n:03d}" for n in won)
    assert sum(1 for n, ok in enumerate(mixed) if n % 3 == 1 and ok) == 25
    counter = ours.get_item(TableName=TABLE, Key={"pk": s(f"COUNT#{run}"), "sk": s("C")})["Item"]
    assert counter["n"] == {"N": "25"}


def test_bulk_loaded_items_read_back_as_put_items_do(stock: Client, ours: Client) -> None:
    """scripts/fill_table.py's items through our bulk-load route = the same items through PutItem."""
    from scripts.fill_table import workspace_items

    items = workspace_items("bulk", 7)
    for it in items:
        stock.put_item(TableName=TABLE, Item=it)
    body = json.dumps({"TableName": TABLE, "Items": items}).encode()
    url = ours.meta.endpoint_url
    request = urllib.request.Request(f"{url}/_local/bulk-load", data=body, method="POST")
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert json.load(answer) == {"Loaded": len(items)}
    loaded = [i for i in everything(ours) if "bulk000007" in json.dumps(i)]
    assert loaded == [i for i in everything(stock) if "bulk000007" in json.dumps(i)]
    assert len(loaded) == len(items)
    for partition in ("WORKSPACE#ws_fillbulk000007", "USER#usr_fillbulk000007"):
        both(stock, ours, "query", gsi(partition))
    both(stock, ours, "query", {"TableName": TABLE, "KeyConditionExpression": "pk = :p",
                                "ExpressionAttributeValues": {":p": s("AUDIT#ws_fillbulk000007")},
                                "ScanIndexForward": False, "Limit": 10})
    refused = urllib.request.Request(f"{url}/_local/bulk-load", data=b'{"TableName": "missing"}',
                                     method="POST")
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(refused, timeout=30)
    assert error.value.code == 400


def test_an_item_whose_index_keys_are_removed_leaves_the_index(stock: Client, ours: Client) -> None:
    """A soft-deleted OAuth client does `REMOVE gsi1pk, gsi1sk`: the next index Query must not
    find it (and must not fail on the stale side-index entry)."""
    for n in range(2):
        both(stock, ours, "put_item", {"TableName": TABLE, "Item": item(
            f"CLIENT#{n}", "CLIENT", gsi1pk=s("WORKSPACE#w"), gsi1sk=s(f"CLIENT#{n}"))})
    assert both(stock, ours, "query", gsi("WORKSPACE#w"))["Count"] == 2
    both(stock, ours, "update_item", {"TableName": TABLE, "Key": {"pk": s("CLIENT#0"), "sk": s("CLIENT")},
                                      "UpdateExpression": "SET deleted_at = :n REMOVE gsi1pk, gsi1sk",
                                      "ExpressionAttributeValues": {":n": {"N": "1"}}})
    assert both(stock, ours, "query", gsi("WORKSPACE#w"))["Count"] == 1
