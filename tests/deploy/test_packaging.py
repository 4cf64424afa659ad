"""The CloudFormation merged into `chalice package` (scripts/build_template.py).

Offline and fast: the whole `make package` + cfn-lint run is `make package-check`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from chalicelib import localgateway
from scripts import build_template
from scripts.build_template import AppShape, build

ROOT = Path(__file__).resolve().parents[2]
TABLE = json.loads((ROOT / "infra" / "table.json").read_text())
RESPONSES = json.loads((ROOT / "infra" / "gateway_responses.json").read_text())
# What chalice generates once the authorizer branches land: the API handler, the
# @app.authorizer function and the standalone gateway authorizer.
SHAPE = AppShape(["APIHandler", "Bearer", "GatewayAuthorizer"], ["bearer"],
                 {"TASKFORGE_ALLOW_SIGNUP": "false"})


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return build(SHAPE, cache_ttl=0)


def test_table_is_infra_table_json_with_recovery_and_encryption(template: dict[str, Any]) -> None:
    table = template["Resources"]["AuthTable"]
    properties = table["Properties"]
    for name, value in TABLE.items():
        if name != "TableName":
            assert properties[name] == value, name
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["SSESpecification"] == {"SSEEnabled": True, "SSEType": "KMS"}
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"


def test_a_table_property_the_builder_cannot_map_is_refused() -> None:
    with pytest.raises(ValueError, match="StreamSpecification"):
        build_template.table({**TABLE, "StreamSpecification": {"StreamEnabled": True}})


def test_gateway_responses_are_the_ones_the_local_adapter_replays(template: dict[str, Any]) -> None:
    body = template["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    deployed = body["x-amazon-apigateway-gateway-responses"]
    kinds = {kind for kind in RESPONSES if not kind.startswith("_")}
    assert set(deployed) == kinds >= {"UNAUTHORIZED", "ACCESS_DENIED"}
    for kind in kinds:
        response = deployed[kind]
        status, headers, text = localgateway.gateway_response(kind)
        assert int(response.get("statusCode", 500)) == status
        assert {name.split(".")[-1]: value.strip("'")
                for name, value in response["responseParameters"].items()} == headers
        assert response["responseTemplates"]["application/json"].encode() == text
        if status == 401:
            assert 'Bearer realm="taskforge"' in headers["WWW-Authenticate"]
            assert json.loads(text)["error"] == "invalid_token"
        elif kind.startswith("AUTHORIZER_"):  # could not decide (store down): fail closed, retry later
            assert status == 503 and headers["Retry-After"] == "1"
            assert json.loads(text)["error"] == "temporarily_unavailable"


def test_authorizer_cache_is_off_by_default_and_configurable(template: dict[str, Any]) -> None:
    def ttl(t: dict[str, Any]) -> Any:
        definitions = t["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]["securityDefinitions"]
        return definitions["bearer"]["x-amazon-apigateway-authorizer"]["authorizerResultTtlInSeconds"]

    assert ttl(template) == 0
    assert ttl(build(SHAPE, cache_ttl=60)) == 60
    for wrong in (-1, 3601):
        with pytest.raises(ValueError, match="cache TTL"):
            build(SHAPE, cache_ttl=wrong)


def test_no_security_definition_without_an_authorizer_route() -> None:
    shape = AppShape(["APIHandler"], [], {})
    body = build(shape, 0)["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    assert "securityDefinitions" not in body


def test_every_function_gets_a_name_a_log_group_and_the_stack_environment(template: dict[str, Any]) -> None:
    resources = template["Resources"]
    for function in SHAPE.functions:
        settings = resources[function]
        assert settings["Properties"]["FunctionName"] == {"Fn::Sub": "${AWS::StackName}-" + function}
        group = resources[f"{function}LogGroup"]
        assert group["Type"] == "AWS::Logs::LogGroup"
        assert group["Properties"]["LogGroupName"] == {"Fn::Sub": "/aws/lambda/${AWS::StackName}-" + function}
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
        assert settings["DependsOn"] == [f"{function}LogGroup"]
        variables = settings["Properties"]["Environment"]["Variables"]
        assert variables["TASKFORGE_TABLE"]["Fn::If"][2] == {"Ref": "AuthTable"}
        assert variables["TASKFORGE_SIGNING_KEY_SECRET"] == {"Ref": "SigningKeySecret"}
        assert variables["TASKFORGE_TOTP_KEY_SECRET"] == {"Ref": "TotpKeySecret"}
        assert variables["TASKFORGE_ISSUER"] == {"Ref": "Issuer"}
    arn = {"Fn::GetAtt": ["GatewayAuthorizer", "Arn"]}
    assert template["Outputs"]["GatewayAuthorizerArn"] == {"Value": arn}


def test_secrets_start_empty_under_a_key_usable_only_through_secrets_manager(
        template: dict[str, Any]) -> None:
    resources = template["Resources"]
    for name, suffix in (("SigningKeySecret", "signing-keys"), ("TotpKeySecret", "totp-key")):
        properties = resources[name]["Properties"]
        assert "SecretString" not in properties and "GenerateSecretString" not in properties
        assert properties["KmsKeyId"] == {"Fn::GetAtt": ["SecretsKey", "Arn"]}
        assert properties["Name"] == {"Fn::Sub": "${AWS::StackName}/" + suffix}
        assert resources[name]["DeletionPolicy"] == "Retain"
    key = resources["SecretsKey"]
    assert key["Properties"]["EnableKeyRotation"] is True
    (deny,) = [s for s in key["Properties"]["KeyPolicy"]["Statement"] if s["Effect"] == "Deny"]
    assert "kms:Decrypt" in deny["Action"]
    assert deny["Condition"]["StringNotEquals"]["kms:ViaService"] == {
        "Fn::Sub": "secretsmanager.${AWS::Region}.amazonaws.com"}


def test_deployer_settings_are_parameters(template: dict[str, Any]) -> None:
    parameters = template["Parameters"]
    assert "Default" not in parameters["Issuer"]
    pattern = re.compile(parameters["Issuer"]["AllowedPattern"])
    assert pattern.match("https://auth.example.com")
    for wrong in ("http://auth.example.com", "https://auth.example.com/", "https://a.example.com/?x=1"):
        assert not pattern.match(wrong)
    assert parameters["AllowSignup"]["Default"] == "false"
    assert parameters["RestoredTableName"]["Default"] == ""


def test_the_real_app_and_stage_config_shape_the_template() -> None:
    dev, prod = build_template.app_shape("dev"), build_template.app_shape("prod")
    assert "APIHandler" in dev.functions
    assert build(dev, 0)["Parameters"]["AllowSignup"]["Default"] == "true"
    assert build(prod, 0)["Parameters"]["AllowSignup"]["Default"] == "false"


def references(node: Any) -> set[str]:
    """Resource, parameter and condition names an intrinsic-laden JSON value refers to."""
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= references(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref":
                found.add(value)
            elif key == "Fn::GetAtt":
                found.add(value[0])
            elif key == "Fn::Sub":
                text = value if isinstance(value, str) else value[0]
                found |= {name.split(".")[0] for name in re.findall(r"\$\{([^}]+)\}", text)}
            elif key == "Fn::If":
                found.add(value[0])
            found |= references(value)
    return {name for name in found if not name.startswith("AWS::")}


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_every_name_the_policy_refers_to_is_in_the_template(template: dict[str, Any], stage: str) -> None:
    policy = json.loads((ROOT / ".chalice" / f"policy-{stage}.json").read_text())
    defined = set(template["Resources"]) | set(template["Parameters"]) | set(template["Conditions"])
    referenced = references(policy)
    assert referenced <= defined
    assert {"AuthTable", "SigningKeySecret", "TotpKeySecret", "SecretsKey", "UseRestoredTable"} <= referenced


def test_main_writes_the_merge_template(tmp_path: Path) -> None:
    out = tmp_path / "dist" / "merge.json"
    assert build_template.main(["--stage", "prod", "--out", str(out)]) == 0
    written = json.loads(out.read_text())
    expected = {"AuthTable", "SigningKeySecret", "TotpKeySecret", "SecretsKey", "RestAPI"}
    assert expected <= set(written["Resources"])
