# Two set-up commands: `make run` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint docs dataset clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/patientflow $(ARGS)

# One test worker per core (pytest-xdist); a test file's tests stay on one worker, so its
# module fixtures (the expensive runs) are made once.
test: $(STAMP)
	$(PY) -m pytest -n auto --dist loadfile $(ARGS)

# The edit-test loop: the same suite without the tests marked slow (simulations, command-line
# runs and builds of several seconds each); under 90 s on 2 cores. CI runs `make test`.
test-fast: $(STAMP)
	$(PY) -m pytest -n auto --dist loadfile -m "not slow" $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests scripts benchmarks
	$(VENV)/bin/ruff format --check src tests scripts benchmarks
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy src/patientflow

# The documentation site (MkDocs, offline) into site/, strict: a broken link or page fails.
# Open site/index.html; the test suite builds it too (tests/test_docs.py).
docs: $(STAMP)
	$(VENV)/bin/mkdocs build --strict

dataset: $(STAMP)
	$(PY) scripts/build_dataset.py --sources ../shared/data-sources

clean:
	rm -rf $(VENV) outputs .pytest_cache site
