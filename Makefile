# What a contributor types. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= ../shared/data/semeval2023

.PHONY: setup dev demo test lint models bench clean labelstudio

$(BIN)/proplens: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@touch $@

setup: $(BIN)/proplens  ## the environment alone: .venv/bin/proplens works afterwards

$(VENV)/.dev: $(BIN)/proplens
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

dev: $(VENV)/.dev

demo: setup  ## analyse the bundled example article
	$(BIN)/proplens analyze demo/example.txt --format json -o demo/report.json
	$(BIN)/proplens analyze demo/example.txt --format html -o demo/report.html
	@echo "demo reports: $(CURDIR)/demo/report.html and $(CURDIR)/demo/report.json"

# Label Studio for the round-trip test, in its own venv: its dependencies clash with ours.
LSENV := .lsenv
LABEL_STUDIO := label-studio==1.23.2

$(LSENV)/bin/label-studio:
	$(PYTHON) -m venv $(LSENV)
	$(LSENV)/bin/pip install --quiet --upgrade pip
	$(LSENV)/bin/pip install --quiet '$(LABEL_STUDIO)'

labelstudio: $(LSENV)/bin/label-studio  ## Label Studio in .lsenv (the round-trip test uses it)

test: dev  ## the whole test suite
	$(BIN)/python -m pytest -q

lint: dev
	$(BIN)/ruff check src tests benchmarks experiments
	$(BIN)/ruff format --check src tests benchmarks experiments
	$(BIN)/mypy

models: dev  ## retrain the shipped models from the SemEval-2023 data
	$(BIN)/pip install --quiet -e '.[train]'
	$(BIN)/proplens train techniques --data $(DATA) --cv-dir build/cv/techniques --cache build/cache
	$(BIN)/proplens train articles --data $(DATA) --cv-dir build/cv/articles
	$(BIN)/proplens train sentiment --data $(DATA)
	$(BIN)/proplens train threats --data data/threats/threats.jsonl
	$(BIN)/proplens train narratives --data ../shared/data/semeval2025-task10

bench: dev  ## speed, memory, corpus and web figures -> benchmarks/RESULTS.md
	$(BIN)/python benchmarks/bench_analyze.py
	$(BIN)/python benchmarks/bench_corpus.py 1000
	$(BIN)/python benchmarks/bench_web.py

clean:
	rm -rf $(VENV) $(LSENV) build .pytest_cache .mypy_cache .ruff_cache demo/report.*
