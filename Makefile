# Broadsheet — two commands: `make build` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: build test test-publish deps serve clean bench

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

build: $(VENV)/.runtime
	$(PY) build.py

# System packages (Chromium, a JRE, CJK fonts, nginx, apache2, caddy) and npm packages the tests
# need: installed when missing (as root), else the exact command to run is printed.
deps:
	sh tests/deps.sh

test: $(VENV)/.dev deps
	$(PY) -m pytest

# Only the publishing recipes of the README, each against its real server (tests/test_publish.py).
test-publish: $(VENV)/.dev deps
	$(PY) -m pytest -m publish

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
