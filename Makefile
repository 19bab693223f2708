# Two commands set everything up on a fresh Linux machine (see README):
#   make run    creates .venv, installs the cockpit, opens the window (embedded API)
#   make test   creates .venv, installs the cockpit with test tools, lints, runs the tests
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
ARGS   ?=

.PHONY: run test lint pytest qt-check dist dist-check wheel wheel-check font bench screenshots translations clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s); set PYTHON=python3.12 for example" % sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

# one clear line naming the Debian packages when Qt's runtime libraries are missing
qt-check: $(STAMP)
	@$(BIN)/python .ci/tools/check_qt.py

run: qt-check
	$(BIN)/cockpit $(ARGS)

test: lint pytest

lint: $(STAMP)
	$(BIN)/ruff check cockpit widgets tests bench .ci/tools main.py setup.py
	$(BIN)/lint-imports
	$(BIN)/mypy

pytest: qt-check
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

# one-folder app with PyInstaller, then check it starts and shows data
dist: qt-check
	$(BIN)/python -m pip install -q -e '.[dist]'
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN cockpit.spec

dist-check: dist
	QT_QPA_PLATFORM=offscreen dist/cockpit/cockpit --size 1280x720 --cache memory --screenshot build/dist-check.png --report build/dist-check.json
	$(BIN)/python .ci/tools/check_report.py build/dist-check.json "dist app"

# the wheel a packager or an IT department installs, then the check that it carries
# everything: installed into a clean venv outside the checkout, it shows the same screens
# (python -m build makes the sdist, then the wheel from the sdist: both must carry everything)
wheel: $(STAMP)
	rm -rf build/wheel && mkdir -p build
	$(BIN)/python -m pip install -q 'build>=1.2,<2'
	$(BIN)/python -m build -o build/wheel . > build/wheel.log 2>&1 || { tail -20 build/wheel.log; exit 1; }
	@ls -l build/wheel

wheel-check: wheel qt-check
	$(BIN)/python .ci/tools/wheel_check.py build/wheel/industry_brain_cockpit-*.whl

# regenerate the bundled CJK font subset (resources/fonts) from Noto Sans CJK SC
# (Debian: fonts-noto-cjk); fontTools is a build tool here, not a dependency of the app
font: $(STAMP)
	$(BIN)/python -m pip install -q 'fonttools>=4.40,<5'
	$(BIN)/python .ci/tools/make_font.py $(ARGS)

# the side-by-side peer benchmark: ECharts in Chromium, the Qt floor and this cockpit
# (figures printed, nothing asserted)
bench: $(STAMP)
	bench/peer.sh $(ARGS)

# bring resources/i18n/cockpit_en.ts in step with cockpit/ui/text.py, compile the .qm
translations: $(STAMP)
	$(BIN)/python -m cockpit.ui.text --compile

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/make_screenshots.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/make_interact_screenshots.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/make_drill_screenshots.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/make_twin_screenshots.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/make_time_screenshots.py

clean:
	rm -rf build dist .pytest_cache
