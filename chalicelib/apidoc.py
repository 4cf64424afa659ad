"""The OpenAPI document served at GET /openapi.json.

`openapi.yaml` at the repository root is the source; `make openapi` writes the
JSON copy next to this module (it ships in the Lambda zip, which holds only
app.py and chalicelib/), and a test keeps the two in sync. Read on first use,
so no cold start pays for it and no YAML parser ships to Lambda.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

JSON_COPY = Path(__file__).resolve().parent / "openapi.json"


@lru_cache(maxsize=1)
def _text() -> str:
    return JSON_COPY.read_text(encoding="utf-8")


def document(base_url: str) -> dict[str, Any]:
    """The document, its server pointed at this deployment's public base URL (the issuer)."""
    doc: dict[str, Any] = json.loads(_text())
    doc["servers"] = [{"url": base_url, "description": "This deployment."}]
    return doc
