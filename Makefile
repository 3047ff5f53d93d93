# Broadsheet — two commands: `make build` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: build test serve clean bench

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

build: $(VENV)/.runtime
	$(PY) build.py

test: $(VENV)/.dev
	$(PY) -m pytest

serve: $(VENV)/.runtime
	$(PY) build.py serve

$(VENV)/.bench: $(VENV)/.dev requirements-bench.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

bench: $(VENV)/.bench
	$(PY) bench/ingest_bench.py
	$(PY) bench/search_recall.py
	$(PY) bench/build_bench.py

clean:
	rm -rf output .output.* tests/artifacts
