"""A machine without any CJK font (no fonts-noto-cjk) shows the same Chinese as this one.

tests/fonts-no-cjk.conf is a fontconfig setup that hides every system CJK font (.ci/run
runs the whole suite under it). Here a child process under that setup first proves the
hiding works (fontconfig and Qt see no CJK family; Chinese set in the UI font comes out
as missing glyphs), then registers the bundled face as the cockpit does at start and
checks every glyph of Chinese UI text comes from it, and that a label looks the same as
in this process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CONF = Path(__file__).with_name("fonts-no-cjk.conf")
SAMPLE = "产业大脑驾驶舱 柯桥区 规上工业增加值 36.7 亿元 ✓ × 与标注酒龄相符"

CHILD = r"""
import json, sys
from PySide6.QtWidgets import QApplication, QLabel
from PySide6.QtGui import QFontDatabase, QTextLayout
app = QApplication([])
from widgets import theme

def runs(font, text):
    lay = QTextLayout(text, font)
    lay.beginLayout(); lay.createLine(); lay.endLayout()
    out = []
    for run in lay.glyphRuns():
        out.append([run.rawFont().familyName(), sum(1 for g in run.glyphIndexes() if g == 0)])
    return out

res = {"families": [f for f in QFontDatabase.families()
                    if "CJK" in f or "Han" in f or "Hei" in f or "Noto Sans SC" in f]}
if sys.argv[1] == "without":
    res["runs"] = runs(theme.pixel_font(24), sys.argv[2])
else:
    from cockpit import fonts
    res["registered"] = fonts.register()
    res["runs"] = runs(theme.pixel_font(24), sys.argv[2])
    res["bold_runs"] = runs(theme.pixel_font(24, bold=True), sys.argv[2])
    lab = QLabel(sys.argv[2]); lab.setFont(theme.pixel_font(24)); lab.resize(900, 60)
    lab.setStyleSheet("background: white; color: black")
    lab.grab().save(sys.argv[3])
print(json.dumps(res))
"""


def _child(mode: str, tmp_path: Path) -> dict:
    env = {**os.environ, "FONTCONFIG_FILE": str(CONF), "QT_QPA_PLATFORM": "offscreen",
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    root = Path(__file__).resolve().parent.parent
    r = subprocess.run([sys.executable, "-c", CHILD, mode, SAMPLE, str(tmp_path / "isolated.png")],
                       env=env, cwd=root, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fontconfig")
def test_the_isolation_hides_every_system_cjk_font(tmp_path):
    if shutil.which("fc-list"):
        env = {**os.environ, "FONTCONFIG_FILE": str(CONF), "XDG_CACHE_HOME": str(tmp_path / "cache")}
        out = subprocess.run(["fc-list", ":lang=zh", "family"], env=env, capture_output=True, text=True).stdout
        assert out.strip() == "", f"fontconfig still finds Chinese fonts: {out}"
    res = _child("without", tmp_path)
    assert res["families"] == []
    # without the bundled face Chinese has no glyph at all: boxes (the check can fail)
    assert sum(n for _fam, n in res["runs"]) >= 7, res


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fontconfig")
def test_with_only_the_bundled_face_every_chinese_glyph_is_drawn_from_it(tmp_path, qapp):
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QLabel

    from widgets import theme

    res = _child("with", tmp_path)
    assert res["families"] == [] and sorted(res["registered"]) == ["B612", "Cockpit Sans SC"]  # text, figures
    for key in ("runs", "bold_runs"):
        assert all(n == 0 for _fam, n in res[key]), f"missing glyphs: {res[key]}"
        assert "Cockpit Sans SC" in {fam for fam, _n in res[key]}, res[key]
    # the same label drawn here (where the system may have Noto Sans CJK) looks the same
    lab = QLabel(SAMPLE)
    lab.setFont(theme.pixel_font(24))
    lab.resize(900, 60)
    lab.setStyleSheet("background: white; color: black")
    here = lab.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    there = QImage(str(tmp_path / "isolated.png")).convertToFormat(QImage.Format.Format_Grayscale8)
    assert here.size() == there.size()
    diff = sum(abs(here.pixelColor(x, y).value() - there.pixelColor(x, y).value())
               for y in range(0, here.height(), 2) for x in range(0, here.width(), 2))
    ink = sum(255 - here.pixelColor(x, y).value() for y in range(0, here.height(), 2)
              for x in range(0, here.width(), 2))
    assert ink > 0 and diff / ink < 0.02, f"the label differs: {diff} of {ink} ink"
