# IMAG'IN: the two commands are `make run` and `make test`; everything else is here to serve them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-server lint format bench screenshots openapi bootstrap clean

$(STAMP): pyproject.toml scripts/bootstrap.sh
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

bench: $(STAMP)
	$(BIN)/python bench/server_load.py
	$(BIN)/python bench/dec_bulk.py
	$(BIN)/python bench/assignment.py
	$(BIN)/python bench/recap_pdf.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/client_startup.py

screenshots: $(STAMP)
	xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/python -m client.ui.help.screenshots

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
