"""`make run`: the whole local stack in one process tree.

A moto server (DynamoDB, Secrets Manager, KMS) on 127.0.0.1:$MOTO_PORT (serving one
request at a time, so writes are atomic as on DynamoDB, and costing what a request touches
however full the table: scripts/moto_serial.py, scripts/local_dynamodb.py), the
table and keys created by `bootstrap()`, a demo workspace seeded, then
`chalice local` on 127.0.0.1:$PORT. Prints the URL and the demo sign-in once
/health answers; SIGINT/SIGTERM stop everything it started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "taskforge-demo-sign-in"


def wait_for(url: str, seconds: float, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"devstack: {proc.args!r} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as answer:
                if answer.status < 500:
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"devstack: {url} did not answer within {seconds:.0f} s")


def stack_environment(port: str, moto_port: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("AWS_ACCESS_KEY_ID", "local")
    env.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    env.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    env.setdefault("TASKFORGE_ISSUER", f"http://127.0.0.1:{port}")
    env.setdefault("TASKFORGE_LOGIN_IP_LIMIT", "1000")  # locally every caller is 127.0.0.1
    env.setdefault("TASKFORGE_AUTHORIZE_IP_LIMIT", "1000")
    env.setdefault("TASKFORGE_RESET_IP_LIMIT", "1000")
    # Emails go to moto's SES; GET /_local/outbox reads them back and each link is printed here.
    env.setdefault("TASKFORGE_LOCAL_OUTBOX", "true")
    env["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{moto_port}"
    env["PORT"] = port
    return env


def seed(env: dict[str, str]) -> None:
    code = ("from chalicelib.bootstrap import bootstrap, seed_demo; bootstrap(); "
            f"seed_demo({DEMO_EMAIL!r}, {DEMO_PASSWORD!r})")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)


def main() -> None:
    port, moto_port = os.environ.get("PORT", "8000"), os.environ.get("MOTO_PORT", "5005")
    env = stack_environment(port, moto_port)
    children: list[subprocess.Popen[bytes]] = []

    def stop(signum: int = signal.SIGTERM, frame: FrameType | None = None) -> None:
        for child in reversed(children):
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
        raise SystemExit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        # One request at a time, so conditional writes and transactions are atomic as on DynamoDB.
        moto = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "moto_serial.py"),
                                 "-H", "127.0.0.1", "-p", moto_port],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        children.append(moto)
        wait_for(f"http://127.0.0.1:{moto_port}/moto-api/", 30, moto)
        seed(env)
        reload = [] if os.environ.get("RELOAD") == "1" else ["--no-autoreload"]
        chalice = subprocess.Popen([str(BIN / "chalice"), "local", "--host", "127.0.0.1",
                                    "--port", port, "--stage", "dev", *reload],
                                   cwd=ROOT, env=env, start_new_session=True)
        children.append(chalice)
        wait_for(f"http://127.0.0.1:{port}/health", 60, chalice)
        print(f"TaskForge Auth is running at http://127.0.0.1:{port}/login", flush=True)
        print(f"Demo sign-in: {DEMO_EMAIL} / {DEMO_PASSWORD}", flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        print("devstack: a component stopped; shutting down", file=sys.stderr)
    finally:
        try:
            stop()
        except SystemExit:
            pass


if __name__ == "__main__":
    main()
