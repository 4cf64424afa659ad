"""The Lambda deployment package: `make package` into a scratch directory, then its size.

    .venv/bin/python -m bench.package
"""

from __future__ import annotations

import subprocess
import tempfile
import zipfile
from pathlib import Path

from bench.common import ROOT, Row, main

BUDGET_MB = 10


def rows() -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="bench-package-") as scratch:
        dist = Path(scratch) / "dist"
        made = subprocess.run(["make", "--no-print-directory", "package", "STAGE=dev", f"DIST={dist}"],
                              cwd=ROOT, capture_output=True, text=True)
        if made.returncode:
            raise SystemExit(f"bench.package: make package failed:\n{made.stdout}{made.stderr}")
        archive = dist / "deployment.zip"
        size_mb = archive.stat().st_size / 1_048_576  # MB as scripts/check_package.py counts them
        with zipfile.ZipFile(archive) as opened:
            tops = {name.split("/", 1)[0] for name in opened.namelist()}
    absent = "no boto3/botocore" if not tops & {"boto3", "botocore"} else "ships boto3/botocore!"
    return [Row("`deployment.zip` (`make package`; `bench.package`)", f"{size_mb:.1f} MB, {absent}",
                f"< {BUDGET_MB} MB")]


if __name__ == "__main__":
    main(rows)
