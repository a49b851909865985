# Portail Famille — the two README commands are `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run test test-fast lint bench bench-fleet browser compose-check clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
	uv sync --frozen --group dev --group local
	@touch $@

# Headless Chromium for the browser tests (Debian package; Playwright cannot download browsers here),
# and PgBouncer for the transaction-pooling isolation test (tests/test_pgbouncer.py).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; }
	@command -v pgbouncer >/dev/null 2>&1 || test -x /usr/sbin/pgbouncer || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer; }

run: install
	$(PY) scripts/run.py

test: install browser
	$(PY) scripts/test.py $(ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports

bench: install
	$(PY) bench/run_all.py

# 1,000 towns in a database of their own (FLEET_TOWNS=100 for a quicker run); long, not part of `make bench`.
bench-fleet: install
	$(PY) bench/fleet.py

compose-check: install
	$(PY) scripts/compose_check.py

clean:
	rm -rf var/test-media var/static
