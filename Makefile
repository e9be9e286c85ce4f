# The commands a developer needs. `make run` to try the project, `make test` before pushing.

VENV ?= .venv
# The interpreter that creates the virtualenv (CI's forward-compatibility leg picks another).
PYTHON3 ?= python3
PYTHON := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
# The library this project is built on, from its folder until it is installed from the package
# index: delete this line and `make install` takes the release pyproject.toml asks for.
LIBRARY := django-modular-monolith

# The library's own suite and type check run from its folder, with its test project
# importable, when the library is here as a folder with its tests.
LIBRARY_TESTS := $(if $(LIBRARY),$(wildcard $(LIBRARY)/tests))
IN_LIBRARY := cd $(LIBRARY) && PYTHONPATH=.:tests/project

# Local development runs in debug mode unless the environment says otherwise.
export DEBUG ?= true

.PHONY: help install run serve serve-split check test test-library test-module docs format clean

help:
	@echo "make run    install (and write a development .env), migrate, serve on http://127.0.0.1:8000"
	@echo "make serve  the Procfile's processes (gunicorn, the event worker) with honcho, on :8000"
# demo:start
	@echo "make serve-split  the same, payments as a service of its own (Procfile.split, :8000 and :8001)"
# demo:end
	@echo "make test   the architecture checks, then the library's test suite and the project's"
	@echo "make check  the architecture checks alone (import contracts, system checks, migrations)"
	@echo "make test-library  the library's own test suite ($(LIBRARY)/tests)"
	@echo "make test-module M=users   one module's tests, with only it and its dependencies installed"
	@echo "make docs   regenerate docs/modules.md and the module graph in README.md from the code"
	@echo "make format fix what ruff can fix, and format the code"

$(INSTALLED): pyproject.toml $(wildcard $(LIBRARY)/pyproject.toml)
	test -x $(PYTHON) || $(PYTHON3) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(if $(LIBRARY),$(PYTHON) -m pip install --quiet --editable "$(LIBRARY)[test]")
	$(PYTHON) -m pip install --quiet --editable ".[dev]"
	touch $@

install: $(INSTALLED) .env

# Settings for commands run outside make (`python manage.py ...` in a fresh shell): a development
# .env (debug mode, a key of its own), written once; .env is not committed.
.env:
	sed "s/^# SECRET_KEY=$$/SECRET_KEY=$$($(PYTHON3) -c 'import secrets; print(secrets.token_urlsafe(50))')/" \
		.env.example > $@

# The module docs describe the modules a project has: a new project generates them on its first
# run (`make docs` regenerates them; `make check` fails when they are out of date).
docs/modules.md: | install
	$(PYTHON) manage.py moduledocs

run: install docs/modules.md
	$(PYTHON) manage.py migrate --no-input
# demo:start
	$(PYTHON) manage.py load_demo_products
# demo:end
	$(PYTHON) manage.py runserver 127.0.0.1:8000

# The processes of a deployment (Procfile), run together by honcho; the consumer joins them
# when EVENTS_BROKER_URL is set. Ctrl-C (SIGINT, then SIGTERM) stops them all.
SERVE = web worker $(if $(EVENTS_BROKER_URL),consumer)
serve: install docs/modules.md
	$(PYTHON) manage.py migrate --no-input
	$(PYTHON) manage.py collectstatic --no-input --verbosity 0
	PATH="$(abspath $(VENV))/bin:$$PATH" $(VENV)/bin/honcho start --port 8000 $(SERVE)

# demo:start
# The shop with payments as a service of its own, with its own database (Procfile.split,
# docs/extracting-a-module.md). Needs, in the environment or .env (honcho reads it, and it wins):
# DATABASE_URL_PAYMENTS (the service's database), REMOTE_SECRET and EVENTS_BROKER_URL. Each side
# is migrated as its processes run: the service with payments alone, the shop without its tables.
PORT ?= 8000
PAYMENTS_PORT ?= 8001
HONCHO_SPLIT = REMOTE_MODULES=payments=http://127.0.0.1:$(PAYMENTS_PORT) PAYMENTS_PORT=$(PAYMENTS_PORT) \
	PATH="$(abspath $(VENV))/bin:$$PATH" $(VENV)/bin/honcho -f Procfile.split
serve-split: install docs/modules.md
	$(HONCHO_SPLIT) run sh -c 'test -n "$$DATABASE_URL_PAYMENTS" -a -n "$$REMOTE_SECRET" -a -n "$$EVENTS_BROKER_URL" \
		|| { echo "Set DATABASE_URL_PAYMENTS, REMOTE_SECRET and EVENTS_BROKER_URL (docs/extracting-a-module.md)"; exit 2; }'
	$(HONCHO_SPLIT) run sh -c 'DATABASE_URL=$$DATABASE_URL_PAYMENTS INSTALL_MODULES=payments REMOTE_MODULES= \
		python manage.py migrate --no-input'
	$(HONCHO_SPLIT) run python manage.py migrate --no-input
	$(HONCHO_SPLIT) run python manage.py collectstatic --no-input --verbosity 0
	$(HONCHO_SPLIT) start --port $(PORT)
# demo:end

check: install docs/modules.md
	$(PYTHON) manage.py check --fail-level WARNING
	$(VENV)/bin/lint-imports
	$(PYTHON) manage.py makemigrations --check --dry-run
	$(PYTHON) manage.py moduledocs --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(if $(LIBRARY_TESTS),$(IN_LIBRARY) $(abspath $(VENV))/bin/mypy)

test: check test-library
	$(PYTHON) -m pytest

test-library: install
	$(if $(LIBRARY_TESTS),$(IN_LIBRARY) $(abspath $(PYTHON)) -m pytest)

# A module that silently needs one it does not import fails here.
test-module: install
	@test -n "$(M)" || (echo "Name the module: make test-module M=users" && exit 2)
	INSTALL_MODULES=$(M) $(PYTHON) -m pytest tests/$(M)

docs: install
	$(PYTHON) manage.py moduledocs

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) .import_linter_cache *.egg-info
