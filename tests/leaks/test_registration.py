"""What docs/SECRET-SCANNING.md tells GitHub to look for matches every token we issue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chalicelib import tokens

DOC = (Path(__file__).resolve().parents[2] / "docs" / "SECRET-SCANNING.md").read_text()


@pytest.mark.parametrize("type_name, prefix", [("taskforge_api_key", "tfk_"),
                                                ("taskforge_refresh_token", "tfr_")])
def test_the_registered_expression_finds_every_token_in_text(type_name: str, prefix: str) -> None:
    row = next(line for line in DOC.splitlines() if line.startswith(f"| `{type_name}` |"))
    expression = re.compile(row.split("|")[2].strip().strip("`"))
    for _ in range(5000):
        token = tokens.new_token(prefix)
        assert expression.findall(f'config = {{"key": "{token}"}}\n') == [token]
    assert expression.findall(f"x{tokens.new_token(prefix)}") == []  # glued to other text: not ours


def test_the_documented_checksum_rule_is_ours() -> None:
    snippet = DOC.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, object] = {}
    exec(snippet, namespace)  # noqa: S102 - the documentation's own code, run as written
    checksum_ok = namespace["checksum_ok"]
    token = tokens.new_token("tfk_")
    assert checksum_ok(token) is True  # type: ignore[operator]
    assert checksum_ok(token[:-1] + ("0" if token[-1] != "0" else "1")) is False  # type: ignore[operator]
