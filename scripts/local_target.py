"""`--local` for operator scripts: point boto at the `make run` stack's moto server."""

from __future__ import annotations

import os


def use_local_stack() -> None:
    """AWS_ENDPOINT_URL at 127.0.0.1:$MOTO_PORT (default 5005), with moto's dummy credentials."""
    os.environ["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{os.environ.get('MOTO_PORT') or '5005'}"
    for name, value in (("AWS_ACCESS_KEY_ID", "local"), ("AWS_SECRET_ACCESS_KEY", "local"),
                        ("AWS_DEFAULT_REGION", "us-east-1")):
        os.environ.setdefault(name, value)
