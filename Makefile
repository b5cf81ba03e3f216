# The README's commands: `make app`, `make lab` and `make test`. Each creates .venv when needed
# and reinstalls only when pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: app lab test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.lab-installed: pyproject.toml peerlib/labsettings.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m peerlib.labsettings
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

lab: $(VENV)/.lab-installed
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/00_start_here.ipynb

# The learners' app: every notebook as a page of text and widgets (Voila), at the start page.
# The same address as on Binder (voila/render/notebooks/...), so links between modules work.
APP_START := voila/render/notebooks/00_start_here.ipynb
app: $(VENV)/.lab-installed
	$(BIN)/jupyter server $(ROOT_FLAG) --ServerApp.open_browser=True \
		--ServerApp.default_url=/$(APP_START) \
		--ServerApp.root_dir=$(CURDIR)

# axe-core for the browser tests' accessibility gate, when npm is here (CI installs npm).
AXE := tests/browser-deps/node_modules/axe-core/axe.min.js
$(AXE): tests/browser-deps/package.json
	if command -v npm >/dev/null; then \
		npm install --prefix tests/browser-deps --no-audit --no-fund --silent && touch $@; fi

# Two workers, each test file on one worker (its servers start once); the slowest steps listed.
test: $(VENV)/.test-installed $(AXE)
	$(BIN)/ruff check peerlib tests benchmarks
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder --durations=15

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
	$(BIN)/python -m benchmarks.startup

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
