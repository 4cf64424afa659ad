"""Check what `make package` wrote, after cfn-lint: the zip and the merged template.

    python scripts/check_package.py --stage prod --authorizer-cache-ttl 0 dist

The zip: reported size (must stay under 10 MB), no boto3/botocore (the Lambda
runtime provides them), and bytecode for every module: an unchecked-hash .pyc
(PEP 552, valid after unzip) of this interpreter's version, none stale.
The template: every function chalice generated got its name, log group,
environment and the stage's hand-written policy; the table, gateway responses
and authorizer cache TTL came out of the single sources.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.build_template import GATEWAY_RESPONSES, TABLE, api_definition  # noqa: E402

MAX_ZIP_BYTES = 10 * 1024 * 1024
# Provided by the Lambda Python runtime, or needed only for development.
FORBIDDEN = ("boto3", "botocore", "s3transfer", "moto", "pytest", "cfnlint")
ENVIRONMENT = ("TASKFORGE_TABLE", "TASKFORGE_SIGNING_KEY_SECRET", "TASKFORGE_TOTP_KEY_SECRET",
               "TASKFORGE_ISSUER", "TASKFORGE_ALLOW_SIGNUP", "TASKFORGE_SECRET_SCANNING_KEYS",
               "TASKFORGE_MAIL_FROM")
# Local-stack only: the packaged functions must never read mail back or expose the outbox.
NEVER_PACKAGED = ("TASKFORGE_LOCAL_OUTBOX",)


def check_zip(path: Path) -> list[str]:
    problems = []
    size = path.stat().st_size
    with zipfile.ZipFile(path) as archive:
        tops = {name.split("/", 1)[0] for name in archive.namelist()}
    print(f"package: {path.name} {size / 1_048_576:.2f} MB, {len(tops)} top-level entries")
    if size >= MAX_ZIP_BYTES:
        problems.append(f"{path.name} is {size} bytes, over the {MAX_ZIP_BYTES}-byte budget")
    problems += [f"{path.name} ships {top}/" for top in sorted(tops) if top in FORBIDDEN]
    problems += [f"{path.name} lacks {need}" for need in ("app.py", "chalicelib") if need not in tops]
    with zipfile.ZipFile(path) as archive:
        problems += check_bytecode(archive)
    return problems


def pyc_name(source: str) -> str:
    folder, _, name = source.rpartition("/")
    cached = f"__pycache__/{name[:-3]}.{sys.implementation.cache_tag}.pyc"
    return f"{folder}/{cached}" if folder else cached


def check_bytecode(archive: zipfile.ZipFile) -> list[str]:
    """Each .py has its unchecked-hash .pyc for this Python, and every .pyc has its source."""
    names = set(archive.namelist())
    sources = sorted(n for n in names if n.endswith(".py"))
    expected = {pyc_name(n) for n in sources}
    problems = [f"no bytecode for {n}" for n in sources if pyc_name(n) not in names][:5]
    problems += [f"stale bytecode {n}" for n in sorted(names) if n.endswith(".pyc") and n not in expected][:5]
    for name in sorted(expected & names):
        header = archive.read(name)[:8]
        # PEP 552: magic number, then flags: 0b01 hash-based, 0b10 check_source (must be off).
        if header[:4] != importlib.util.MAGIC_NUMBER or int.from_bytes(header[4:8], "little") != 0b01:
            problems.append(f"{name} is not unchecked-hash bytecode of this Python")
            break
    print(f"package: {len(expected & names)} of {len(sources)} modules ship unchecked-hash .pyc")
    return problems


def check_functions(resources: dict[str, Any], policy: dict[str, Any]) -> list[str]:
    problems = []
    functions = [name for name, r in resources.items() if r["Type"] == "AWS::Serverless::Function"]
    print(f"package: functions {', '.join(sorted(functions))}")
    for name in functions:
        properties = resources[name]["Properties"]
        if properties.get("FunctionName") != {"Fn::Sub": "${AWS::StackName}-" + name}:
            problems.append(f"{name}: no fixed FunctionName")
        group = resources.get(f"{name}LogGroup", {})
        if group.get("Properties", {}).get("RetentionInDays") != {"Ref": "LogRetentionDays"}:
            problems.append(f"{name}: no log group with retention")
        variables = properties.get("Environment", {}).get("Variables", {})
        problems += [f"{name}: {v} is not set from the stack" for v in ENVIRONMENT
                     if not isinstance(variables.get(v), dict)]
        problems += [f"{name}: {v} must never be set in the template" for v in NEVER_PACKAGED
                     if v in variables]
        role = resources[properties["Role"]["Fn::GetAtt"][0]]
        if [p["PolicyDocument"] for p in role["Properties"]["Policies"]] != [policy]:
            problems.append(f"{name}: its role does not carry exactly the stage's policy file")
    return problems


def check_infrastructure(resources: dict[str, Any], cache_ttl: int) -> list[str]:
    problems = []
    table = resources["AuthTable"]["Properties"]
    for name, value in json.loads(TABLE.read_text()).items():
        if name != "TableName" and table.get(name) != value:
            problems.append(f"AuthTable.{name} differs from infra/table.json")
    if table.get("PointInTimeRecoverySpecification") != {"PointInTimeRecoveryEnabled": True}:
        problems.append("AuthTable: point-in-time recovery is off")
    if table.get("SSESpecification", {}).get("SSEType") != "KMS":
        problems.append("AuthTable: not KMS-encrypted")
    body = resources["RestAPI"]["Properties"]["DefinitionBody"]
    authorizers = [name for name, spec in body.get("securityDefinitions", {}).items()
                   if "x-amazon-apigateway-authorizer" in spec]
    expected = api_definition(json.loads(GATEWAY_RESPONSES.read_text()), authorizers, cache_ttl)
    key = "x-amazon-apigateway-gateway-responses"
    if body.get(key) != expected[key]:
        problems.append("gateway responses differ from infra/gateway_responses.json")
    for name in authorizers:
        ttl = body["securityDefinitions"][name]["x-amazon-apigateway-authorizer"].get(
            "authorizerResultTtlInSeconds")
        if ttl != cache_ttl:
            problems.append(f"authorizer {name}: cache TTL {ttl}, expected {cache_ttl}")
    print(f"package: authorizers {authorizers or 'none'} cache {cache_ttl} s; "
          f"gateway responses {sorted(body.get(key, {}))}")
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", default="dev")
    parser.add_argument("--authorizer-cache-ttl", type=int, default=0)
    parser.add_argument("dist", type=Path)
    args = parser.parse_args(argv)
    template = json.loads((args.dist / "sam.json").read_text())
    policy = json.loads((ROOT / ".chalice" / f"policy-{args.stage}.json").read_text())
    print(f"package: stage {args.stage} in {args.dist}")
    problems = check_zip(args.dist / "deployment.zip")
    problems += check_functions(template["Resources"], policy)
    problems += check_infrastructure(template["Resources"], args.authorizer_cache_ttl)
    for problem in problems:
        print(f"package: FAIL {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
