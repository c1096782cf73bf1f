# Samenspel — the commands of the README. Everything is installed by these rules.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint bench bench-deps setup system-deps messages check-messages demo clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed
	mkdir -p var

# Debian packages the tests need: chromium for browser tests, gettext for the catalogues.
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v msgfmt >/dev/null; then \
		echo "Installing chromium and gettext from Debian"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext >/dev/null; \
	fi

run: setup
	DEBUG=true $(PY) manage.py migrate --no-input
	DEBUG=true $(PY) manage.py demo --if-empty
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

demo: setup
	DEBUG=true $(PY) manage.py demo

test: setup system-deps
	$(PY) -m pytest -q

lint: setup system-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint --lint samenspel
	$(VENV)/bin/mypy samenspel
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check_messages.py
	SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9') \
		ALLOWED_HOSTS=samenspel.example SECURE_SSL_REDIRECT=true SECURE_HSTS_SECONDS=31536000 \
		SECURE_HSTS_INCLUDE_SUBDOMAINS=true SECURE_HSTS_PRELOAD=true \
		$(PY) manage.py check --deploy --fail-level WARNING

# Refresh the translation catalogues after changing user-facing strings, then translate nl.
messages: setup system-deps
	DEBUG=true $(PY) manage.py makemessages -l nl --no-location --no-obsolete \
		--ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --ignore=e2e --ignore=bench --ignore=scripts
	DEBUG=true $(PY) manage.py compilemessages -l nl --ignore=.venv

# The bench drives its load with wrk (C, light on the CPU the server needs) from Debian.
bench-deps:
	@if ! command -v wrk >/dev/null; then \
		echo "Installing wrk from Debian"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	fi

# SQLite in var/bench.sqlite3, or DATABASE_URL's server with a database samenspel_bench.
bench: setup bench-deps
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules var
