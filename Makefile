# Connective — the two commands a new machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint check bench e2e clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

## Set up (first time), migrate, load the demo on first run, serve with a worker.
run: $(STAMP)
	$(BIN)/connective serve --host $(HOST) --port $(PORT)

## Set up and run the whole suite: lint, types, migrations check, tests (browser tests included).
test: $(STAMP)
	$(BIN)/ruff check connective tests bench scripts
	$(BIN)/ruff format --check connective tests bench scripts
	$(BIN)/mypy connective
	$(BIN)/connective makemigrations --check --dry-run
	$(BIN)/pytest -n 2 -q

## Tests only, no lint.
test-fast: $(STAMP)
	$(BIN)/pytest -n 2 -q -m "not e2e"

lint: $(STAMP)
	$(BIN)/ruff check connective tests bench scripts
	$(BIN)/ruff format --check connective tests bench scripts
	$(BIN)/mypy connective

## Benchmarks (BENCH_SCALE=small for a quick run); print `name value` lines.
bench: $(STAMP)
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.feeds
	$(BIN)/python -m bench.portability
	$(BIN)/python -m bench.federation
	$(BIN)/python -m bench.discovery

clean:
	rm -rf $(VENV) var/test-*
