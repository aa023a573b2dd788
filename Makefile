# Two entry points for a fresh machine: `make check` (the gate on the canonical schema, on an
# embedded throwaway PostgreSQL) and `make test` (the project's own tests). Both install what
# they need first; the install step is skipped when nothing changed.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Debian packages the suites use: the pooler for load, plpgsql_check for lints, pgTAP with
# pg_prove (and its --archive) for the pgtap suite and exported matrix tests; the gate's tests
# use pg_partman (a partitioned schema we did not write) and faketime (the clock moved).
DEB_PACKAGES := pgbouncer postgresql-15-plpgsql-check postgresql-15-pgtap \
                libtap-parser-sourcehandler-pgtap-perl libtap-harness-archive-perl \
                postgresql-15-partman faketime

# The revision `make gate` compares with (HEAD: what the working tree changes).
BASE ?= HEAD

.PHONY: install check gate test lint clean

$(STAMP): pyproject.toml
	@./scripts/install-system-packages $(DEB_PACKAGES)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[load,plots,dev]'
	@touch $(STAMP)

install: $(STAMP)

# The virtualenv's bin goes first on PATH so the tools it installed (locust) are found.
check: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dbharness check $(ARGS)

gate: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dbharness gate --base $(BASE) $(ARGS)

test: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pytest -q $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check harness suites load tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) reports/2*_* reports/latest reports/latest.txt .mypy_cache .ruff_cache
