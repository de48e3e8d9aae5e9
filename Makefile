# The few commands people type. `make run` and `make test` install first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-from-lock
CLIENTS := clients/node_modules/.package-lock.json
ADDR ?= 127.0.0.1:8000

.PHONY: install browser run serve test lint schema lock clean

install: $(INSTALLED) $(CLIENTS)

$(INSTALLED): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --quiet pip
	$(BIN)/python -m pip install --no-deps -r requirements.lock
	@touch $@

# clients/: the Node clients CI runs, codegen, and GraphiQL's files (copied to
# cms/static/graphiql/ so /graphiql/ loads nothing from a CDN). Needs npm.
$(CLIENTS): clients/package-lock.json
	@if command -v npm >/dev/null; then \
		cd clients && npm ci --no-audit --no-fund --loglevel=error; \
	else \
		echo "npm not found: skipping clients/ (GraphiQL at /graphiql/ needs it: install Node 20+)."; \
	fi

run: install
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py load_demo_content
	SITE_URL=http://$(ADDR) $(BIN)/python manage.py set_site_url
	@echo "Admin: http://$(ADDR)/admin/  GraphQL: http://$(ADDR)/graphql/  GraphiQL: http://$(ADDR)/graphiql/"
	SITE_URL=http://$(ADDR) $(BIN)/python manage.py runserver $(ADDR)

# The production settings under gunicorn, as docs/operations.md describes
# (needs SECRET_KEY; LOAD_DEMO_CONTENT=true for the demo).
serve: install
	deploy/run-production.sh

# The browser tests drive Debian's Chromium; install it when we can (as root).
browser:
	@test -x /usr/bin/chromium || test -n "$$CHROMIUM_PATH" || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Chromium from Debian's packages for the browser tests…"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; \
		else \
			echo "The browser tests need Chromium: sudo apt-get install chromium (or set CHROMIUM_PATH)."; exit 1; \
		fi; }

test: install browser
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile

# Regenerate the checked-in GraphQL schema after an intended API change.
schema: install
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py graphql_schema --schema cms.graphql.schema.schema --out schema.graphql

# Re-pin every dependency after editing pyproject.toml.
lock: install
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) db.sqlite3 media static .pytest_cache .ruff_cache clients/node_modules cms/static/graphiql
