"""`make openapi`: write chalicelib/openapi.json (served at GET /openapi.json) from openapi.yaml.

    python scripts/openapi_json.py [--check]

--check exits 1 when the JSON copy is out of date. PyYAML is a dev dependency only:
Lambda ships the JSON copy, never the YAML or a YAML parser.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "openapi.yaml"
TARGET = ROOT / "chalicelib" / "openapi.json"


def load_source() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    return document


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the copy is current")
    args = parser.parse_args()
    text = render(load_source())
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
    if args.check:
        if current != text:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run `make openapi`", file=sys.stderr)
            return 1
        return 0
    if current != text:
        TARGET.write_text(text, encoding="utf-8")
        print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
