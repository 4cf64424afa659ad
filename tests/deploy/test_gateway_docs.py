"""docs/GATEWAY.md's SAM snippets: cfn-lint accepts them, and their handlers read what the
gateway authorizer really puts in the context."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from chalicelib import gateway_events
from chalicelib.principal import Principal

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = sorted((ROOT / "docs" / "gateway").glob("*.yaml"))
CFN_LINT = Path(sys.executable).with_name("cfn-lint")
ARN = "arn:aws:execute-api:us-east-1:123456789012:abcdef123/prod/GET/orders"


class CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short tags (!Ref, !Sub...) read as plain values."""


CfnLoader.add_multi_constructor("!", lambda loader, suffix, node: loader.construct_scalar(node)
                                if isinstance(node, yaml.ScalarNode) else None)


def lint(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CFN_LINT), *map(str, paths)], capture_output=True, text=True, timeout=120)


def test_snippets_exist_and_pass_cfn_lint() -> None:
    assert {p.name for p in SNIPPETS} == {"rest-token.yaml", "rest-request.yaml", "http-api.yaml"}
    result = lint(*SNIPPETS)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def test_cfn_lint_would_catch_a_broken_snippet(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(SNIPPETS[0].read_text().replace("      DefaultAuthorizer: TaskForge",
                                                      "      DefaultAuthoriser: TaskForge"))
    assert lint(broken).returncode != 0


def allow_answer(kind: str, principal: Principal) -> dict[str, Any]:
    event = gateway_events.AuthorizerEvent(kind, "Bearer x", ARN)
    return gateway_events.allow(event, principal)


@pytest.mark.parametrize("path", SNIPPETS, ids=lambda p: p.name)
def test_each_handler_reads_the_context_the_authorizer_gives(path: Path) -> None:
    template = yaml.load(path.read_text(), Loader=CfnLoader)  # noqa: S506 - SafeLoader subclass
    code = template["Resources"]["OrdersFunction"]["Properties"]["InlineCode"]
    http_api = template["Resources"]["OrdersApi"]["Type"] == "AWS::Serverless::HttpApi"
    principal = Principal("user", "ws_docs", ("write",), "grt_docs", user_id="usr_docs", client_id="cli_docs")
    answer = allow_answer(gateway_events.HTTP_V2 if http_api else gateway_events.TOKEN, principal)
    if http_api:
        assert answer["isAuthorized"] is True
        request_context = {"authorizer": {"lambda": answer["context"]}}
    else:
        assert answer["policyDocument"]["Statement"][0]["Effect"] == "Allow"
        request_context = {"authorizer": {**answer["context"], "principalId": answer["principalId"]}}
    namespace: dict[str, Any] = {}
    exec(compile(code, str(path), "exec"), namespace)  # noqa: S102 - our own documented snippet
    result = namespace["handler"]({"requestContext": request_context}, None)
    assert result["statusCode"] == 200
    assert '"workspace_id": "ws_docs"' in result["body"]


def test_documented_context_keys_are_the_authorizers() -> None:
    doc = (ROOT / "docs" / "GATEWAY.md").read_text()
    full = Principal("user", "ws", ("read",), "grt", user_id="usr", client_id="cli", rate_limit_per_minute=5)
    for key in full.context():
        assert f"| `{key}` |" in doc, key
