# The two commands: `make run` (demo server) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := tutoring
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install translations run test test-pg lint bench bench-load bench-indicators lighthouse clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

translations: install
	$(BIN)/pybabel compile -d tutoring/translations

instance/secret_key:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@
	chmod 600 $@

# Demo server on http://127.0.0.1:$(PORT): plain HTTP, so no Secure cookie, and the
# demo turns two-factor sign-in off. The setup's messages go to instance/setup.log
# (shown only if a step fails), the server's to instance/server.log; the output ends
# with a box: the address, the five demo accounts, the password, the card code.
# A few hundred synthetic learners are generated once, so the coordinator's figures
# and charts show (marked as synthetic on the coordinator's pages).
DEMO_ENV = SECRET_KEY="$$(cat instance/secret_key)" SESSION_COOKIE_SECURE=0 REQUIRE_2FA_ROLES= \
	  SITE_URL="http://127.0.0.1:$(PORT)" TRUSTED_HOSTS="127.0.0.1,localhost"
run: install translations instance/secret_key
	@export $(DEMO_ENV) ; \
	echo "Preparing the demo database (details in instance/setup.log)..." ; \
	{ $(BIN)/flask db upgrade && \
	  $(BIN)/flask exercises load && \
	  $(BIN)/flask demo load && \
	  $(BIN)/flask demo generate --learners 300 --once ; } >instance/setup.log 2>&1 \
	  || { cat instance/setup.log; exit 1; } ; \
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT) >instance/server.log 2>&1 & \
	server=$$! ; \
	$(BIN)/flask demo welcome --url "http://127.0.0.1:$(PORT)" --wait 60 --pid $$server \
	  || { kill $$server; cat instance/server.log; exit 1; } ; \
	echo "Server messages: instance/server.log" ; \
	wait $$server

# The suite runs in parallel processes, one per core (TEST_WORKERS=0: in this one).
TEST_WORKERS ?= auto
test: install translations
	$(BIN)/ruff check tutoring exercises tests migrations
	$(BIN)/lint-imports --no-cache
	$(BIN)/bandit -q -c pyproject.toml -r tutoring exercises
	$(BIN)/mypy
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check tutoring exercises tests migrations
	$(BIN)/lint-imports --no-cache
	$(BIN)/bandit -q -c pyproject.toml -r tutoring exercises
	$(BIN)/mypy

# In-process timings, then the table of the performance goals: wrk against gunicorn
# (2 sync workers), the bare Flask app measured in the same run, on PostgreSQL
# (BENCH_DATABASE_URL / TEST_DATABASE_URL, else a throwaway cluster on port 5832).
# Settings: BENCH_SECONDS, BENCH_WORKERS, BENCH_WORKER_CLASS, BENCH_THREADS (see
# tests/bench/wrkbench.py). `make bench-load` runs the locust scenarios instead.
BENCH_PG = if [ -n "$$BENCH_DATABASE_URL$$TEST_DATABASE_URL" ]; then $(1); \
	elif ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then \
	  bash -c 'PGTEST_PORT=$${BENCH_PG_PORT:-5832}; source .ci/pg.sh && trap pg_stop EXIT && $(1)'; \
	else echo "PostgreSQL is not installed: skipped"; fi

bench: install translations
	$(BIN)/python -m tests.bench.bench
	@$(call BENCH_PG,$(BIN)/python -m tests.bench.wrkbench postgresql)

bench-load: install translations
	$(BIN)/python -m tests.bench.loadbench sqlite
	@$(call BENCH_PG,$(BIN)/python -m tests.bench.loadbench postgresql)

# CTAI indicators at scale, on PostgreSQL only (the database is wiped): a throwaway
# cluster with the memory settings of the README's deployment section, or yours:
# BENCH_DATABASE_URL=postgresql+psycopg://… make bench-indicators SIZES="1000 10000 100000"
SIZES ?= 1000 10000
PG_SETTINGS ?= -c shared_buffers=1GB -c work_mem=64MB -c effective_cache_size=3GB
bench-indicators: install translations
	@if [ -n "$$BENCH_DATABASE_URL" ]; then $(BIN)/python -m tests.bench.bench_indicators $(SIZES); \
	else bash -c 'PGTEST_PORT=$${BENCH_PG_PORT:-5833} PGTEST_OPTIONS="$(PG_SETTINGS)"; \
	  source .ci/pg.sh && trap pg_stop EXIT && BENCH_DATABASE_URL=$$TEST_DATABASE_URL \
	  $(BIN)/python -m tests.bench.bench_indicators $(SIZES)'; fi

# Lighthouse (mobile preset, headless /usr/bin/chromium) on the learner's home, a
# practice item and the offline page, signed in as the demo learner; the npm package
# goes to .tools/lighthouse (ignored by git). Needs node and npm. Not part of `make test`.
LIGHTHOUSE_VERSION ?= 12.8.2
.tools/lighthouse/node_modules/.bin/lighthouse:
	npm install --no-audit --no-fund --prefix .tools/lighthouse lighthouse@$(LIGHTHOUSE_VERSION)

lighthouse: install translations .tools/lighthouse/node_modules/.bin/lighthouse
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python -m tests.bench.lighthouse

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
