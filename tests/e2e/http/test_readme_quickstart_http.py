"""The README's quickstart, run exactly as written (bar `make run`, which the stack fixture
is, and the port it chose) against the local stack: it must end in a 200 from /v1/me."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import requests

from tests.e2e.conftest import ROOT, Stack

README = ROOT / "README.md"
DEFAULT_BASE = "http://127.0.0.1:8000"


def quickstart_lines() -> list[str]:
    text = README.read_text()
    block = re.search(r"<!-- quickstart:start -->\s*```sh\n(.*?)```\s*<!-- quickstart:end -->", text, re.S)
    assert block, "README.md has a ```sh block between the quickstart markers"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quickstart_is_short_and_starts_with_make_run() -> None:
    lines = quickstart_lines()
    assert len(lines) <= 10
    assert lines[0].startswith("make run")
    assert lines[-1].startswith("curl ") and "/v1/me" in lines[-1] and "Authorization: Bearer" in lines[-1]
    assert README.read_text().index("<!-- quickstart:start -->") < README.read_text().index("## API keys")


def test_quickstart_commands_reach_v1_me(stack: Stack, tmp_path: Path) -> None:
    if shutil.which("curl") is None:
        pytest.fail("curl is needed: the quickstart is curl commands")
    lines = quickstart_lines()[1:]  # the stack fixture is `make run`
    script = "set -euo pipefail\n" + "\n".join(lines).replace(DEFAULT_BASE, stack.url) + "\n"
    assert stack.url in script, "the quickstart sets BASE to the default local URL"
    run = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    me = json.loads(run.stdout)
    created = json.loads((tmp_path / "key.json").read_text())
    assert me["principal_type"] == "api_key" and me["credential_id"] == created["id"]
    assert me["scopes"] == ["write"]
    # The same key, once more, as any HTTP client: 200.
    answer = requests.get(f"{stack.url}/v1/me", timeout=10,
                          headers={"Authorization": f"Bearer {created['key']}"})
    assert answer.status_code == 200 and answer.json() == me
