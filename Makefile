# Two commands do all the set-up: `make run` (collect, analyse, open the app) and
# `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench clean export-checkers

DB := $(or $(RADAR_DB),data/radar.db)

# A new database starts with 90 days of each feed's older pages (RFC 5005, WordPress).
# A run where every feed fails (offline) has said so and what to do; it goes on to
# analyse what is already stored, without a make error.
run: $(STAMP)
	$(BIN)/radar collect $(if $(wildcard $(DB)),,--backfill 90d) || true
	$(BIN)/radar analyze
	$(BIN)/streamlit run app.py --browser.gatherUsageStats false

test: $(STAMP) export-checkers
	$(BIN)/ruff check .
	@$(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: treating that as a failure"; exit 1; fi; \
	exit $$status

# The tools our exports are made for, installed with npm so tests can check our files with
# their own code: the Backstage tech-radar loader (tests/node) and the AOE technology radar
# with what its data build needs (tests/node_aoe; --ignore-scripts: its install script
# fetches a code generator the data build does not use). Without Node those tests are
# skipped and say why.
export-checkers:
	@if command -v npm >/dev/null 2>&1; then \
	  for dir in tests/node tests/node_aoe; do \
	    [ $$dir/node_modules/.package-lock.json -nt $$dir/package-lock.json ] || \
	    npm ci --prefix $$dir --no-audit --no-fund --silent --ignore-scripts || \
	    echo "npm could not install $$dir: the export tests that use it will fail"; \
	  done; \
	else echo "Node/npm not found: the Backstage and AOE export tests will be skipped"; fi

bench: $(STAMP)
	$(BIN)/python -m bench.bench_collect
	$(BIN)/python -m bench.bench_import
	$(BIN)/python -m bench.bench_analyze
	$(BIN)/python -m bench.quality
	$(BIN)/python -m bench.bench_app
	$(BIN)/python -m bench.bench_export
	$(BIN)/python -m bench.bench_links
	$(BIN)/python -m bench.bench_budget

# The environment is rebuilt whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
