"""Fill a local stack's table with realistic items, straight into its moto server.

    python scripts/fill_table.py --moto-url http://127.0.0.1:5005 --items 50000

Other workspaces' users, email guards, API keys, grants and audit events, 50 items per
workspace, shaped like the ones the app writes: what a local stack holds after days of use.
They go in through our moto server's bulk-load route (scripts/moto_serial.py), ~20x faster
than BatchWriteItem, whose per-attribute size checks cost ~3 ms an item in moto.
It adds only what is missing to reach `--items`, so filling again does not grow. Used by the
benchmark (bench/localstack.py) and the e2e test of concurrent 2FA confirmations.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import secrets
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import botocore.session
from botocore.config import Config

TABLE = "taskforge-auth"
PER_WORKSPACE = 50  # 3 account items + 5 keys + 4 grants + 38 audit events
T0 = 1_780_000_000


def client(moto_url: str) -> Any:
    return botocore.session.get_session().create_client(
        "dynamodb", region_name="us-east-1", endpoint_url=moto_url, aws_access_key_id="local",
        aws_secret_access_key="local", config=Config(max_pool_connections=8))


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def workspace_items(run: str, n: int) -> list[dict[str, Any]]:
    """The 50 items of filler workspace `n` of fill `run`."""
    ws, user = f"ws_fill{run}{n:06d}", f"usr_fill{run}{n:06d}"
    email = f"filler{run}{n:06d}@example.com"
    items: list[dict[str, Any]] = [
        {"pk": _s(f"USER#{user}"), "sk": _s("PROFILE"), "user_id": _s(user), "email": _s(email),
         "email_lower": _s(email), "workspace_id": _s(ws), "created_at": _n(T0 + n),
         "password_hash": _s("$argon2id$v=19$m=19456,t=2,p=1$" + "x" * 64)},
        {"pk": _s(f"EMAIL#{email}"), "sk": _s("USER"), "user_id": _s(user)},
        {"pk": _s(f"WORKSPACE#{ws}"), "sk": _s("META"), "workspace_id": _s(ws),
         "name": _s(f"Filler {n}"), "created_at": _n(T0 + n)},
    ]
    for k in range(5):
        key_id = f"key_fill{run}{n:06d}{k}"
        digest = hashlib.sha256(key_id.encode()).hexdigest()
        items.append({"pk": _s(f"APIKEY#{digest}"), "sk": _s("KEY"), "gsi1pk": _s(f"WORKSPACE#{ws}"),
                      "gsi1sk": _s(f"APIKEY#{key_id}"), "id": _s(key_id), "digest": _s(digest),
                      "workspace_id": _s(ws), "label": _s(f"filler key {k}"),
                      "scopes": {"L": [_s("read"), _s("write")]}, "hint": _s("tfk_abcd\u2026wxyz"),
                      "created_at": _n(T0 + k), "created_by": _s(user), "rate_limit_per_minute": _n(60)})
    for g in range(4):
        grant = f"grt_fill{run}{n:06d}{g}"
        items.append({"pk": _s(f"GRANT#{grant}"), "sk": _s("GRANT"), "gsi1pk": _s(f"USER#{user}"),
                      "gsi1sk": _s(f"GRANT#{T0 + g:012d}#{grant}"), "id": _s(grant),
                      "user_id": _s(user), "workspace_id": _s(ws), "client_id": _s(f"cli_fill{run}{n:06d}"),
                      "scopes": {"L": [_s("read")]}, "created_at": _n(T0 + g),
                      "expires_at": _n(T0 + 86400 * 30),
                      "refresh_digest": _s(hashlib.sha256(grant.encode()).hexdigest())})
    for e in range(PER_WORKSPACE - len(items)):
        event = f"evt_fill{run}{n:06d}{e:02d}"
        sort = f"{(T0 + e) * 1_000_000_000:020d}#{event}"
        items.append({"pk": _s(f"AUDIT#{ws}"), "sk": _s(sort), "gsi1pk": _s(f"USER#{user}"),
                      "gsi1sk": _s(f"AUDIT#{sort}"), "id": _s(event),
                      "type": _s("user.signed_in"), "workspace_id": _s(ws), "user_id": _s(user),
                      "actor": _s(user), "ip": _s("127.0.0.1"), "user_agent": _s("filler/1.0"),
                      "time": _n(T0 + e), "ttl": _n(T0 + e + 90 * 86400)})
    return items


def item_count(dynamodb: Any, table: str = TABLE) -> int:
    return int(dynamodb.describe_table(TableName=table)["Table"]["ItemCount"])


def fill(moto_url: str, items: int, table: str = TABLE) -> int:
    """Add filler workspaces until the table holds at least `items` items; the count after."""
    dynamodb = client(moto_url)
    missing = max(0, items - item_count(dynamodb, table))
    run = secrets.token_hex(3)  # a later fill adds workspaces of its own, never overwrites

    def write(first: int) -> None:
        items = [item for n in range(first, min(first + 100, workspaces)) for item in workspace_items(run, n)]
        body = json.dumps({"TableName": table, "Items": items}).encode()
        request = urllib.request.Request(f"{moto_url}/_local/bulk-load", data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as answer:
            assert json.load(answer)["Loaded"] == len(items)

    workspaces = -(-missing // PER_WORKSPACE)
    with ThreadPoolExecutor(max_workers=2) as pool:  # one builds its request while one loads
        list(pool.map(write, range(0, workspaces, 100)))
    return item_count(dynamodb, table)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--moto-url", default="http://127.0.0.1:5005")
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--table", default=TABLE)
    args = parser.parse_args()
    print(f"{fill(args.moto_url, args.items, args.table)} items in {args.table}")


if __name__ == "__main__":
    main()
