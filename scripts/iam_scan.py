"""Which AWS actions the shipped code calls, found by reading it: no imports, no AWS.

`tests/deploy/test_iam_policy.py` holds the hand-written Lambda policies
(`.chalice/policy-<stage>.json`) to exactly this set, so a new store call
without its IAM action fails `make test` instead of failing on AWS with
AccessDenied. Run `python scripts/iam_scan.py` to see what the code needs and
how each stage's policy differs from it.

What counts as a call (in `chalicelib/` and `app.py`):
- a *client getter*: a function that calls `create_client("<service>")`;
  then `getter().<operation>(...)`, also through a local variable, and
  `getter().get_waiter("<name>")` / `get_paginator("<operation>")`;
- a *dispatcher*: a function doing `getattr(getter(), <its first parameter>)`,
  like `store.db.call`; then `call("<operation>", ...)` / `db.call(...)`;
- DynamoDB transaction entries built in `chalicelib/store/` (`{"Put": ...}` etc.):
  TransactWriteItems has no IAM action of its own; each entry needs the item action.
Operation names are checked against botocore's service models, so a typo or a
name built at run time fails the scan rather than slipping past it.
"""

from __future__ import annotations

import ast
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import botocore.session
from botocore import xform_name

ROOT = Path(__file__).resolve().parents[1]
STORE = "chalicelib/store/"

# Transaction entries -> the IAM action each needs (DynamoDB developer guide,
# "Using IAM with DynamoDB transactions").
TRANSACTION_ENTRIES = {"Put": "dynamodb:PutItem", "Update": "dynamodb:UpdateItem",
                       "Delete": "dynamodb:DeleteItem", "ConditionCheck": "dynamodb:ConditionCheckItem",
                       "Get": "dynamodb:GetItem"}
# Operations that are not IAM actions: their entries carry the permissions.
NOT_ACTIONS = {"dynamodb:TransactWriteItems", "dynamodb:TransactGetItems"}
# Client methods that are not AWS operations.
CLIENT_HELPERS = {"close", "can_paginate", "generate_presigned_url"}

# Granted although no line of ours calls them.
LAMBDA_RUNTIME = {
    "logs:CreateLogStream": "the Lambda runtime writes each function's logs to its log group",
    "logs:PutLogEvents": "the Lambda runtime writes each function's logs to its log group",
}
# Needed because the template encrypts both secrets with its own KMS key.
IMPLIED = {
    "secretsmanager:GetSecretValue": ("kms:Decrypt",),
    "secretsmanager:PutSecretValue": ("kms:GenerateDataKey",),
}
# Called by code that never runs on Lambda: (file, functions, why). Never granted.
OFF_LAMBDA = {
    "dynamodb:CreateTable": (STORE + "admin.py", {"ensure_table"}, "the packaged template creates the table"),
    "dynamodb:DescribeTable": (STORE + "admin.py", {"ensure_table"},
                               "the table_exists waiter, after bootstrap creates the table locally"),
    "dynamodb:ListTables": (STORE + "admin.py", {"_exists"}, "bootstrap's is-the-table-there check"),
    "dynamodb:UpdateTimeToLive": (STORE + "admin.py", {"ensure_table"}, "the template turns TTL on"),
    "ses:CreateEmailIdentity": (STORE + "mail.py", {"ensure_identity"},
                                "bootstrap creates the sender identity in moto; on AWS the operator "
                                "verifies it (docs/ACCOUNTS.md)"),
    "secretsmanager:CreateSecret": (STORE + "secrets.py", {"write"},
                                    "the template creates both secrets (empty); write() creates one only "
                                    "when it is missing, which happens against moto, never on AWS"),
}


class ScanError(Exception):
    """The code calls AWS in a way the scan cannot resolve to an action."""


@dataclass(frozen=True)
class Use:
    action: str      # IAM action, e.g. "dynamodb:GetItem"
    path: str        # file, relative to the repository root
    function: str    # enclosing top-level function or method ("" at module level)
    line: int

    def where(self) -> str:
        return f"{self.path}:{self.line} ({self.function or 'module'})"


@dataclass
class _Module:
    name: str
    path: str
    tree: ast.Module
    imports: dict[str, str]


def scan(root: Path = ROOT) -> list[Use]:
    """Every AWS call site in `chalicelib/` and `app.py` under `root`."""
    modules = [_load(root, path) for path in _sources(root)]
    getters = {f"{m.name}.{fn.name}": svc for m in modules for fn, svc in _getters(m)}
    dispatchers = {f"{m.name}.{fn.name}": getters[g] for m in modules for fn, g in _dispatchers(m, getters)}
    uses: list[Use] = []
    for module in modules:
        for function, node in _functions(module.tree):
            uses.extend(_calls(module, function, node, getters, dispatchers))
            if module.path.startswith(STORE):
                uses.extend(_transaction_entries(module, function, node))
    return uses


def required(uses: Iterable[Use]) -> dict[str, str]:
    """The actions the Lambda role must hold, each with a reason."""
    needed: dict[str, str] = dict(LAMBDA_RUNTIME)
    for use in uses:
        if use.action in OFF_LAMBDA or use.action in NOT_ACTIONS:
            continue
        needed.setdefault(use.action, f"called at {use.where()}")
        for implied in IMPLIED.get(use.action, ()):
            needed.setdefault(implied, f"{use.action} on a secret encrypted with the template's KMS key")
    return needed


def misplaced_off_lambda(uses: Iterable[Use]) -> list[Use]:
    """Calls of an off-Lambda action from anywhere but its documented place."""
    return [u for u in uses if u.action in OFF_LAMBDA
            and (u.path != OFF_LAMBDA[u.action][0] or u.function not in OFF_LAMBDA[u.action][1])]


def granted(policy: dict[str, Any]) -> dict[str, list[Any]]:
    """Allowed action -> the resources it is allowed on; wildcard actions are refused."""
    result: dict[str, list[Any]] = {}
    for statement in policy.get("Statement", []):
        if statement.get("Effect") != "Allow":
            continue
        actions = statement["Action"]
        resources = statement.get("Resource", [])
        for action in [actions] if isinstance(actions, str) else actions:
            if "*" in action:
                raise ScanError(f"wildcard action {action!r}: grant the exact actions")
            result.setdefault(action, []).extend(resources if isinstance(resources, list) else [resources])
    return result


# --- reading the source ------------------------------------------------------------------------

def _sources(root: Path) -> list[Path]:
    return sorted((root / "chalicelib").rglob("*.py")) + [root / "app.py"]


def _load(root: Path, path: Path) -> _Module:
    relative = path.relative_to(root)
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    module = _Module(".".join(parts), relative.as_posix(), ast.parse(path.read_text(), str(path)), {})
    package = parts if relative.name == "__init__.py" else parts[:-1]
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                module.imports[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            origin = ".".join(base + (node.module.split(".") if node.module else []))
            for alias in node.names:
                module.imports[alias.asname or alias.name] = f"{origin}.{alias.name}"
    return module


def _functions(tree: ast.Module) -> Iterator[tuple[str, ast.AST]]:
    """Top-level functions and class methods, then the module's own statements."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    yield f"{node.name}.{item.name}", item
        else:
            yield "", node


def _resolve(module: _Module, expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Name):
        if expr.id in module.imports:
            return module.imports[expr.id]
        return f"{module.name}.{expr.id}"
    if isinstance(expr, ast.Attribute):
        base = _resolve(module, expr.value)
        return f"{base}.{expr.attr}" if base else None
    return None


def _getters(module: _Module) -> Iterator[tuple[ast.FunctionDef, str]]:
    for node in module.tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for call in ast.walk(node):
            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "create_client" and call.args
                    and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)):
                yield node, call.args[0].value


def _dispatchers(module: _Module, getters: dict[str, str]) -> Iterator[tuple[ast.FunctionDef, str]]:
    for node in module.tree.body:
        if not isinstance(node, ast.FunctionDef) or not node.args.args:
            continue
        parameter = node.args.args[0].arg
        for call in ast.walk(node):
            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "getattr"
                    and len(call.args) >= 2 and isinstance(call.args[1], ast.Name)
                    and call.args[1].id == parameter):
                getter = _getter_of(module, call.args[0], getters, {})
                if getter:
                    yield node, getter


def _getter_of(module: _Module, expr: ast.expr, getters: dict[str, str],
               local: dict[str, str]) -> str | None:
    """The getter an expression's client comes from (`client()`, `db.client()`, a local name)."""
    if isinstance(expr, ast.Name) and expr.id in local:
        return local[expr.id]
    if isinstance(expr, ast.Call):
        target = _resolve(module, expr.func)
        if target in getters:
            return target
    return None


def _calls(module: _Module, function: str, node: ast.AST, getters: dict[str, str],
           dispatchers: dict[str, str]) -> Iterator[Use]:
    local = _client_variables(module, node, getters)
    for call in ast.walk(node):
        if not isinstance(call, ast.Call):
            continue
        target = _resolve(module, call.func)
        if target in dispatchers:
            operation = _literal(module, call, "operation name")
            yield _use(module, function, call, dispatchers[target], operation)
        elif isinstance(call.func, ast.Attribute):
            getter = _getter_of(module, call.func.value, getters, local)
            if getter:
                yield from _client_call(module, function, call, getters[getter])


def _client_variables(module: _Module, node: ast.AST, getters: dict[str, str]) -> dict[str, str]:
    """Local names bound to a client (`dynamodb = client()`), so `dynamodb.query(...)` counts too."""
    local: dict[str, str] = {}
    for assign in ast.walk(node):
        if isinstance(assign, ast.Assign):
            getter = _getter_of(module, assign.value, getters, {})
            for target in assign.targets:
                if getter and isinstance(target, ast.Name):
                    local[target.id] = getter
    return local


def _client_call(module: _Module, function: str, call: ast.Call, service: str) -> Iterator[Use]:
    assert isinstance(call.func, ast.Attribute)
    method = call.func.attr
    if method in CLIENT_HELPERS:
        return
    if method == "get_waiter":
        waiter = _literal(module, call, "waiter name")
        names = _waiters(service)
        if waiter not in names:
            raise ScanError(f"{module.path}:{call.lineno}: {service} has no waiter {waiter!r}")
        yield _use(module, function, call, service, xform_name(names[waiter]))
    elif method == "get_paginator":
        yield _use(module, function, call, service, _literal(module, call, "paginated operation"))
    else:
        yield _use(module, function, call, service, method)


def _transaction_entries(module: _Module, function: str, node: ast.AST) -> Iterator[Use]:
    for found in ast.walk(node):
        if isinstance(found, ast.Dict) and len(found.keys) == 1:
            key = found.keys[0]
            if isinstance(key, ast.Constant) and key.value in TRANSACTION_ENTRIES:
                yield Use(TRANSACTION_ENTRIES[key.value], module.path, function, found.lineno)


def _literal(module: _Module, call: ast.Call, what: str) -> str:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    raise ScanError(f"{module.path}:{call.lineno}: the {what} must be a string literal "
                    "so the IAM policy test can see it")


def _use(module: _Module, function: str, call: ast.Call, service: str, operation: str) -> Use:
    operations = _operations(service)
    if operation not in operations:
        raise ScanError(f"{module.path}:{call.lineno}: {service} has no operation {operation!r}")
    return Use(f"{_prefix(service)}:{operations[operation]}", module.path, function, call.lineno)


@cache
def _operations(service: str) -> dict[str, str]:
    model = botocore.session.get_session().get_service_model(service)
    return {xform_name(name): name for name in model.operation_names}


@cache
def _prefix(service: str) -> str:
    model = botocore.session.get_session().get_service_model(service)
    return str(model.signing_name)


@cache
def _waiters(service: str) -> dict[str, str]:
    waiters = botocore.session.get_session().get_waiter_model(service)
    return {xform_name(name): waiters.get_waiter(name).operation for name in waiters.waiter_names}


def main() -> int:
    uses = scan()
    needed = required(uses)
    print("actions the Lambda role needs:")
    for action in sorted(needed):
        print(f"  {action:40} {needed[action]}")
    status = 0
    for path in sorted((ROOT / ".chalice").glob("policy-*.json")):
        have = set(granted(json.loads(path.read_text())))
        missing, extra = sorted(set(needed) - have), sorted(have - set(needed))
        print(f"{path.relative_to(ROOT)}: missing {missing or 'nothing'}, unused {extra or 'nothing'}")
        status |= bool(missing or extra)
    for use in misplaced_off_lambda(uses):
        print(f"{use.action} is off-Lambda only, but called at {use.where()}")
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
