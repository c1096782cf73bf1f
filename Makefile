# Samenspel — the commands of the README. Everything is installed by these rules.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run run-deps pdf-deps setup-dev test lint bench bench-deps setup system-deps messages check-messages demo mutants clean

# Runtime packages only (what production installs); the tests and linters add the rest.
$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

# Front-end packages from npm: the app's (NL Design System CSS, Leaflet) for running it,
# and the development tools (the API linter) for `make lint`.
node_modules/.installed: package.json package-lock.json
	npm ci --omit=dev --no-audit --no-fund --loglevel=error
	touch $@

node_modules/.dev-installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed $@

setup: $(VENV)/.installed node_modules/.installed
	mkdir -p var

setup-dev: $(VENV)/.dev-installed node_modules/.dev-installed
	mkdir -p var

# What `make run` needs on a fresh Debian machine: venv support and Node.js with npm.
run-deps:
	@if ! command -v npm >/dev/null || ! $(PYTHON) -c "import ensurepip" 2>/dev/null; then \
		echo "Installing Node.js, npm and Python venv support from Debian"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm python3-venv >/dev/null; \
	fi

# What WeasyPrint needs to make PDFs on a fresh Debian machine: Pango (text layout) and a
# font the documents embed (DejaVu; no font is fetched from the web).
pdf-deps:
	@if ! ldconfig -p | grep -q libpangoft2-1.0 || ! ls /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf >/dev/null 2>&1; then \
		echo "Installing Pango and the DejaVu fonts from Debian (for PDF documents)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
	fi

# A local, git-ignored development settings file: DEBUG on and a generated key, so that
# `.venv/bin/python manage.py …` works as the README says. Production sets real values.
.env:
	@echo "Writing .env for development (DEBUG on, a generated SECRET_KEY)"
	@printf '# Development settings written by make run; git-ignored. Production: see .env.example.\nDEBUG=true\nSECRET_KEY=%s\n' \
		"$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env

# Debian packages the tests need: chromium for browser tests, gettext for the catalogues.
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v msgfmt >/dev/null; then \
		echo "Installing chromium and gettext from Debian"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext >/dev/null; \
	fi

# The web server and, beside it, the worker that sends emails and runs periodic jobs.
run: run-deps pdf-deps setup .env
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo --if-empty
# Links in the worker's emails (reminders, summaries) lead to this server, on its port.
	export SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}"; \
		$(PY) manage.py worker & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
		$(PY) manage.py runserver 127.0.0.1:$(PORT)

demo: setup .env
	$(PY) manage.py demo

test: setup-dev system-deps pdf-deps
	$(PY) -m pytest -q

lint: setup-dev system-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint --lint samenspel
	$(VENV)/bin/mypy samenspel
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check_messages.py
	$(PY) scripts/readability.py
# The API against the NL API Design Rules: Logius' own ruleset (standards/adr/), no errors.
	DEBUG=true $(PY) manage.py openapi var/openapi.json
	node_modules/.bin/spectral lint -r standards/adr/nl-api-design-rules.spectral.yaml \
		var/openapi.json --fail-severity=error
	DEBUG=false SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9') \
		ALLOWED_HOSTS=samenspel.example SECURE_SSL_REDIRECT=true SECURE_HSTS_SECONDS=31536000 \
		SECURE_HSTS_INCLUDE_SUBDOMAINS=true SECURE_HSTS_PRELOAD=true \
		$(PY) manage.py check --deploy --fail-level WARNING

# Refresh the translation catalogues after changing user-facing strings, then translate nl.
messages: setup-dev system-deps
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
bench: setup-dev bench-deps pdf-deps
	$(PY) bench/run.py

# Mutation testing of who may do what (not part of `make test` or CI; takes a while).
# mutmut mutates the permission and service modules of communities, initiatives and
# learning (pyproject.toml, [tool.mutmut]) in a fresh copy under mutants/, runs the fast
# tests against every mutant, then prints the score and the mutants no test killed
# (`.venv/bin/mutmut show NAME` shows one). MUTANTS_CHILDREN=1 on a busy machine.
MUTANTS_CHILDREN ?= $(shell nproc)
mutants: setup-dev
	rm -rf mutants
	mkdir -p mutants && ln -s ../node_modules mutants/node_modules
	nice -n 19 $(VENV)/bin/mutmut run --max-children $(MUTANTS_CHILDREN)
	@echo "Surviving mutants:"
	@$(VENV)/bin/mutmut results
	@$(PY) scripts/mutation_score.py

clean:
	rm -rf $(VENV) node_modules var mutants
