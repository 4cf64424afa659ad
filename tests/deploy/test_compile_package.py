"""The Lambda zip ships bytecode that stays valid after unzip (scripts/compile_package.py)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from scripts.check_package import check_bytecode, pyc_name
from scripts.compile_package import compile_zip


def test_stale_bytecode_is_replaced_and_the_fresh_one_is_used_unchecked(tmp_path: Path) -> None:
    archive = tmp_path / "deployment.zip"
    with zipfile.ZipFile(archive, "w") as made:
        made.writestr("app.py", "VALUE = 'shipped'\n")
        made.writestr("lib/mod.py", "def f() -> int:\n    return 1\n")
        made.writestr("lib/__pycache__/mod.cpython-39.pyc", b"stale")  # a developer's leftover
        made.writestr("lib/__pycache__/gone.cpython-311.pyc", b"stale")  # source since deleted
    with zipfile.ZipFile(archive) as opened:
        assert check_bytecode(opened)  # sources without bytecode, and stale .pyc files
    assert compile_zip(archive) == 2
    with zipfile.ZipFile(archive) as opened:
        assert check_bytecode(opened) == []
        assert sorted(opened.namelist()) == sorted(["app.py", "lib/mod.py", pyc_name("app.py"),
                                                    pyc_name("lib/mod.py")])
        opened.extractall(tmp_path / "task")
    # Lambda's unzip gives every file a new time; an unchecked-hash .pyc is used regardless.
    # Changing the source proves Python loads the shipped bytecode without re-checking it.
    (tmp_path / "task" / "app.py").write_text("VALUE = 'edited after packaging'\n")
    out = subprocess.run([sys.executable, "-B", "-c", "import app; print(app.VALUE)"],
                         cwd=tmp_path / "task", capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "shipped"
