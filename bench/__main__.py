"""`make bench`: run every benchmark, print the table, and (with --readme) rewrite the README's.

    .venv/bin/python -m bench [--readme README.md] [--only coldstart,authorizer]

Each module runs in its own process (fresh imports, caches and environment), cold start first
while nothing else of ours is loaded. The README table lies between `<!-- bench:start -->`
and `<!-- bench:end -->`; nothing else in the README is touched.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from bench.common import ROOT, Row

MODULES = ("coldstart", "authorizer", "ratelimit", "oauth", "token_endpoint", "client_auth", "signin",
           "signin_timing", "twofactor_bench", "localstack", "secret_scanning", "password_reset",
           "package")
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
HEADER = "| benchmark | result | target |\n|---|---|---|"


def run(module: str) -> list[Row]:
    print(f"bench: {module} ...", file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, "-m", f"bench.{module}", "--json"], cwd=ROOT,
                          stdout=subprocess.PIPE, text=True)  # stderr passes through: progress, errors
    if done.returncode:
        raise SystemExit(f"bench: {module} failed (exit {done.returncode})")
    return [Row(**row) for row in json.loads(done.stdout.strip().splitlines()[-1])]


def table(rows: list[Row]) -> str:
    return "\n".join([HEADER, *(row.markdown() for row in rows)])


def rewrite(readme: Path, text: str) -> None:
    content = readme.read_text(encoding="utf-8")
    start, end = content.index(START) + len(START), content.index(END)
    readme.write_text(content[:start] + "\n" + text + "\n" + content[end:], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--readme", type=Path, help="rewrite the table between the bench markers")
    parser.add_argument("--only", help="comma-separated modules (default: all)")
    args = parser.parse_args()
    modules = args.only.split(",") if args.only else MODULES
    rows = [row for module in modules for row in run(module)]
    text = table(rows)
    print(text)
    if args.readme:
        rewrite(args.readme, text)
        print(f"bench: wrote {args.readme}", file=sys.stderr)


if __name__ == "__main__":
    main()
