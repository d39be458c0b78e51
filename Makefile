# Capacity: two commands. `make run` serves the demo; `make test` runs the suite.
# Needs only python3 and make. Everything else goes into .venv and var/.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The default run leaves out the slow and browser tests (about 5 minutes on 2 cores);
# `make test-all` (or PYTEST_ARGS=) runs everything, as CI (.ci/run) does. The tests
# run on every core (pytest-xdist); PYTEST_WORKERS=0 runs them in this one process.
PYTEST_ARGS ?= -m "not slow and not browser"
PYTEST_WORKERS ?= auto

.PHONY: run test test-all setup setup-dev lint typecheck messages lock clean ci browser-assets

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The stamp files make a second `make run` skip installation.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@

setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev

## make run: set up, migrate, load the demo province if the database is empty, serve on http://127.0.0.1:8000
run: setup
	$(BIN)/capacity serve --host $(HOST) --port $(PORT)

# axe-core for the accessibility checks in the browser tests (npm, when present).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund; \
	else echo "npm not found: browser accessibility checks will be skipped"; fi

browser-assets: node_modules/axe-core/axe.min.js

## make test: set up and run the suite without the slow and browser tests (PostgreSQL tests run when available)
test: setup-dev
	-@$(MAKE) --no-print-directory browser-assets
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

## make test-all: the whole suite, slow and browser tests included
test-all:
	@$(MAKE) --no-print-directory test PYTEST_ARGS=

lint: setup-dev
	$(BIN)/ruff check capacity tests $(wildcard benchmarks)
	$(BIN)/ruff format --check capacity tests $(wildcard benchmarks)
	$(BIN)/lint-imports

typecheck: setup-dev
	$(BIN)/mypy capacity

## make messages: refresh the French catalogue after changing strings (needs gettext)
messages: setup-dev
	cd capacity && ../$(BIN)/python ../manage.py makemessages -l fr --no-obsolete --add-location file
	$(BIN)/python -m capacity.i18n_compile

lock:
	rm -rf /tmp/capacity-lock && $(PYTHON) -m venv /tmp/capacity-lock
	/tmp/capacity-lock/bin/pip install --quiet -e .
	/tmp/capacity-lock/bin/pip freeze --exclude-editable > requirements.lock
	/tmp/capacity-lock/bin/pip install --quiet -e ".[dev]"
	/tmp/capacity-lock/bin/pip freeze --exclude-editable > requirements-dev.lock

clean:
	rm -rf $(VENV) var node_modules
