# Two commands a newcomer needs: `make run` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest test-deps bench clean

# Rebuilt whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Migrates the default database, then starts the web app on 127.0.0.1:8000. The first start
# creates your account and prints how to sign in; your first visit asks your name, time zone and
# holidays, and an empty Today offers the demo search (its own workspace, removable in one click).
# `make run SERVE="--port 9000"` passes options.
SERVE ?=
run: $(STAMP)
	$(BIN)/topofmind migrate
	$(BIN)/topofmind serve $(SERVE)

test: lint typecheck pytest

# ruff (with the engine's banned imports in src/topofmind/engine/ruff.toml), then the
# import-linter contracts in pyproject.toml: the layers of docs/architecture.md.
lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

# Browser tests drive Debian's chromium (no browser download); the mail tests run Debian's
# dovecot as a real IMAP server on loopback.
test-deps:
	@command -v chromium >/dev/null && test -x /usr/sbin/dovecot || \
		(apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium dovecot-imapd)

pytest: $(STAMP) test-deps
	$(BIN)/python -m pytest

bench: $(STAMP)
	@if [ -f bench/__main__.py ]; then $(BIN)/python -m bench; else echo "no benchmarks yet (bench/__main__.py)"; fi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
