"""The test guards themselves: the leak fixture of tests/conftest.py fails a test that
leaves a running QTimer, a running QThread or a top-level window behind, and the suite's
settings make an unknown marker and a warning from the project's own code errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent

LEAKY = textwrap.dedent('''
    import warnings

    import pytest
    from PySide6.QtCore import QThread, QTimer
    from PySide6.QtWidgets import QWidget

    KEEP = []


    def test_timer(qapp):
        t = QTimer()
        t.start(1000)
        KEEP.append(t)


    def test_thread(qapp):
        class Sleeper(QThread):
            def run(self):
                self.msleep(2000)

        th = Sleeper()
        th.start()
        KEEP.append(th)


    def test_window(qapp):
        w = QWidget()
        w.setObjectName("forgotten")
        w.show()
        KEEP.append(w)


    def test_clean(qtbot):
        w = QWidget()
        qtbot.addWidget(w)
        t = QTimer(w)
        t.start(1000)
        w.show()


    @pytest.mark.leaks_qt("said so")
    def test_allowed(qapp):
        t = QTimer()
        t.start(1000)
        KEEP.append(t)


    @pytest.mark.no_such_marker
    def test_misspelt_marker():
        pass
''')


def test_leaks_fail_the_test_that_leaks(tmp_path):
    shutil.copy(HERE / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_leaky.py").write_text(LEAKY, "utf-8")
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\naddopts = -p no:cacheprovider --strict-markers\nqt_api = pyside6\n"
        "markers =\n    leaks_qt(why): allowed\n", "utf-8")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rA", "test_leaky.py"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    out = proc.stdout + proc.stderr
    # an unknown marker stops the run at collection: shown first, then run without it
    assert "'no_such_marker' not found in `markers` configuration option" in out, out[-3000:]
    text = LEAKY.replace("@pytest.mark.no_such_marker\n", "")
    (tmp_path / "test_leaky.py").write_text(text, "utf-8")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rA", "test_leaky.py"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    out = proc.stdout
    errors = {line.split(" ")[1] for line in out.splitlines() if line.startswith("ERROR test_leaky.py::")}
    assert errors == {"test_leaky.py::test_timer", "test_leaky.py::test_thread", "test_leaky.py::test_window"}, out
    assert "leak guard: 1 QTimer(s) still running" in out
    assert "leak guard: 1 QThread(s) still running" in out
    assert "leak guard: 1 top-level widget(s) left alive: QWidget('forgotten')" in out
