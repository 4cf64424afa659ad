"""Cold start to the first answer, measured from the packaged zip, next to the floors, in one run.

    .venv/bin/python -m bench.coldstart [--processes 15]

`make package` builds `deployment.zip`, which is unzipped as Lambda unzips it into /var/task.
Every probe is a fresh interpreter started with `-S` (no site-packages): its path is the
unzipped package, then a directory holding only what the Lambda Python runtime provides
(boto3, botocore, s3transfer, jmespath, dateutil, urllib3, six). It writes no bytecode
(/var/task is read-only): what the zip ships is what it gets. AWS_LAMBDA_FUNCTION_NAME is
set, as on Lambda. Each probe answers one event against a moto server, then prints its time.

Five kinds, interleaved (the order rotates every round), medians of `--processes` each:
- floor, API key: `import botocore.session, hashlib, json`, one DynamoDB client, SHA-256 of the
  key and the same consistent GetItem an API-key decision makes: the least any Python
  authorizer must do for an API key.
- API-key authorizer: the deployed handler `chalicelib.authorizer_handlers.bearer` with a
  TOKEN event carrying an API key; must answer Allow.
- floor, JWT: `import botocore.session, jwt`, one client, `jwt.decode` (ES256, audience and
  issuer checked) with the public key already at hand as PEM, and one GetItem (the grant).
- JWT authorizer: the same handler with an OAuth access token; must answer Allow.
- API handler: the whole `app.py` (`app.app`, the REST API's handler) answering a first
  `GET /v1/me` proxy event (the authorizer's context included, as API Gateway passes it),
  which makes the rate limiter's one write; compared with the API-key floor.

Two clocks per process: spawn to answer (interpreter start-up included, as Lambda's init
sees it; the process's exit not), and, stricter, first line to answer (start-up left out).
"""

from __future__ import annotations

import importlib
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from bench.common import ROOT, TABLE, Row, environment, main, moto_server, ms, ratio

ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123/api/GET/v1/me"
# What the Lambda Python runtime provides besides the standard library.
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six")
TARGETS = {"key": 1.10, "jwt": 1.15, "app": 1.30}

START = "import time\nstarted = time.perf_counter()\n"
DONE = "print(time.perf_counter() - started, flush=True)\n"

# Both floors create their client with the store's own configuration (standard retries,
# short timeouts), the cheaper one to create: the floor never pays for a choice of ours.
CLIENT = """client = botocore.session.get_session().create_client("dynamodb", region_name="us-east-1",
    config=Config(connect_timeout=2, read_timeout=3, retries={"max_attempts": 2, "mode": "standard"}))
"""

FLOOR_KEY = START + """import botocore.session, hashlib, json
from botocore.config import Config
""" + CLIENT + f"""
pk = "APIKEY#" + hashlib.sha256(KEY.encode()).hexdigest()
item = client.get_item(TableName={TABLE!r}, Key={{"pk": {{"S": pk}}, "sk": {{"S": "KEY"}}}},
                       ConsistentRead=True)["Item"]
assert json.dumps(item["scopes"])
""" + DONE

FLOOR_JWT = START + """import botocore.session, jwt
from botocore.config import Config
""" + CLIENT + f"""
claims = jwt.decode(TOKEN, PUBLIC_PEM, algorithms=["ES256"], audience="taskforge-api", issuer=ISSUER)
item = client.get_item(TableName={TABLE!r}, Key={{"pk": {{"S": "GRANT#" + claims["sid"]}},
                       "sk": {{"S": "GRANT"}}}}, ConsistentRead=True)["Item"]
""" + DONE

AUTHORIZER = START + f"""import chalicelib.authorizer_handlers as handlers
answer = handlers.bearer({{"type": "TOKEN", "authorizationToken": "Bearer " + CREDENTIAL,
                          "methodArn": {ARN!r}}}, None)
elapsed = time.perf_counter() - started
assert answer["policyDocument"]["Statement"][0]["Effect"] == "Allow", answer
print(elapsed, flush=True)
"""

API_HANDLER = START + """import app
answer = app.app(EVENT, None)
elapsed = time.perf_counter() - started
assert answer["statusCode"] == 200, answer
print(elapsed, flush=True)
"""


def me_event(context: dict[str, str]) -> dict[str, Any]:
    """An API Gateway REST proxy event for GET /v1/me, after the authorizer allowed it."""
    return {"resource": "/v1/me", "path": "/v1/me", "httpMethod": "GET",
            "headers": {"Host": "abc123.execute-api.us-east-1.amazonaws.com", "Accept": "application/json",
                        "Authorization": "Bearer <credential>"},
            "multiValueHeaders": None, "queryStringParameters": None, "multiValueQueryStringParameters": None,
            "pathParameters": None, "stageVariables": None, "body": None, "isBase64Encoded": False,
            "requestContext": {"resourcePath": "/v1/me", "httpMethod": "GET", "stage": "api",
                               "path": "/api/v1/me", "requestId": "bench-request",
                               "identity": {"sourceIp": "203.0.113.7", "userAgent": "bench"},
                               "authorizer": {**context, "principalId": context["credential_id"]}}}


def credentials(url: str) -> dict[str, str]:
    """An API key, an access token of a stored grant, and the public key as PEM (via bootstrap)."""
    from bench.common import configure

    configure(url)
    from cryptography.hazmat.primitives import serialization

    from chalicelib import authorizer, clock
    from chalicelib.apikeys import manage
    from chalicelib.bootstrap import bootstrap
    from chalicelib.oauth import access_tokens, signing_keys
    from chalicelib.settings import get_settings
    from chalicelib.store import db

    bootstrap()
    caller = manage.Caller("ws_bench", "usr_bench", "usr_bench", "127.0.0.1", "bench")
    key = str(manage.issue(caller, manage.KeyRequest("cold", ["read"], None, None))["key"])
    now = clock.now()
    grant = {"id": "grt_bench", "user_id": "usr_bench", "workspace_id": "ws_bench", "client_id": "cli_bench",
             "scopes": ["read"], "created_at": now, "expires_at": now + 86400}
    db.put({"pk": "GRANT#grt_bench", "sk": "GRANT", **grant})
    token = access_tokens.issue(grant, "read")
    context = authorizer.authorize(f"Bearer {key}").context()  # last_used_at is fresh from now on
    keyset = signing_keys.current()
    pem = keyset.public_keys[keyset.kid].public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return {"key": key, "token": token, "pem": pem, "issuer": get_settings().issuer,
            "event": repr(me_event(context))}


def unpack(scratch: Path) -> Path:
    """`make package` (dev) unzipped into scratch/task, as Lambda does; returns the path."""
    dist = scratch / "dist"
    made = subprocess.run(["make", "--no-print-directory", "package", "STAGE=dev", f"DIST={dist}"],
                          cwd=ROOT, capture_output=True, text=True)
    if made.returncode:
        raise SystemExit(f"bench.coldstart: make package failed:\n{made.stdout}{made.stderr}")
    task = scratch / "task"
    with zipfile.ZipFile(dist / "deployment.zip") as archive:
        archive.extractall(task)
    return task


def runtime(scratch: Path) -> Path:
    """A directory with only the Lambda runtime's packages (links into this virtualenv)."""
    folder = scratch / "runtime"
    folder.mkdir()
    for name in RUNTIME_PACKAGES:
        module = importlib.import_module(name)
        source = Path(module.__file__ or "")
        source = source.parent if source.name == "__init__.py" else source
        (folder / source.name).symlink_to(source)
    return folder


def _run(code: str, env: dict[str, str]) -> tuple[float, float]:
    """(spawn to answer, first line to answer) in ms; the process's exit is not Lambda's to wait for."""
    started = time.perf_counter()
    with subprocess.Popen([sys.executable, "-S", "-c", code], cwd=env["LAMBDA_TASK_ROOT"], env=env,
                          stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        answered = time.perf_counter()
        if proc.wait() != 0 or not line:
            raise SystemExit("bench.coldstart: a probe process failed")
    return (answered - started) * 1000, float(line) * 1000


def measure(processes: int) -> dict[str, tuple[float, float]]:
    with tempfile.TemporaryDirectory(prefix="bench-coldstart-") as tmp, moto_server() as url:
        scratch = Path(tmp)
        task, found = unpack(scratch), credentials(url)
        env = {**environment(url), "AWS_LAMBDA_FUNCTION_NAME": "taskforge-auth-bench",
               "LAMBDA_TASK_ROOT": str(task), "PYTHONPATH": f"{task}:{runtime(scratch)}",
               "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("PYTHONHOME", None)
        given = (f"KEY = {found['key']!r}\nTOKEN = {found['token']!r}\nPUBLIC_PEM = {found['pem']!r}\n"
                 f"ISSUER = {found['issuer']!r}\nEVENT = {found['event']}\n")
        codes = {"floor_key": FLOOR_KEY, "key": "CREDENTIAL = KEY\n" + AUTHORIZER,
                 "floor_jwt": FLOOR_JWT, "jwt": "CREDENTIAL = TOKEN\n" + AUTHORIZER, "app": API_HANDLER}
        codes = {name: given + code for name, code in codes.items()}
        for code in codes.values():  # warm the OS file cache once
            _run(code, env)
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in codes}
        order = list(codes.items())
        for i in range(processes):
            shift = i % len(order)
            for name, code in order[shift:] + order[:shift]:
                samples[name].append(_run(code, env))
    return {name: (statistics.median(w for w, _ in runs), statistics.median(i for _, i in runs))
            for name, runs in samples.items()}


def _versus(medians: dict[str, tuple[float, float]], name: str, floor: str) -> str:
    (whole, inner), (floor_whole, floor_inner) = medians[name], medians[floor]
    return (f"spawn → answer {ms(whole)} vs {ms(floor_whole)} ({ratio(whole, floor_whole)}); "
            f"imports → answer {ms(inner)} vs {ms(floor_inner)} ({ratio(inner, floor_inner)})")


def rows(processes: int = 15) -> list[Row]:
    if "--processes" in sys.argv:
        processes = int(sys.argv[sys.argv.index("--processes") + 1])
    medians = measure(processes)
    where = (f"`bench.coldstart`: from the unzipped `make package` zip, fresh `python -S` with only "
             f"the Lambda runtime's boto3/botocore, medians of {processes} processes each, all five "
             "kinds interleaved")
    return [
        Row("Cold start to the first decision: API-key authorizer (`chalicelib.authorizer_handlers.bearer`) "
            "vs floor **\"botocore + hashlib + json, one DynamoDB client, the same consistent GetItem\"**; "
            + where, _versus(medians, "key", "floor_key"), f"≤ {TARGETS['key']:.2f}×"),
        Row("Cold start to the first decision: JWT authorizer (same handler, an OAuth access token) vs "
            "floor **\"botocore + PyJWT, one DynamoDB client, `jwt.decode` with the public key at hand, "
            "one GetItem\"**", _versus(medians, "jwt", "floor_jwt"), f"≤ {TARGETS['jwt']:.2f}×"),
        Row("Cold start to the first answer: whole API handler (`app.app`, first `GET /v1/me`, its "
            "limiter write) vs the API-key floor above", _versus(medians, "app", "floor_key"),
            f"≤ {TARGETS['app']:.2f}×"),
    ]


if __name__ == "__main__":
    main(rows)
