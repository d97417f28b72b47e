# The course's two front-door commands are `make lab` and `make test`; the rest serve them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Jupyter refuses to start as root unless told it is deliberate (containers, CI machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test install notebooks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/01_sle.ipynb

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Put every notebook in the committed canonical state (see tests/test_notebook_state.py).
notebooks: $(STAMP)
	$(BIN)/python -m tests.canonical_notebooks notebooks/*.ipynb

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis test-artifacts
