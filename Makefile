# Two commands for a newcomer: `make run` (the local stack) and `make test` (everything).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MOTO_PORT ?= 5005
export PORT MOTO_PORT

.PHONY: run test lint types unit install clean browser-deps rotate-signing-key

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
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

unit: install browser-deps
	$(BIN)/python -m pytest

test: lint types unit

# New ES256 signing key (previous one kept for verification). LOCAL=1: the `make run` stack.
rotate-signing-key: install
	$(BIN)/python scripts/rotate_signing_key.py $(if $(LOCAL),--local,)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache dist test-artifacts
