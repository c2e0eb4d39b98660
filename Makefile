# akhbar: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
# camel-tools is installed without its declared dependencies: they pull torch and
# transformers (~1.7 GB), while the modules the pipeline uses need only six, emoji and
# regex, which pyproject.toml lists. `pip install ".[camel-full]"` brings the full tree.
CAMEL_TOOLS := camel-tools==1.6.0

.PHONY: install browser run stop test test-unit bench bench-quick bench-archive eval eval-train clean constraints compose-cli

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=24" wheel
	$(PIP) install --quiet --constraint constraints.txt --editable ".[airflow,celery,embedded,test]"
	$(PIP) install --quiet --no-deps $(CAMEL_TOOLS)
	touch $(STAMP)

run: install
	bash scripts/run-local.sh

stop:
	bash scripts/stop-local.sh

# Debian's chromium, chromium-driver and an Arabic font for the UI plugin's browser test,
# when missing and when root (the test is skipped, saying why, where they cannot be had).
browser:
	bash scripts/install-chromium.sh

# The tests use the PostgreSQL on 127.0.0.1:5432, or an embedded one when none answers.
# tests/test_compose.py renders docker-compose.yml with a Compose CLI (no Docker engine):
# Debian's docker-compose package is installed here when no Compose CLI is present.
test: install browser compose-cli
	AKHBAR_TEST_PG_SERVER="$$($(PY) scripts/ensure_postgres.py --db '')" $(PY) -m pytest -q -ra

compose-cli:
	@command -v docker-compose > /dev/null 2>&1 || docker compose version > /dev/null 2>&1 || { \
	  echo "installing Debian's docker-compose (validates docker-compose.yml in the tests)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  ( $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq docker-compose ) \
	    > /tmp/akhbar-apt-docker-compose.log 2>&1 \
	  || { echo "could not install docker-compose (see /tmp/akhbar-apt-docker-compose.log)"; exit 1; }; }

test-unit: install
	$(PY) -m pytest -q -m "not integration and not e2e"

$(BENCH_STAMP): $(STAMP)
	$(PIP) install --quiet --constraint constraints.txt --editable ".[bench]"
	touch $(BENCH_STAMP)

# The benchmarks (README: Benchmarks): ~12 min on 2 cores; needs the corpus
# (AKHBAR_BENCH_CORPUS) and PostgreSQL on 127.0.0.1:5432. `make bench BENCH_ARGS=--quick`
# or `make bench-quick` runs every stage on a small sample (< 1 min).
bench: $(BENCH_STAMP)
	$(PY) -m bench $(BENCH_ARGS)

bench-quick: $(BENCH_STAMP)
	$(PY) -m bench --quick $(BENCH_ARGS)

# The archive-scale run (README: Benchmarks): `akhbar import-archive` over both corpora of
# the shared corpus folder beside the checkout (61k articles; the folder of the benchmark
# corpus, bench/corpus.py) into a fresh warehouse; writes bench/results/archive.json.
# About 25 min on 2 quiet cores (58 min on busy ones). `make bench-archive BENCH_ARGS="--limit 2000"` for a sample.
bench-archive: $(BENCH_STAMP)
	$(PY) -m bench.archive_bench $(BENCH_ARGS)

# Extraction quality on the blind-annotated corpus sample (eval/README.md): both splits,
# per field; then repeats and republications on the labelled pairs (eval/pairs_eval.py). Needs the corpora (AKHBAR_EVAL_CORPUS_DIR). `make eval-train` lists the
# training split's misses; the locked test split's errors are never listed.
eval: install
	$(PY) eval/run.py --split both --json eval/results/latest.json
	$(PY) eval/pairs_eval.py --split both --json eval/results/pairs_latest.json

eval-train: install
	$(PY) eval/run.py --split train --errors
	$(PY) eval/pairs_eval.py --split train --errors

clean: stop
	rm -rf .akhbar

# Re-pin constraints.txt from the working .venv after a dependency change.
constraints: install
	{ sed -n '1,3p' constraints.txt; $(PIP) freeze --exclude-editable | grep -iv '^akhbar'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
