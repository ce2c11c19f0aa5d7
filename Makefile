# The two commands: `make demo` (set up, build the demo county, serve it) and `make test`. While working:
# `make test-fast` (no county build, no browser) and `make lint` (the checks CI runs before the tests).
PY ?= python3
# Tests run in parallel (pytest-xdist), three workers for two cores: a third of the suite's time is spent waiting on
# a browser, a JVM or a child process, which a third worker fills (decision 1584). `make test TEST_WORKERS=0` runs
# them in one process.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); echo $$(( n * 3 / 2 > 1 ? n * 3 / 2 : 1 )))
# More pytest arguments: `make test PYTEST_ARGS='tests/web -x'`.
PYTEST_ARGS ?=
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)

.PHONY: demo test test-fast lint test-pg setup system-deps bench clean bundle fuzz

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

system-deps:
	@scripts/system-deps.sh

demo: $(STAMP)
	$(BIN)/tuopin demo --reset

test: $(STAMP) system-deps
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# For local iteration: the suite less the whole demo county's build (`slow`) and the browser tests, in parallel.
test-fast: $(STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not slow and not browser" $(PYTEST_ARGS)

# What CI checks before the tests, each stopping make at its first finding: the layers (decision 1300), ruff's
# rules (1330), mypy over the core (1331), and no model change without its migration.
lint: $(STAMP)
	$(BIN)/lint-imports --no-logo
	$(BIN)/ruff check
	$(BIN)/mypy
	$(BIN)/tuopin makemigrations --check --dry-run

# The same suite against PostgreSQL (what .ci/run does after `make test`).
test-pg: $(STAMP) system-deps
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Offline install for a county intranet: every wheel tuopin needs, and an installer that uses no registry.
# `make bundle EXTRAS=spark` adds the Spark engine (PySpark, ~490 MB); install.sh installs what the bundle holds.
EXTRAS ?=
bundle: $(STAMP)
	rm -rf dist/wheelhouse && mkdir -p dist/wheelhouse
	$(BIN)/pip wheel -q -w dist/wheelhouse -c constraints.txt '.$(if $(EXTRAS),[$(EXTRAS)])'
	echo '$(EXTRAS)' > dist/wheelhouse/extras.txt
	cp constraints.txt dist/wheelhouse/constraints.txt
	cp scripts/install.sh dist/install.sh && chmod +x dist/install.sh
	@echo "dist/wheelhouse ($$(ls dist/wheelhouse | wc -l) files) and dist/install.sh written"

# The long fuzzing run of the importer (not part of `make test`).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -q -p no:cacheprovider tests/exchange/test_hostile_properties.py

clean:
	rm -rf $(VENV) var
