# Two commands for a newcomer: `make run` (the local stack) and `make test` (everything).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MOTO_PORT ?= 5005
export PORT MOTO_PORT

# Packaging and deployment (see docs/OPERATIONS.md, "Deploying to AWS").
STAGE ?= dev
DIST ?= dist
STACK ?= taskforge-auth-$(STAGE)
AUTHORIZER_CACHE_TTL ?= 0
PACKAGE_STAGES ?= dev prod
# chalice package calls nothing on AWS; the region only picks the partition's service names.
PACKAGE_REGION ?= $(or $(AWS_REGION),$(AWS_DEFAULT_REGION),us-east-1)
DEPLOY_PARAMETERS = $(strip $(if $(ISSUER),Issuer=$(ISSUER)) $(if $(ALLOW_SIGNUP),AllowSignup=$(ALLOW_SIGNUP)) \
	$(if $(LOG_RETENTION_DAYS),LogRetentionDays=$(LOG_RETENTION_DAYS)) $(if $(MAIL_FROM),MailFrom=$(MAIL_FROM)) \
	$(if $(RESTORED_TABLE_NAME),RestoredTableName=$(RESTORED_TABLE_NAME)) \
	$(if $(SECRET_SCANNING_KEYS),SecretScanningKeys=$(SECRET_SCANNING_KEYS)))

.PHONY: run test lint types unit install clean browser-deps js-deps package package-check deploy \
	rotate-signing-key openapi bench reset-second-factor

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt clients/python/pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/python scripts/devstack.py

lint: install
	$(BIN)/ruff check .

types: install
	$(BIN)/mypy

# Browser tests drive Debian's chromium through Playwright (no browser download).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }

# The JavaScript interop test runs panva's oauth4webapi (pinned in tests/e2e/js/package-lock.json) with node.
js-deps:
	cd tests/e2e/js && npm ci --no-audit --no-fund --silent

unit: install browser-deps js-deps
	$(BIN)/python -m pytest -n auto --dist loadfile

test: lint types package-check unit

# The SAM/CloudFormation template (dist/sam.json) and dist/deployment.zip for $(STAGE), with
# unchecked-hash .pyc files (valid after unzip: no compiling on a cold start).
# Offline except for PyPI, where chalice fetches the Lambda (manylinux) wheels.
package: install
	rm -rf $(DIST)
	$(BIN)/python scripts/build_template.py --stage $(STAGE) \
		--authorizer-cache-ttl $(AUTHORIZER_CACHE_TTL) --out $(DIST)/merge-template.json
	AWS_DEFAULT_REGION=$(PACKAGE_REGION) $(BIN)/chalice package --stage $(STAGE) \
		--merge-template $(DIST)/merge-template.json $(DIST)
	$(BIN)/python scripts/compile_package.py $(DIST)/deployment.zip

# Package every stage, then cfn-lint (zero errors, zero warnings) and check the zip and template.
package-check: install
	@for stage in $(PACKAGE_STAGES); do \
		$(MAKE) --no-print-directory package STAGE=$$stage DIST=$(DIST)/check/$$stage >/dev/null && \
		$(BIN)/cfn-lint $(DIST)/check/$$stage/sam.json && \
		$(BIN)/python scripts/check_package.py --stage $$stage \
			--authorizer-cache-ttl $(AUTHORIZER_CACHE_TTL) $(DIST)/check/$$stage || exit 1; \
	done

# Needs an AWS account, the aws CLI and ARTIFACT_BUCKET; never run by the tests.
deploy: package
	@test -n "$(ARTIFACT_BUCKET)" || { echo "make deploy: set ARTIFACT_BUCKET=<S3 bucket for the code>"; exit 2; }
	@test $$(printf %s "$(STACK)" | wc -c) -le 40 || { echo "make deploy: STACK must be at most 40 characters"; exit 2; }
	aws cloudformation package --template-file $(DIST)/sam.json --s3-bucket $(ARTIFACT_BUCKET) \
		--s3-prefix $(STACK) --output-template-file $(DIST)/packaged.json --use-json
	aws cloudformation deploy --template-file $(DIST)/packaged.json --stack-name $(STACK) \
		--s3-bucket $(ARTIFACT_BUCKET) --s3-prefix $(STACK) \
		--capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --no-fail-on-empty-changeset \
		$(if $(DEPLOY_PARAMETERS),--parameter-overrides $(DEPLOY_PARAMETERS))
	$(BIN)/python scripts/stack_env.py --stack $(STACK) -- $(BIN)/python -m chalicelib.bootstrap

# New ES256 signing key (the previous one kept for verification); RETIRE=1 drops all but the
# current key instead; LOCAL=1 targets the `make run` stack. Details: scripts/rotate_signing_key.py --help
rotate-signing-key: install
	$(BIN)/python scripts/rotate_signing_key.py $(if $(LOCAL),--local,) $(if $(RETIRE),--retire-previous,)

# Lost 2FA device, after the identity proofing in docs/RUNBOOK.md; YES=1 acts, LOCAL=1 targets `make run`.
reset-second-factor: install
	@test -n "$(EMAIL)" -a -n "$(OPERATOR)" -a -n "$(TICKET)" || { echo "make reset-second-factor: set EMAIL, OPERATOR and TICKET"; exit 2; }
	$(BIN)/python scripts/reset_second_factor.py --email "$(EMAIL)" --operator "$(OPERATOR)" --ticket "$(TICKET)" \
		$(if $(YES),--yes,) $(if $(LOCAL),--local,)

# chalicelib/openapi.json (served at GET /openapi.json) from openapi.yaml; a test checks they agree.
openapi: install
	$(BIN)/python scripts/openapi_json.py

# Every benchmark under bench/; rewrites the README table between its bench markers.
bench: install
	$(BIN)/python -m bench --readme README.md

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache dist test-artifacts
