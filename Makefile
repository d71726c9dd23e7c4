# The two commands of the README's quick start:
#   make run   – set up and serve the demo on http://127.0.0.1:$(PORT) (embedded SQLite, no servers)
#   make test  – set up and run the whole suite (PostgreSQL, Redis, Chromium), as CI does
# Every target installs what it needs itself.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
# pytest arguments, e.g. make test PYTEST_ARGS="-m 'not browser'"
PYTEST_ARGS ?=

.PHONY: run test setup demo-data lint messages openapi clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed
	bash scripts/ensure-debian-packages.sh gettext libmagic1 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
		tesseract-ocr tesseract-ocr-dan poppler-utils
	$(MAKE) messages

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

demo-data: setup
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_demo

run: demo-data
	@echo "Høringsportalen: http://127.0.0.1:$(PORT)/"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# ruff (style), mypy (types; incremental cache in .mypy_cache), import-linter (the apps' dependency
# contracts in .importlinter) and djLint (templates); any finding fails.
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/djlint templates --lint

# The public API's OpenAPI 3 description, checked in; tests/api/test_schema.py fails when it is stale.
openapi: $(VENV)/.installed
	$(PY) manage.py spectacular --lang da --validate --fail-on-warn --file docs/api/openapi.yaml

test: setup
	bash scripts/ensure-debian-packages.sh chromium docker-compose
	bash scripts/ensure-services.sh
	$(MAKE) lint
	$(VENV)/bin/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules var db.sqlite3
