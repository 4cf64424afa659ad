"""The packaged template's SecretScanningKeys parameter reaches every function's environment."""

from __future__ import annotations

import re

import pytest

from chalicelib.settings import load
from scripts.build_template import GITHUB_SECRET_SCANNING_KEYS, AppShape, build
from tests.leaks.signer import Signer

SHAPE = AppShape(["APIHandler", "Bearer", "GatewayAuthorizer"], ["bearer"], {})


def test_every_function_takes_the_keys_from_the_parameter() -> None:
    template = build(SHAPE, cache_ttl=0)
    for function in SHAPE.functions:
        variables = template["Resources"][function]["Properties"]["Environment"]["Variables"]
        assert variables["TASKFORGE_SECRET_SCANNING_KEYS"] == {"Ref": "SecretScanningKeys"}


def test_the_default_is_githubs_published_keys() -> None:
    parameter = build(SHAPE, cache_ttl=0)["Parameters"]["SecretScanningKeys"]
    assert parameter["Default"] == GITHUB_SECRET_SCANNING_KEYS
    assert load({"TASKFORGE_SECRET_SCANNING_KEYS": parameter["Default"]}).secret_scanning_keys


@pytest.mark.parametrize("value, allowed", [
    ("", True), (GITHUB_SECRET_SCANNING_KEYS, True), (Signer.new().document(), True),
    ("http://keys.example.com/x", False), ("keys.json", False), ("https://", False),
])
def test_the_parameter_allows_what_the_service_accepts(value: str, allowed: bool) -> None:
    parameter = build(SHAPE, cache_ttl=0)["Parameters"]["SecretScanningKeys"]
    assert bool(re.fullmatch(parameter["AllowedPattern"], value)) is allowed
    assert len(Signer.new().document(Signer.new())) <= parameter["MaxLength"]  # two keys fit inline
