"""The real local stack (`scripts/devstack.py`: moto server + chalice local) on free ports."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stack:
    url: str
    moto_url: str
    demo_email: str
    demo_password: str


def _drain(stream: IO[str]) -> None:
    for _ in stream:
        pass


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    with launch() as started:
        yield started


@contextmanager
def launch(extra_env: dict[str, str] | None = None) -> Iterator[Stack]:
    """A stack of its own; `extra_env` (e.g. TASKFORGE_* settings) is passed to the service."""
    port, moto_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TASKFORGE_", "AWS_"))}
    env.update({"PORT": str(port), "MOTO_PORT": str(moto_port), **(extra_env or {})})
    proc = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "devstack.py")], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    demo = ("", "")
    deadline = time.monotonic() + 90
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            pytest.fail("the local stack exited before it was ready")
        if line.startswith("Demo sign-in:"):
            email, _, password = line.split(":", 1)[1].strip().partition(" / ")
            demo = (email, password)
            break
    else:
        proc.kill()
        pytest.fail("the local stack did not become ready in 90 s")
    # Keep reading the stack's output (one JSON log line per request): once the pipe's 64 KiB
    # fill up, chalice local blocks writing its log, with the logging lock held, and stops answering.
    threading.Thread(target=_drain, args=(proc.stdout,), daemon=True).start()
    try:
        yield Stack(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{moto_port}", *demo)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def http(stack: Stack) -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = "taskforge-e2e"
    return session


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: object, stack: Stack) -> Iterator[object]:
    """A fresh browser context (no cookies) per test, phone-width optional via `page.set_viewport_size`."""
    context = chromium.new_context(base_url=stack.url)  # type: ignore[attr-defined]
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(page: object, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path
