# The Backend Handbook. `make serve` to read and edit, `make test` before a pull request.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Material 9.8 prints a notice about MkDocs 2.0 on every build.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build check test test-fast bench clean new affected lint codeowners pdf

# The venv is rebuilt when a requirements file changes.
$(VENV)/.site: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.site requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

PORT ?= 8000
serve: $(VENV)/.site  ## Serve with live reload on http://127.0.0.1:8000/handbook/; a data edit rebuilds only the pages it changes (PORT=8001 for another port; restart after editing macros/*.py)
	@$(PY) -m macros.serve_port $(PORT)
	$(PY) -m mkdocs serve --livereload --dirty -a 127.0.0.1:$(PORT)

.PHONY: build-mkdocs build-properdocs build-zensical export
build: build-$(or $(ENGINE),mkdocs)  ## Strict build into site/; ENGINE=properdocs or ENGINE=zensical: the same site with another engine

build-mkdocs: $(VENV)/.site
	$(PY) -m mkdocs build --strict

build-properdocs: $(VENV)/.dev  ## ProperDocs, a maintained MkDocs 1.x fork, on the unchanged project
	$(PY) -m properdocs build --strict -f mkdocs.yml

build-zensical: $(VENV)/.dev  ## Zensical ignores hooks: it builds the Markdown export (zensical.yml)
	$(PY) -m macros.markdown_export .zensical
	$(PY) -m zensical build --strict -f zensical.yml

export: $(VENV)/.site  ## The whole handbook as plain Markdown for any static-site generator: make export DIR=folder
	@test -n "$(DIR)" || { echo "usage: make export DIR=folder" >&2; exit 2; }
	$(PY) -m macros.markdown_export -- "$(DIR)"

pdf: $(VENV)/.dev  ## Strict build plus the whole handbook on one page (site/print/) and as a PDF (site/handbook.pdf)
	HANDBOOK_OFFLINE=1 $(PY) -m mkdocs build --strict
	$(PY) -m macros.offline_pdf site

check: $(VENV)/.site  ## Validate data/ only (fast)
	$(PY) -m macros.check data

new: $(VENV)/.site  ## Start an entry from its schema: make new KIND=technology ID=kafka-streams
	@$(PY) -m macros.scaffold -- "$(KIND)" "$(ID)"

# Tests run on every core (pytest-xdist); builds are shared across workers (tests/conftest.py).
# Whole files go to a worker (loadfile), so the tests of one long build (the PDF, Zensical)
# wait for it on one worker while the other goes on; they go in collection order, which
# tests/conftest.py sorts longest file first (LONGEST_FIRST), not by number of tests.
# (loadgroup would be finer, but with pytest 9.2 it silently stops grouping: pytest-xdist
# issue 1386.) ARGS go to pytest: make test ARGS="-k search".
test: $(VENV)/.dev  ## Every test: unit, build, browser (a few minutes)
	$(PY) -m pytest -n auto --dist loadfile --no-loadscope-reorder $(ARGS)

test-fast: $(VENV)/.dev  ## Unit tests only, no build and no browser (under a minute): run it on every save
	$(PY) -m pytest -n auto -m "not slow" $(ARGS)

bench: $(VENV)/.dev  ## Performance benchmark; writes bench/results.md
	$(PY) -m bench

affected: $(VENV)/.site  ## Pages a change alters, compared with BASE (default origin/main), as Markdown with rendered diffs; SITE_ARTIFACT_URL: where the built site was uploaded
	@$(PY) -m macros.affected $(or $(BASE),origin/main)

lint: $(VENV)/.dev  ## YAML lint, ruff, the data check and CODEOWNERS: the same commands as the pre-commit hooks
	$(PY) -m yamllint --strict .
	$(PY) -m ruff check --force-exclude .
	$(PY) -m macros.codeowners --check
	$(MAKE) --no-print-directory check

codeowners: $(VENV)/.site  ## Regenerate .github/CODEOWNERS from the owners fields in data/
	$(PY) -m macros.codeowners

clean:
	rm -rf site .pytest_cache
