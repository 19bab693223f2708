"""Diagnostics overlay: shown and hidden by toggle, its rows, what it measures, plain text.

The overlay's clock is the test's (``clock=``), so rates are exact: frames and updates
counted over a known number of seconds. Frames are driven by real repaints of the window
(a label's text changed, the event loop run), not by calling the counter.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import Clock
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from cockpit.ui.diagnostics import DiagnosticsOverlay, format_duration, percentile


@pytest.fixture
def window(qtbot) -> QMainWindow:
    w = QMainWindow()
    w.setCentralWidget(QLabel("大屏"))
    w.resize(1280, 720)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def values(overlay: DiagnosticsOverlay) -> dict[str, str]:
    return dict(overlay.rows())


def test_toggle_shows_and_hides_over_the_top_right(window: QMainWindow, qtbot) -> None:
    ov = DiagnosticsOverlay(window, lambda: {"连接": "在线 · 实时推送"}, "zh")
    assert not ov.isVisible()
    assert ov.toggle() is True and ov.isVisible()
    assert ov.parent() is window
    g, area = ov.geometry(), window.centralWidget().geometry()
    assert area.contains(g), (g, area)
    assert area.right() - g.right() < 30 and g.top() - area.top() < 30, "not in the top right corner"
    assert g.width() < window.width() * 0.6 and g.height() < window.height() * 0.6
    assert ov._timer.isActive()
    window.resize(1600, 900)  # follows the window's corner
    qtbot.waitUntil(lambda: window.centralWidget().geometry().right() - ov.geometry().right() < 30)
    assert ov.toggle() is False and not ov.isVisible()
    assert not ov._timer.isActive()


def test_rows_hold_the_collected_values_then_the_measured_ones(window: QMainWindow) -> None:
    clock = Clock()
    collected = {"连接": "在线 · 实时推送", "缓存": "12.5 MB · 最新 10:15:30", "心跳": "10:15:02 已送达"}
    ov = DiagnosticsOverlay(window, lambda: dict(collected), "zh", clock=clock)
    ov.toggle()
    labels = [k for k, _ in ov.rows()]
    assert labels[:3] == ["连接", "缓存", "心跳"]
    assert labels[3:] == ["帧率", "数据更新", "请求延迟", "内存", "运行时间"]
    v = values(ov)
    assert v["缓存"] == "12.5 MB · 最新 10:15:30"
    assert v["帧率"] == "—" and v["数据更新"] == "—"  # one sample: no rate yet
    assert v["请求延迟"] == "近一分钟无请求"
    assert v["内存"].endswith(" MB") and int(v["内存"].split()[0]) > 10
    assert v["运行时间"].count(":") == 2
    collected["连接"] = "离线 · connection refused"
    clock.t += 1
    ov.refresh()
    assert values(ov)["连接"] == "离线 · connection refused"
    assert "连接: 离线 · connection refused" in ov.text()


def test_frames_and_updates_per_second_are_measured(window: QMainWindow, qtbot) -> None:
    clock = Clock()
    ov = DiagnosticsOverlay(window, None, "en", clock=clock, interval_ms=3_600_000)  # refreshed by the test
    ov.toggle()
    qtbot.wait(50)
    frames0 = ov.frames
    label = window.centralWidget()
    assert isinstance(label, QLabel)
    for i in range(20):  # 20 repaint passes of the window
        label.setText(f"大屏 {i}")
        QApplication.processEvents()
    painted = ov.frames - frames0
    assert painted >= 20
    for _ in range(50):
        ov.note_update()
    ov.note_update(10)
    ov._samples.clear()
    ov._samples.append((clock.t - 2.0, frames0, ov.updates - 60))  # the sample 2 s ago
    ov.refresh()
    assert ov.ups == pytest.approx(30.0)
    assert ov.fps == pytest.approx(painted / 2.0)
    v = values(ov)
    assert v["Updates/s"] == "30.0 /s"
    assert v["Frames/s"] == f"{painted / 2.0:.1f} /s"
    # rates are over the last 5 s: older samples drop out
    clock.t += 10
    ov.refresh()
    assert ov.ups == pytest.approx(0.0)


def test_frames_are_not_counted_while_hidden(window: QMainWindow) -> None:
    ov = DiagnosticsOverlay(window, None, "zh")
    label = window.centralWidget()
    assert isinstance(label, QLabel)
    for i in range(5):
        label.setText(str(i))
        QApplication.processEvents()
    assert ov.frames == 0


def test_latency_last_p50_p95_over_the_last_minute(window: QMainWindow) -> None:
    clock = Clock()
    ov = DiagnosticsOverlay(window, None, "en", clock=clock)
    ov.note_latency(5000)  # a minute and more ago: dropped
    clock.t += 61
    for ms in range(1, 101):  # 1 … 100 ms
        ov.note_latency(float(ms))
    ov.note_latency(float("nan"))  # ignored
    ov.note_latency(7.25)
    ov.toggle()
    assert values(ov)["Request latency"] == "last 7.2 · p50 50 · p95 95 ms (101 in 1 min)"
    clock.t += 61
    ov.refresh()
    assert values(ov)["Request latency"] == "no request in the last minute"


def _ink_columns(ov: DiagnosticsOverlay, row: int) -> int:
    """How many pixel columns of row ``row`` (0: the title) hold light text."""
    img = ov.grab().toImage()
    _, _, line = ov._layout
    pad = ov.fontMetrics().height() // 2
    y0, y1 = pad + row * line, pad + (row + 1) * line
    return sum(
        1 for x in range(img.width())
        if any(img.pixelColor(x, y).lightness() > 150 for y in range(y0 + 2, min(y1, img.height()) - 2))
    )


def test_values_are_plain_text(window: QMainWindow) -> None:
    collected = {"<i>label</i>": "<b>x</b>"}
    ov = DiagnosticsOverlay(window, lambda: dict(collected), "en")
    ov.toggle()
    assert values(ov)["<i>label</i>"] == "<b>x</b>"
    assert "<i>label</i>: <b>x</b>" in ov.text()
    literal = _ink_columns(ov, 1)
    collected["<i>label</i>"] = "x"
    ov.refresh()
    bare = _ink_columns(ov, 1)
    # drawn as typed: "<b>" and "</b>" take room; as markup they would leave one bold "x"
    assert literal > bare + 5 * ov.fontMetrics().horizontalAdvance("b"), (literal, bare)


def test_a_collect_that_raises_shows_the_error_and_is_logged_once(window: QMainWindow,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> dict[str, str]:
        raise KeyError("cache")

    caplog.set_level(logging.WARNING)
    ov = DiagnosticsOverlay(window, broken, "zh")
    ov.toggle()
    ov.refresh()
    ov.refresh()
    assert values(ov)["采集出错"] == "KeyError: 'cache'"
    assert "帧率" in values(ov)  # the own rows still come
    assert len([r for r in caplog.records if r.name == "cockpit.ui.diagnostics"]) == 1


def test_language_switch(window: QMainWindow) -> None:
    ov = DiagnosticsOverlay(window, None, "zh")
    ov.toggle()
    assert "内存" in values(ov)
    ov.set_lang("en")
    assert "Memory" in values(ov) and "内存" not in values(ov)


def test_helpers() -> None:
    assert percentile([3.0], 95) == 3.0
    assert percentile([float(i) for i in range(1, 21)], 50) == 10.0
    assert percentile([float(i) for i in range(1, 21)], 95) == 19.0
    assert format_duration(3 * 86400 + 4 * 3600 + 5 * 60 + 6) == "3 d 04:05:06"
    assert format_duration(59) == "00:00:59"


def test_the_process_exits_cleanly_with_the_overlay_shown(tmp_path: Path) -> None:
    """A window left open at interpreter exit is destroyed by PySide's clean-up, which hides
    its children: an overlay that reacted to that in Python crashed the process then."""
    script = tmp_path / "exit.py"
    script.write_text(
        "from PySide6.QtWidgets import QApplication, QLabel, QMainWindow\n"
        "from cockpit.ui.diagnostics import DiagnosticsOverlay\n"
        "app = QApplication([])\n"
        "w = QMainWindow(); w.setCentralWidget(QLabel('x')); w.resize(800, 600); w.show()\n"
        "ov = DiagnosticsOverlay(w, lambda: {'a': 'b'})\n"
        "ov.toggle()\n"
        "app.processEvents()\n"
    )
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, timeout=60, cwd=root)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
