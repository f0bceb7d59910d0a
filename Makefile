# Two commands matter: `make play` and `make test`. Both build .venv from pyproject.toml on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: play test check lint typecheck bench serve clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "netquest needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,web,studio]'
	@touch $(STAMP)

play: $(STAMP)
	$(BIN)/netquest

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

check: $(STAMP)
	$(BIN)/netquest check

lint: $(STAMP)
	$(BIN)/ruff check netquest tests bench
	$(BIN)/ruff format --check netquest tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

serve: $(STAMP)
	$(BIN)/netquest serve

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
