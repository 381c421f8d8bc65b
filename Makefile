# The course's commands. Every target sets itself up: no need to activate
# the virtual environment by hand.
#
#   make book       build the HTML book into _build/html (and open it)
#   make test       build the book, then run the whole test suite
#   make test-fast  only the quick tests (no book build, browser or grading)
#   make lab        JupyterLab on the course, nbgrader extensions enabled
#   make demo       HR's progress report on a synthetic organisation
#   make bench      the benchmarks (slow; prints figures and ratios)
#   make clean      remove what the build and the tests generated

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
# nbgrader starts a bare `alembic`: the venv's bin/ must be on PATH.
export PATH := $(BIN):$(PATH)
export PYTHONDONTWRITEBYTECODE := 1

HTML := _build/html
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: book test test-fast lab demo bench clean distclean install system-deps node-deps book-inputs

## Environment -----------------------------------------------------------

# Reinstall only when the pins or the package metadata change.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

install: $(STAMP)

# Debian packages the tests need: chromium (browser tests) and bubblewrap
# (the grading sandbox). Installed only when missing.
system-deps:
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	command -v bwrap >/dev/null || missing="$$missing bubblewrap"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# axe-core (accessibility checks) comes from the npm registry, pinned in package-lock.json.
node_modules/.stamp: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	@touch $@

node-deps: system-deps node_modules/.stamp

## The book --------------------------------------------------------------

# Everything the book is generated from, before Sphinx runs.
book-inputs: $(STAMP)
	$(BIN)/ambassador quiz validate
	$(BIN)/ambassador exercises release-book

book: book-inputs
	@mkdir -p _build
	$(BIN)/jupyter-book build . -W -n --keep-going --quiet 2>&1 | tee _build/build.log
	@echo
	@echo "The book is ready: file://$(CURDIR)/$(HTML)/index.html"
	@if [ -z "$$CI" ] && { [ -n "$$DISPLAY" ] || [ "$$(uname)" = Darwin ]; }; then \
	  $(BIN)/python -m webbrowser -t "file://$(CURDIR)/$(HTML)/index.html" >/dev/null 2>&1 || true; \
	fi

## Tests -----------------------------------------------------------------

test: book node-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

## Working with the course -----------------------------------------------

# Started from exercises/ so nbgrader's formgrader finds the course root
# (exercises/nbgrader_config.py); the file browser shows the whole course.
lab: $(STAMP)
	cd exercises && $(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=$(CURDIR)

# A synthetic organisation (300 employees, 5 graded sessions) and HR's report on it.
demo: $(STAMP)
	$(BIN)/ambassador progress demo --out demo/progress

bench: $(STAMP)
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf _build book/exercises/released .pytest_cache demo benchmarks/out
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) node_modules
