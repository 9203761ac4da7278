# OpenMASH: the set-up contract.
#
#   make run     set up (venv, front-end assets, database, demo hub) and serve on 127.0.0.1:8000
#   make test    everything CI checks, stopping at the first failure
#
# Smaller targets: venv assets lint format typecheck imports checks test-sqlite test-postgres
# test-browser system-packages clean.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.NOTPARALLEL:
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
OPENMASH := $(VENV)/bin/openmash
VENV_STAMP := $(VENV)/.openmash-installed
ASSETS_STAMP := var/assets/.built
ASSET_SOURCES := package.json $(wildcard package-lock.json) scripts/build_assets.sh \
	$(shell find openmash/web/assets -type f 2>/dev/null)

TEST_SETTINGS := config.settings.test
PYTEST := env DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) $(PY) -m pytest
# pytest-xdist workers for the SQLite and PostgreSQL runs: one per core ("auto"); each has its
# own database. `make test-sqlite TEST_WORKERS=0` runs in one process (see docs/testing.md).
TEST_WORKERS ?= auto
# Work stealing: an idle worker takes queued tests from a busy one, so a few long tests at the
# end of one worker's share do not leave the other core idle.
XDIST := -n $(TEST_WORKERS) $(if $(filter 0,$(TEST_WORKERS)),,--dist worksteal)

.PHONY: help run test venv assets lint format typecheck imports checks migrations-check \
	deploy-check test-sqlite test-postgres test-browser system-packages clean cin-validator

help:
	@echo "make run    - set up and serve the demo hub on http://127.0.0.1:8000"
	@echo "make test   - lint, type-check, checks, tests on SQLite and PostgreSQL, browser tests"
	@echo "Also: venv assets lint format typecheck imports checks test-sqlite test-postgres"
	@echo "      test-browser system-packages clean"

# -- Set-up ---------------------------------------------------------------------------------

# The virtualenv, re-installed only when pyproject.toml changes.
$(VENV_STAMP): pyproject.toml constraints.txt
	@if [[ ! -x $(PY) ]]; then $(PYTHON) -m venv $(VENV); fi
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

venv: $(VENV_STAMP)

# GOV.UK Frontend + MOJ Frontend, compiled into var/assets/ (see scripts/build_assets.sh).
$(ASSETS_STAMP): $(ASSET_SOURCES)
	scripts/build_assets.sh
	@touch $@

assets: $(ASSETS_STAMP)

system-packages:
	scripts/ensure_system_packages.sh

# -- Run ------------------------------------------------------------------------------------

run: venv assets
	$(OPENMASH) migrate --noinput
	$(OPENMASH) load_demo_hub
	$(OPENMASH) flag_breaches --schedule
	$(OPENMASH) review_reminders --schedule
	$(OPENMASH) accounts_disable_dormant --schedule
	@# With DEBUG on, runserver serves static files from the finders; otherwise collect them.
	@if [[ "$${OPENMASH_DEBUG:-1}" != "1" ]]; then $(OPENMASH) collectstatic --noinput; fi
	scripts/run_server.sh

# -- Checks ---------------------------------------------------------------------------------

# The complexity ratchet (scripts/complexity_ratchet.py) runs ruff's C901 against the list of
# today's offenders, which may only shrink.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) scripts/complexity_ratchet.py

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: venv
	$(VENV)/bin/mypy

imports: venv
	$(VENV)/bin/lint-imports

migrations-check: venv
	DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) $(PY) manage.py makemigrations --check --dry-run

# Production settings must pass Django's deployment checklist with no warnings.
deploy-check: venv
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	ALLOWED_HOSTS=mash.example.org OPENMASH_SITE_URL=https://mash.example.org \
	DATABASE_URL="sqlite:///$$(mktemp -u /tmp/openmash-deploy-check.XXXXXX)" \
	$(PY) manage.py check --deploy --fail-level WARNING

checks: migrations-check deploy-check

# -- Tests ----------------------------------------------------------------------------------

# DfE's CIN census rule checker, in its own virtualenv (it needs numpy<2 and pandas<2).
cin-validator:
	scripts/cin_validator_venv.sh

test-sqlite: venv cin-validator
	env -u DATABASE_URL $(PYTEST) -m "not browser" $(XDIST)

test-postgres: venv cin-validator
	scripts/with_postgres.sh $(PYTEST) -m "not browser" $(XDIST)

# In one process: two Chromiums and two live servers on two cores were slower (docs/testing.md).
test-browser: venv assets
	env -u DATABASE_URL $(PYTEST) -m browser

test:
	scripts/ensure_system_packages.sh
	$(MAKE) venv assets
	$(MAKE) lint
	$(MAKE) typecheck
	$(MAKE) imports
	$(MAKE) checks
	$(MAKE) test-sqlite
	$(MAKE) test-postgres
	$(MAKE) test-browser

clean:
	rm -rf var/assets var/static node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
