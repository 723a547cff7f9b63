# IMAG'IN: the two commands are `make run` and `make test`; everything else is here to serve them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-server lint format bench screenshots openapi access-matrix bootstrap clean \
	lock licences package

$(STAMP): pyproject.toml scripts/bootstrap.sh requirements/dev.txt requirements/pip.txt
	@bash scripts/bootstrap.sh "$(PYTHON)" "$(VENV)"
	@touch $(STAMP)

bootstrap: $(STAMP)

run: $(STAMP)
	$(BIN)/imagin --demo

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

openapi: $(STAMP)
	$(BIN)/python -m server_stub.openapi docs/openapi.json

access-matrix: $(STAMP)
	$(BIN)/python -m tests.server_stub.api.access_matrix docs/access-matrix.md

# Every benchmark, even when one misses its target, then one table of the judged figures.
bench: $(STAMP)
	$(BIN)/python bench/run_all.py

screenshots: $(STAMP)
	xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/python scripts/screenshots.py

# After any change of dependencies in pyproject.toml: rewrite the hashed locks, then install them.
lock: $(STAMP)
	bash scripts/lock.sh
	@bash scripts/bootstrap.sh "$(PYTHON)" "$(VENV)"
	@touch $(STAMP)

# The desktop client as a PyInstaller folder, a .deb and a tarball, in dist/ (scripts/package.sh).
package: $(STAMP)
	bash scripts/package.sh dist

# The licence of every locked dependency, checked against EUPL-1.2 (a test keeps it current).
licences: $(STAMP)
	$(BIN)/python scripts/licences.py docs/licences.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
