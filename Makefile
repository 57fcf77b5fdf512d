# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STORE ?= ./.kg
SAMPLE := data/sample/hf-papers-listing.txt
DATASETS ?= ../shared/datasets

.PHONY: run test install chromium build app train gazetteers eval bench clean

$(VENV)/.installed: pyproject.toml
	@echo "installing into $(VENV): spaCy, the store (ArcadeDB with its own Java), Streamlit … (a minute or two)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,dask]"
	@echo "installed"
	touch $@

install: $(VENV)/.installed

build: install
	@echo "building the graph of $(SAMPLE) into $(STORE)"
	$(VENV)/bin/kg build $(SAMPLE) --store $(STORE)

app: install
	$(VENV)/bin/kg app --store $(STORE)

run: build app

# The browser tests drive headless Chromium: installed where we may (root with apt-get),
# otherwise they are skipped with a message saying so.
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	{ [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  { apt-get install -y -qq chromium >/dev/null 2>&1 || \
	    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1; }; }; } || \
	echo "no Chromium (apt-get install chromium): the browser tests will be skipped"

test: install chromium
	$(PY) -m pytest -q

train: install
	$(PY) -m extractors.training.train --data $(DATASETS) --out extractors/models/ner

gazetteers: install
	$(PY) -m extractors.gazetteers.build --pwc $(DATASETS)/pwc-names --out extractors/data

eval: install
	$(VENV)/bin/kg eval --datasets $(DATASETS)
	$(VENV)/bin/kg eval --results --split dev
	$(VENV)/bin/kg eval --results --split test

bench: install
	$(PY) -m bench.run --datasets $(DATASETS)

clean:
	rm -rf $(STORE) .pytest_cache test-artifacts
