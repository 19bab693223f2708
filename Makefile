# Two commands set everything up on a fresh Linux machine (see README):
#   make run    creates .venv, installs the cockpit, opens the window (embedded API)
#   make test   creates .venv, installs the cockpit with test tools, lints, runs the tests
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
ARGS   ?=

.PHONY: run test lint pytest dist dist-check bench screenshots translations clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s); set PYTHON=python3.12 for example" % sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	$(BIN)/cockpit $(ARGS)

test: lint pytest

lint: $(STAMP)
	$(BIN)/ruff check cockpit widgets tests bench main.py
	$(BIN)/lint-imports
	$(BIN)/mypy

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

# one-folder app with PyInstaller, then check it starts and shows data
dist: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[dist]'
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN cockpit.spec

dist-check: dist
	QT_QPA_PLATFORM=offscreen dist/cockpit/cockpit --size 1280x720 --cache memory --screenshot build/dist-check.png --report build/dist-check.json
	$(BIN)/python -c 'import json; r=json.load(open("build/dist-check.json")); assert len(r["tabs"]) >= 6, r; print("dist app OK:", len(r["tabs"]), "tabs,", r["connection"]["state"])'

# the side-by-side peer benchmark: ECharts in Chromium, the Qt floor and this cockpit
# (figures printed, nothing asserted)
bench: $(STAMP)
	bench/peer.sh $(ARGS)

# bring resources/i18n/cockpit_en.ts in step with cockpit/ui/text.py, compile the .qm
translations: $(STAMP)
	$(BIN)/python -m cockpit.ui.text --compile

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/make_screenshots.py

clean:
	rm -rf build dist .pytest_cache
