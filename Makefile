# The README's two commands: `make lab` and `make test`. Both create .venv when needed and
# reinstall only when pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.lab-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

lab: $(VENV)/.lab-installed
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/00_start_here.ipynb

test: $(VENV)/.test-installed
	$(BIN)/ruff check peerlib tests benchmarks
	$(BIN)/python -m pytest

lint: $(VENV)/.test-installed
	$(BIN)/ruff check peerlib tests benchmarks
	$(BIN)/ruff format --check peerlib tests benchmarks

$(VENV)/.bench-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[hub,postgres]'
	touch $@

bench: $(VENV)/.bench-installed
	$(BIN)/python -m benchmarks.feedback_quality
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.hub_load

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
