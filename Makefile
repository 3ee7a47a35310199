# The README's commands. Each target makes (or reuses) the virtual environment it needs.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
# make run PORT=8001 HOST=0.0.0.0
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench services chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Not --quiet: the first install takes a minute or more, and silence reads as a hang.
$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	@echo "Installing Skywatch and its dependencies into $(VENV) (first run only, a minute or two)"
	$(BIN)/python -m pip install --disable-pip-version-check -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@ $(VENV)/.runtime

## run: install and serve on http://$(HOST):$(PORT) (SQLite in ~/.local/share/skywatch),
## with the night of 3-4 July 2025 loaded when the store is empty
run: $(VENV)/.runtime
	$(BIN)/skywatch serve --demo --host $(HOST) --port $(PORT)

## test: install, start the databases the tests use, lint, type-check, run every test
test: $(VENV)/.dev services chromium lint
	$(BIN)/python -m pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

services:
	bash .ci/services

chromium:
	bash .ci/chromium

## bench: every benchmark (about 25 minutes, 10 of them the stream soak); each writes its
## section of docs/performance.md
bench: $(VENV)/.dev services chromium
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench.ingest
	$(BIN)/python -m bench.ingest_postgres
	$(BIN)/python -m bench.fanout
	$(BIN)/python -m bench.soak
	$(BIN)/python -m bench.dashboard
	$(BIN)/python -m bench.replay
	$(BIN)/python -m bench.replay_screens
	$(BIN)/python -m bench.history
	$(BIN)/python -m bench.history_pages

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
