# The two commands a newcomer needs: `make run` and `make test`.
# Each creates .venv and installs Rapport into it on first use.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-stamp

# The gettext catalogs (bot/i18n.py), compiled from the translations kept in git.
LANGUAGES := fa ar vi
CATALOGS := $(foreach language,$(LANGUAGES),bot/locales/$(language)/LC_MESSAGES/rapport.mo)

.PHONY: run test bench messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[postgres,test]'
	touch $@

%.mo: %.po $(STAMP)
	$(VENV)/bin/pybabel -q compile -i $< -o $@

# After changing a message in the code: the template, and each language's new entries to translate.
messages: $(STAMP)
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k N_ -c Translators: --sort-by-file --width 100 \
		-o bot/locales/rapport.pot .
	$(VENV)/bin/pybabel -q update -i bot/locales/rapport.pot -d bot/locales -D rapport --width 100

run: $(STAMP) $(CATALOGS)
	@$(VENV)/bin/python -m bot $(ARGS)

# Lint, formatting and the import layers first (seconds), then the tests.
test: $(STAMP) $(CATALOGS)
	$(VENV)/bin/ruff check --quiet .
	$(VENV)/bin/ruff format --check --quiet .
	$(VENV)/bin/lint-imports --no-logo
	$(VENV)/bin/python -m pytest $(ARGS)

bench: $(STAMP) $(CATALOGS)
	$(VENV)/bin/python bench/suite.py $(ARGS)
