"""Build the CloudFormation that `make package` merges into `chalice package`.

Chalice generates the functions, their roles (policies from `.chalice/policy-<stage>.json`)
and the REST API. This adds everything else, from single sources:
- the table from `infra/table.json` (what `bootstrap()` creates locally), plus point-in-time
  recovery, KMS encryption and retention;
- the two key secrets (created empty; `bootstrap()` fills them after the first deploy) and
  the KMS key that encrypts them, usable only through Secrets Manager;
- the API Gateway responses from `infra/gateway_responses.json` (what
  `chalicelib/localgateway.py` replays locally), inside the API definition;
- for every function chalice packages: a fixed name, a log group with retention, and the
  environment pointing at the table and secrets;
- the authorizer result cache TTL (default 0: a revocation is seen on the next request);
- where GitHub's secret scanning keys come from (parameter SecretScanningKeys).

    python scripts/build_template.py --stage prod --authorizer-cache-ttl 0 --out dist/merge.json
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "infra" / "table.json"
GATEWAY_RESPONSES = ROOT / "infra" / "gateway_responses.json"
# CreateTable parameters that are also AWS::DynamoDB::Table properties, unchanged.
TABLE_PROPERTIES = ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes",
                    "LocalSecondaryIndexes", "BillingMode", "TimeToLiveSpecification")
LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
                      2192, 2557, 2922, 3288, 3653]
MAX_CACHE_TTL = 3600  # API Gateway's upper bound for authorizerResultTtlInSeconds
RETAIN = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}
GITHUB_SECRET_SCANNING_KEYS = "https://api.github.com/meta/public_keys/secret_scanning"


@dataclass(frozen=True)
class AppShape:
    """What chalice will package for a stage: function logical ids, authorizers, environment."""
    functions: list[str]
    authorizers: list[str]
    environment: dict[str, str]


def app_shape(stage: str) -> AppShape:
    """Ask chalice (offline) which functions and authorizers it generates for `stage`."""
    from chalice.app import ChaliceAuthorizer
    from chalice.cli.factory import CLIFactory
    from chalice.deploy import models
    from chalice.deploy.appgraph import ApplicationGraphBuilder, DependencyBuilder
    from chalice.utils import to_cfn_resource_name

    config = CLIFactory(str(ROOT)).create_config_obj(chalice_stage_name=stage)
    graph = ApplicationGraphBuilder().build(config, stage)
    resources = DependencyBuilder().build_dependencies(graph)
    # The SAM generator renames the REST API's handler to "APIHandler".
    handlers = {id(r.lambda_function) for r in resources if isinstance(r, models.RestAPI)}
    functions = ["APIHandler" if id(r) in handlers else to_cfn_resource_name(r.resource_name)
                 for r in resources if isinstance(r, models.LambdaFunction)]
    # Only authorizers some route uses appear in the API definition.
    authorizers: set[str] = set()
    for methods in config.chalice_app.routes.values():
        for entry in methods.values():
            if isinstance(entry.authorizer, ChaliceAuthorizer):
                authorizers.add(entry.authorizer.name)
    return AppShape(sorted(functions), sorted(authorizers), dict(config.environment_variables))


def build(shape: AppShape, cache_ttl: int) -> dict[str, Any]:
    """The merge template for one stage."""
    if not 0 <= cache_ttl <= MAX_CACHE_TTL:
        raise ValueError(f"the authorizer cache TTL must be 0 to {MAX_CACHE_TTL} seconds")
    resources: dict[str, Any] = {
        "AuthTable": table(json.loads(TABLE.read_text())),
        "SecretsKey": secrets_key(),
        "SecretsKeyAlias": {"Type": "AWS::KMS::Alias", "Properties": {
            "AliasName": {"Fn::Sub": "alias/${AWS::StackName}-secrets"},
            "TargetKeyId": {"Ref": "SecretsKey"}}},
        "SigningKeySecret": secret("signing-keys", "JWT signing keys (ES256) of the OAuth server"),
        "TotpKeySecret": secret("totp-key", "Key that encrypts users' TOTP secrets in the table"),
        "RestAPI": {"Properties": {"DefinitionBody": api_definition(
            json.loads(GATEWAY_RESPONSES.read_text()), shape.authorizers, cache_ttl)}},
    }
    outputs = dict(OUTPUTS)
    for function in shape.functions:
        resources[function] = function_settings(function)
        resources[f"{function}LogGroup"] = log_group(function)
        # Other API Gateways attach the standalone authorizer by this ARN.
        outputs[f"{function}Arn"] = {"Value": {"Fn::GetAtt": [function, "Arn"]}}
    return {"Parameters": parameters(shape.environment), "Conditions": CONDITIONS,
            "Resources": resources, "Outputs": outputs}


def parameters(environment: dict[str, str]) -> dict[str, Any]:
    return {
        "Issuer": {
            "Type": "String", "AllowedPattern": r"^https://[^\s?#]+[^\s?#/]$",
            "ConstraintDescription": "the public https base URL, no query, fragment or trailing slash",
            "Description": "OAuth issuer and public base URL of the service (TASKFORGE_ISSUER)"},
        "AllowSignup": {
            "Type": "String", "AllowedValues": ["true", "false"],
            "Default": environment.get("TASKFORGE_ALLOW_SIGNUP", "false"),
            "Description": "Whether POST /signup is open (TASKFORGE_ALLOW_SIGNUP)"},
        "LogRetentionDays": {
            "Type": "Number", "AllowedValues": [str(d) for d in LOG_RETENTION_DAYS], "Default": "90",
            "Description": "How long CloudWatch keeps each function's logs"},
        "SecretScanningKeys": {
            "Type": "String", "Default": GITHUB_SECRET_SCANNING_KEYS, "MaxLength": 4096,
            "AllowedPattern": r"^(|https://\S+|\{[\s\S]*\})$",
            "ConstraintDescription": "empty, an https URL, or a JSON keys document",
            "Description": "GitHub's secret scanning public keys: where they are published (the "
                           "default), or the JSON document inline; empty turns POST "
                           "/secret-scanning/github off (TASKFORGE_SECRET_SCANNING_KEYS, "
                           "docs/SECRET-SCANNING.md)"},
        "MailFrom": {
            "Type": "String", "AllowedPattern": r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$",
            "ConstraintDescription": "one email address, verified in SES (the address or its domain)",
            "Description": "Sender of every email (TASKFORGE_MAIL_FROM); the functions may send as "
                           "this identity only"},
        "RestoredTableName": {
            "Type": "String", "Default": "", "AllowedPattern": r"^[A-Za-z0-9_.\-]{0,255}$",
            "Description": "Empty, or the name of a table restored from point-in-time recovery "
                           "that the functions should use instead (see the runbook)"},
    }


CONDITIONS = {"UseRestoredTable": {"Fn::Not": [{"Fn::Equals": [{"Ref": "RestoredTableName"}, ""]}]}}
TABLE_IN_USE = {"Fn::If": ["UseRestoredTable", {"Ref": "RestoredTableName"}, {"Ref": "AuthTable"}]}
OUTPUTS = {
    "TableName": {"Description": "TASKFORGE_TABLE of the functions", "Value": TABLE_IN_USE},
    "SigningKeySecretArn": {"Description": "TASKFORGE_SIGNING_KEY_SECRET",
                            "Value": {"Ref": "SigningKeySecret"}},
    "TotpKeySecretArn": {"Description": "TASKFORGE_TOTP_KEY_SECRET", "Value": {"Ref": "TotpKeySecret"}},
    "SecretsKeyArn": {"Description": "KMS key encrypting both secrets",
                      "Value": {"Fn::GetAtt": ["SecretsKey", "Arn"]}},
}


def table(definition: dict[str, Any]) -> dict[str, Any]:
    """AWS::DynamoDB::Table from the CreateTable parameters in infra/table.json."""
    unknown = set(definition) - set(TABLE_PROPERTIES) - {"TableName"}
    if unknown:
        raise ValueError(f"infra/table.json: teach build_template.py to map {sorted(unknown)}")
    properties = {name: definition[name] for name in TABLE_PROPERTIES if name in definition}
    properties.update({
        # A fixed name: CloudFormation then refuses to replace (and so empty) the table.
        "TableName": {"Ref": "AWS::StackName"},
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        # The AWS managed key (aws/dynamodb): encrypted with KMS, and callers need no key grants.
        "SSESpecification": {"SSEEnabled": True, "SSEType": "KMS"},
        "DeletionProtectionEnabled": True,
    })
    return {"Type": "AWS::DynamoDB::Table", **RETAIN, "Properties": properties}


def secrets_key() -> dict[str, Any]:
    via_secrets_manager = {"Fn::Sub": "secretsmanager.${AWS::Region}.amazonaws.com"}
    policy = {"Version": "2012-10-17", "Statement": [
        {"Sid": "AccountAdministersKeyThroughIam", "Effect": "Allow",
         "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
         "Action": "kms:*", "Resource": "*"},
        # Nobody, however privileged in IAM, decrypts with this key except through Secrets Manager.
        {"Sid": "CryptoOnlyThroughSecretsManager", "Effect": "Deny", "Principal": "*",
         "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
         "Resource": "*", "Condition": {"StringNotEquals": {"kms:ViaService": via_secrets_manager}}},
    ]}
    return {"Type": "AWS::KMS::Key", **RETAIN, "Properties": {
        "Description": {"Fn::Sub": "${AWS::StackName}: encrypts the signing-key and TOTP-key secrets"},
        "EnableKeyRotation": True, "PendingWindowInDays": 30, "KeyPolicy": policy}}


def secret(suffix: str, description: str) -> dict[str, Any]:
    # No SecretString: the secret starts without a value (GetSecretValue answers "not found"),
    # so bootstrap() generates the real keys in the format the code expects.
    return {"Type": "AWS::SecretsManager::Secret", **RETAIN, "Properties": {
        "Name": {"Fn::Sub": "${AWS::StackName}/" + suffix}, "Description": description,
        "KmsKeyId": {"Fn::GetAtt": ["SecretsKey", "Arn"]}}}


def function_settings(function: str) -> dict[str, Any]:
    # The fixed name makes the log group name known before the function exists, and gives
    # the role's log permission one prefix: /aws/lambda/<stack>-*.
    return {"DependsOn": [f"{function}LogGroup"], "Properties": {
        "FunctionName": {"Fn::Sub": "${AWS::StackName}-" + function},
        "Environment": {"Variables": {
            "TASKFORGE_TABLE": TABLE_IN_USE,
            "TASKFORGE_SIGNING_KEY_SECRET": {"Ref": "SigningKeySecret"},
            "TASKFORGE_TOTP_KEY_SECRET": {"Ref": "TotpKeySecret"},
            "TASKFORGE_ISSUER": {"Ref": "Issuer"},
            "TASKFORGE_ALLOW_SIGNUP": {"Ref": "AllowSignup"},
            "TASKFORGE_SECRET_SCANNING_KEYS": {"Ref": "SecretScanningKeys"},
            "TASKFORGE_MAIL_FROM": {"Ref": "MailFrom"},
        }}}}


def log_group(function: str) -> dict[str, Any]:
    return {"Type": "AWS::Logs::LogGroup", "Properties": {
        "LogGroupName": {"Fn::Sub": "/aws/lambda/${AWS::StackName}-" + function},
        "RetentionInDays": {"Ref": "LogRetentionDays"}}}


def api_definition(responses: dict[str, Any], authorizers: list[str], cache_ttl: int) -> dict[str, Any]:
    """Additions to the REST API's OpenAPI body.

    Gateway responses live in the body (x-amazon-apigateway-gateway-responses), not as
    AWS::ApiGateway::GatewayResponse resources: with an inline body, every API update
    overwrites the API and drops separately created responses (SAM issues #390, #623).
    """
    body: dict[str, Any] = {"x-amazon-apigateway-gateway-responses": {
        kind: {**({"statusCode": spec["StatusCode"]} if "StatusCode" in spec else {}),
               "responseParameters": spec["ResponseParameters"],
               "responseTemplates": spec["ResponseTemplates"]}
        for kind, spec in responses.items() if not kind.startswith("_")}}
    if authorizers:
        body["securityDefinitions"] = {name: {"x-amazon-apigateway-authorizer": {
            "authorizerResultTtlInSeconds": cache_ttl}} for name in authorizers}
    return body


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", default="dev")
    parser.add_argument("--authorizer-cache-ttl", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    template = build(app_shape(args.stage), args.authorizer_cache_ttl)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(template, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
