# Terreau — the same commands for a newcomer and for CI.
#   make run    set everything up, migrate, load demo data on an empty database, serve on :5000
#   make test   set everything up and run the whole suite (in parallel)
#   make test-fast  the suite without real servers and browsers, for the inner loop
#   make lint   ruff (check + format check), mypy and the import contract (import-linter)
#   make serve  production mode: two gunicorn processes on PORT and PORT+1

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
FLASK  := $(BIN)/flask --app wsgi
PORT   ?= 5000

# Some machines (CI's among them) set PYTHONDONTWRITEBYTECODE: every pytest worker then compiles
# the app and rewrites every test module's asserts again at each run (collection: 11 s instead
# of 5 s). Bytecode goes to __pycache__/, which git ignores.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test test-fast lint serve setup assets translations migrate seed browser clean

setup: $(STAMP) assets translations

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

assets: node_modules/.package-lock.json
	npm run --silent build

translations: $(STAMP)
	$(BIN)/python -m community.core.i18n compile

migrate: setup
	@mkdir -p instance
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo
	@$(FLASK) demo-accounts

run: seed
	@$(FLASK) vapid-keys >/dev/null
	@echo "Terreau : http://127.0.0.1:$(PORT)"
	PORT=$(PORT) $(BIN)/python wsgi.py

# Debian's Chromium for the browser tests; installed when missing and we may (root).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed: browser tests will be skipped"; \
	  else echo "chromium missing and not root: browser tests will be skipped"; fi; \
	fi

# The whole suite on TEST_WORKERS processes (pytest-xdist; each has its own database, its own
# live servers and browser). Tests of one xdist_group run in the same worker.
TEST_WORKERS ?= 2
test: setup browser
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# The inner loop: everything but real servers and the browser.
test-fast: setup
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not live and not browser" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

serve: setup
	@test -n "$(DATABASE_URL)" || (echo "DATABASE_URL is required for make serve" && exit 2)
	TERREAU_ENV=production $(FLASK) db upgrade
	bash scripts/serve.sh

clean:
	rm -rf $(VENV) node_modules static/vendor
