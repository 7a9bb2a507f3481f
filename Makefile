# Storyline — the two set-up commands of the README are `make demo` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install system-deps eval bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium (PDF output, screenshots, browser tests; never a browser download) and
# poppler-utils (PDF to PNG checks)
system-deps:
	@{ command -v chromium >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	  else echo "note: chromium not installed (sudo apt-get install chromium): PDF and browser tests will be skipped"; fi; }

demo: install
	$(BIN)/storyline ingest examples/demo --db out/demo.db
	$(BIN)/storyline zones add "Sentosa summit area" --geojson examples/demo-zones.geojson --replace --db out/demo.db
	$(BIN)/storyline brief --db out/demo.db -o out/demo
	@echo "briefing: out/demo/brief.html"

test: install system-deps
	$(BIN)/python -m pytest -q

eval: install
	$(BIN)/storyline eval all --write-readme

bench: install
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf out .pytest_cache test-artifacts
