# The two commands a newcomer needs: `make run` and `make test`.
# Each creates .venv and installs Rapport into it on first use.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[postgres,test]'
	touch $@

run: $(STAMP)
	@$(VENV)/bin/python -m bot $(ARGS)

# Lint, formatting and the import layers first (seconds), then the tests.
test: $(STAMP)
	$(VENV)/bin/ruff check --quiet .
	$(VENV)/bin/ruff format --check --quiet .
	$(VENV)/bin/lint-imports --no-logo
	$(VENV)/bin/python -m pytest $(ARGS)

bench: $(STAMP)
	$(VENV)/bin/python bench/suite.py $(ARGS)
