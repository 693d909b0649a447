# The project's commands. `make demo` and `make test` work from a fresh clone with only
# Python 3.10+ and git installed: both create the virtual environment first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CLAIMS := $(BIN)/claims

.PHONY: install demo test lint bench bench-quick bench-large clean screenshot

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

demo: install
	@echo '$$ claims list'
	@$(CLAIMS) list
	@echo
	@echo '$$ claims log summit-date'
	@$(CLAIMS) log summit-date
	@echo
	@echo '$$ claims sources'
	@$(CLAIMS) sources
	@echo
	@echo '$$ claims check'
	@$(CLAIMS) check
	@echo
	@echo '$$ claims timeline --output build/timeline.html'
	@mkdir -p build
	@$(CLAIMS) timeline --output build/timeline.html
	@echo "open $(CURDIR)/build/timeline.html in a browser"

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check tools tests bench
	$(BIN)/ruff format --check tools tests bench

# Builds (or reuses) benchmark repositories under build/bench/, then times claims against plain
# git on the same questions at 5,000, 20,000 and 80,000 commits; see docs/performance.md.
# BENCH_ARGS='--update-doc docs/performance.md' writes the report into that document.
BENCH_ARGS ?=
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The same questions at small sizes, to try the harness in a minute or two.
bench-quick: install
	$(BIN)/python bench/run.py --quick $(BENCH_ARGS)

# 20,000 claims x 100,000 commits: a long build and run (docs/performance.md); not run in CI.
bench-large: install
	$(BIN)/python bench/run.py --large $(BENCH_ARGS)

# docs/timeline.png: the shipped database's timeline as headless Chromium draws it.
screenshot: install
	@mkdir -p build
	$(CLAIMS) timeline --output build/timeline.html
	$(BIN)/python tests/chromium.py build/timeline.html docs/timeline.png 2240

clean:
	rm -rf $(VENV) build tools/*.egg-info
