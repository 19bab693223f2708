"""Export: PNG and PDF of a tab, CSV of a chart, file names — checked by what the files hold.

The PDF is read back without any PDF tool (``pdftotext`` is not installed everywhere):
:func:`pdf_text` inflates the content streams (zlib), collects the glyph ids each text
operator shows (``<0001> Tj``, QPdfWriter writes 2-byte glyph ids of a subset font) and
maps them back to Unicode through each font's ``/ToUnicode`` CMap (``bfchar`` and
``bfrange``). Two things Qt's CMap does that a reader must undo: a glyph shared by two
code points maps to the lower one (大 U+5927 comes back as the Kangxi radical ⼤ U+2F24,
至 as ⾄ …) and the space glyph comes back as a tab — so the text is NFKC-normalised and
whitespace collapsed before comparing (PDF readers do the same when searching).
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import struct
import time
import unicodedata
import zlib
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from cockpit.central.simulator import Simulator
from cockpit.hub.hub import HubStatus, LinkState
from cockpit.ui.brain_tab import BrainTab
from cockpit.ui.export import (
    ExportError,
    chart_rows,
    charts_in,
    choose_path,
    default_name,
    export_csv,
    export_pdf,
    export_png,
)
from widgets.trend_chart import TrendChart

TITLE = "印染 · 产业大脑驾驶舱"
SOURCE = "内置模拟接口 · 演示数据"
AS_OF = "2026-11-27 10:15:30"


# ---- reading a PDF back -------------------------------------------------------------------


def _objects(data: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S)}


def _stream(obj: bytes) -> bytes:
    m = re.search(rb"stream\r?\n(.*?)\r?\nendstream", obj, re.S)
    assert m, "object has no stream"
    raw = m.group(1)
    return zlib.decompress(raw) if b"/FlateDecode" in obj else raw


def _hex_units(h: bytes) -> list[int]:
    h = re.sub(rb"\s", b"", h)
    return [int(h[i : i + 4], 16) for i in range(0, len(h), 4)]


def _cmap(text: bytes) -> dict[int, str]:
    """glyph id -> Unicode text, from a ToUnicode CMap."""
    out: dict[int, str] = {}

    def uni(h: bytes) -> str:
        units = _hex_units(h)
        return struct.pack(f">{len(units)}H", *units).decode("utf-16-be")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(src, 16)] = uni(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, rest in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)", block):
            a, b = int(lo, 16), int(hi, 16)
            if rest.startswith(b"["):
                for i, dst in enumerate(re.findall(rb"<([0-9A-Fa-f]+)>", rest)):
                    out[a + i] = uni(dst)
            else:
                start = int(rest[1:-1], 16)
                for i in range(b - a + 1):
                    out[a + i] = chr(start + i)
    return out


def pdf_text(data: bytes) -> str:
    """The text a PDF written by QPdfWriter shows, in drawing order (see the module doc)."""
    objs = _objects(data)
    fonts: dict[bytes, dict[int, str]] = {}  # resource name (/F11) -> CMap
    for body in objs.values():
        for m in re.finditer(rb"/Font\s*<<(.*?)>>", body, re.S):
            for name, ref in re.findall(rb"/(\w+)\s+(\d+) 0 R", m.group(1)):
                font = objs.get(int(ref), b"")
                tu = re.search(rb"/ToUnicode\s+(\d+) 0 R", font)
                if tu:
                    fonts[name] = _cmap(_stream(objs[int(tu.group(1))]))
    assert fonts, "no font with a ToUnicode map: the text was not embedded as text"
    parts: list[str] = []
    for body in objs.values():
        if b"stream" not in body or b"/ToUnicode" in body:
            continue
        try:
            content = _stream(body)
        except zlib.error:
            continue  # an image or a font program
        if b"BT" not in content:
            continue
        current: dict[int, str] = {}
        for m in re.finditer(rb"/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj|\[((?:[^\]])*)\]\s*TJ", content):
            if m.group(1):
                current = fonts.get(m.group(1), {})
            elif m.group(2) is not None:
                parts.append("".join(current.get(g, "?") for g in _hex_units(m.group(2))))
            elif m.group(3) is not None:
                for h in re.findall(rb"<([0-9A-Fa-f]*)>", m.group(3)):
                    parts.append("".join(current.get(g, "?") for g in _hex_units(h)))
    return unicodedata.normalize("NFKC", "".join(parts))


def squash(text: str) -> str:
    """Without white space: a line drawn in two fonts (Latin, CJK) is several text objects,
    and where the spaces between them go is the PDF's business."""
    return re.sub(r"\s+", "", text)


def assert_shows(text: str, *wanted: str) -> None:
    for w in wanted:
        assert squash(w) in squash(text), f"{w!r} not in the PDF's text: {text[:400]!r}"


# ---- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def tab(qtbot) -> BrainTab:
    """The dyeing tab with live values and two hours of chart history."""
    sim = Simulator(seed=3)
    t = BrainTab(sim.brain("dyeing"), "zh")
    qtbot.addWidget(t)
    t.resize(1600, 900)
    now = int(time.time()) * 1000
    t.apply_snapshot(sim.snapshot("dyeing", now), now)
    history = {}
    for m in t.history_metrics():
        s = sim.series(m.id, now - 2 * 3600_000, now, 60)
        history[m.id] = s.arrays()
    t.load_history(history)
    t.refresh_states(now, HubStatus(LinkState.LIVE))
    t.show()
    qtbot.waitExposed(t)
    for c in charts_in(t):
        c.flush()
    return t


# ---- PNG ------------------------------------------------------------------------------------


def test_png_is_the_tab_at_1x_and_2x(tab: BrainTab, tmp_path: Path) -> None:
    one = export_png(tab, tmp_path / "tab.png")
    two = export_png(tab, tmp_path / "tab@2x.png", scale=2)
    a, b = QImage(str(one)), QImage(str(two))
    assert (a.width(), a.height()) == (1600, 900)
    assert (b.width(), b.height()) == (3200, 1800)
    # the same picture: the 2x one scaled down matches the 1x one closely
    small = b.scaled(a.size()).convertToFormat(QImage.Format.Format_RGB32)
    a32 = a.convertToFormat(QImage.Format.Format_RGB32)
    diffs = []
    for y in range(5, 900, 37):
        for x in range(5, 1600, 41):
            ca, cb = a32.pixelColor(x, y), small.pixelColor(x, y)
            diffs.append(abs(ca.red() - cb.red()) + abs(ca.green() - cb.green()) + abs(ca.blue() - cb.blue()))
    assert np.median(diffs) < 12, "the 2x export does not show the same tab"
    colours = {a32.pixel(x, y) for y in range(0, 900, 9) for x in range(0, 1600, 9)}
    assert len(colours) > 50, "an empty picture"
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".part"], "a temporary file was left"


def test_an_unwritable_path_raises_a_clear_export_error(tab: BrainTab, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist") as err:
        export_png(tab, tmp_path / "no" / "such" / "folder" / "x.png")
    assert err.value.path.name == "x.png"
    with pytest.raises(ExportError, match="folder"):
        export_png(tab, tmp_path)  # a folder, not a file
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        try:
            with pytest.raises(ExportError, match="ermission denied"):
                export_pdf(tab, locked / "x.pdf", TITLE, AS_OF, SOURCE)
        finally:
            locked.chmod(0o700)
    with pytest.raises(ValueError, match="scale"):
        export_png(tab, tmp_path / "x.png", scale=0)


def test_an_existing_file_is_replaced_whole(tab: BrainTab, tmp_path: Path) -> None:
    target = tmp_path / "report.png"
    target.write_bytes(b"old")
    export_png(tab, target)
    assert target.read_bytes().startswith(b"\x89PNG")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.png"]


# ---- PDF ------------------------------------------------------------------------------------


def test_pdf_is_one_a4_landscape_page_with_chinese_title_time_and_source_embedded(
    tab: BrainTab, tmp_path: Path
) -> None:
    out = export_pdf(tab, tmp_path / "tab.pdf", TITLE, AS_OF, SOURCE, "zh",
                     now=datetime(2026, 11, 27, 10, 16, 2))
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) == 1, "not exactly one page"
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert box and round(float(box.group(1))) == 842 and round(float(box.group(2))) == 595  # A4 landscape, pt
    # the CJK font is embedded (a subset with its font program), not referenced
    assert re.search(rb"/BaseFont\s*/\w*CockpitSansSC", data), "the bundled CJK font is not in the PDF"
    assert re.search(rb"/FontFile[23]?\s+\d+ 0 R", data), "no font program embedded"
    text = pdf_text(data)
    assert_shows(text, TITLE, f"数据截至 {AS_OF}", f"数据来源:{SOURCE}",  # "：" is NFKC ":"
                 "导出时间 2026-11-27 10:16:02")
    # the tab itself is drawn as vectors: its panel texts are text in the PDF too
    assert_shows(text, "开机率", "· 趋势")


def test_pdf_in_english_with_epoch_ms_and_as_an_image(tab: BrainTab, tmp_path: Path) -> None:
    as_of_ms = int(datetime(2026, 11, 27, 10, 15, 30, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp() * 1000)
    out = export_pdf(tab, tmp_path / "tab-en.pdf", "Printing & dyeing · Industry Brain Cockpit", as_of_ms,
                     "http://10.0.0.8:8765", "en", vector=False)
    data = out.read_bytes()
    text = pdf_text(data)
    assert_shows(text, "Printing & dyeing · Industry Brain Cockpit", "Data as of 2026-11-27 10:15:30",
                 "Source: http://10.0.0.8:8765")
    assert "开机率" not in text, "vector=False draws the tab as a picture"
    assert re.search(rb"/Subtype\s*/Image", data), "no image of the tab"


def test_pdf_without_data_says_so_with_a_dash(tab: BrainTab, tmp_path: Path) -> None:
    text = pdf_text(export_pdf(tab, tmp_path / "x.pdf", TITLE, None, SOURCE).read_bytes())
    assert_shows(text, "数据截至 —")


# ---- CSV ------------------------------------------------------------------------------------


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM (Excel would garble the Chinese headers)"
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


def test_csv_rows_are_the_charts_points_exactly(tab: BrainTab, tmp_path: Path) -> None:
    chart = charts_in(tab)[0]
    chart.append(0, chart.series_data(0)[0][-1] + 60, None)  # a gap at the end
    cols, rows = chart_rows(chart)
    out = export_csv(tmp_path / "chart.csv", cols, rows)
    table = read_csv(out)
    assert table[0] == ["时间", "时间戳(毫秒)", "开机率 (%)"]
    xs, ys = chart.series_data(0)
    assert len(table) - 1 == len(xs) > 100
    for (iso, ms, cell), x, y in zip(table[1:], xs, ys, strict=True):
        assert int(ms) == round(x * 1000)
        assert datetime.fromisoformat(iso).timestamp() == pytest.approx(x, abs=1e-3)
        if math.isnan(y):
            assert cell == "", "a gap must stay empty, never 0"
        else:
            assert float(cell) == y  # exactly: no rounding
    assert table[-1][2] == ""


def test_csv_of_several_series_leaves_missing_points_empty(qtbot, tmp_path: Path) -> None:
    chart = TrendChart()
    qtbot.addWidget(chart)
    a = chart.add_series("产量 (万米)")
    b = chart.add_series("=HYPERLINK(\"x\")")  # a name from the API is data, not a formula
    t0 = 1_795_766_100.0
    chart.set_history(a, np.array([t0, t0 + 1, t0 + 2]), np.array([1.5, np.nan, 0.0]))
    chart.set_history(b, np.array([t0 + 1, t0 + 3]), np.array([-2.25, 1e-7]))
    cols, rows = chart_rows(chart, lang="en")
    assert cols == ["Time", "epoch_ms", "产量 (万米)", "=HYPERLINK(\"x\")"]
    assert [r[1:] for r in rows] == [
        [1_795_766_100_000, 1.5, None],
        [1_795_766_101_000, None, -2.25],
        [1_795_766_102_000, 0.0, None],
        [1_795_766_103_000, None, 1e-7],
    ]
    table = read_csv(export_csv(tmp_path / "two.csv", cols, rows))
    assert table[0][3] == "'=HYPERLINK(\"x\")"
    assert [r[2:] for r in table[1:]] == [["1.5", ""], ["", "-2.25"], ["0.0", ""], ["", "1e-07"]]


def test_csv_of_every_chart_of_a_tab_and_repeated_names(tab: BrainTab, tmp_path: Path) -> None:
    charts = charts_in(tab)
    cols, rows = chart_rows([*charts, charts[0]])
    n = sum(1 for c in charts for i in range(c.series_count()) if c.series_visible(i))  # last year's: hidden live
    assert len(cols) == 2 + n + 1 and cols[-1] == f"{cols[2]} (2)"
    assert all(len(r) == len(cols) for r in rows)
    with pytest.raises(ValueError, match="row 0"):
        export_csv(tmp_path / "bad.csv", ["a", "b"], [[1]])


# ---- names ----------------------------------------------------------------------------------


def test_default_names() -> None:
    now = datetime(2026, 11, 27, 10, 15, 30)
    assert default_name("印染", "png", now) == "印染_20261127-101530.png"
    assert default_name("集成电路 IC", "pdf", now) == "集成电路_IC_20261127-101530.pdf"
    assert default_name('a/b\\c:d*e?f"g<h>i|j\x00', "csv", now) == "a_b_c_d_e_f_g_h_i_j_20261127-101530.csv"
    assert default_name("  ..  ", "png", now) == "cockpit_20261127-101530.png"
    assert default_name("CON", "png", now) == "_CON_20261127-101530.png"
    long = default_name("长" * 300, "png", now)
    assert long.startswith("长" * 40 + "_") and len(long.encode()) < 255  # file systems count bytes
    with pytest.raises(ValueError):
        default_name("x", "exe", now)


def test_plain_widgets_export_too(qtbot, tmp_path: Path) -> None:
    w = QWidget()
    box = QVBoxLayout(w)
    label = QLabel("企业码 <b>not bold</b>")
    label.setTextFormat(Qt.TextFormat.PlainText)
    box.addWidget(label)
    qtbot.addWidget(w)
    w.resize(400, 200)
    w.show()
    text = pdf_text(export_pdf(w, tmp_path / "w.pdf", "企业码", AS_OF, SOURCE).read_bytes())
    assert_shows(text, "企业码", "<b>not bold</b>")  # a plain-text label: shown as typed
    assert charts_in(w) == []


def test_the_save_dialog_answers_by_callback(qtbot, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    chosen: list[Path] = []
    dlg = choose_path(parent, "pdf", tmp_path / default_name("印染", "pdf"), chosen.append, "zh")
    assert dlg.isVisible() and dlg.isModal()
    dlg.selectFile(str(tmp_path / "报告"))
    dlg.accept()
    assert chosen == [tmp_path / "报告.pdf"]


def test_pdf_lists_where_each_figure_comes_from(tab: BrainTab, tmp_path: Path) -> None:
    """口径 (scope), source and cadence of every figure of the tab, after its picture."""
    notes = tab.provenance_notes()
    names = [n for n, _ in notes]
    assert any(n.startswith("开机率") for n in names) and any(n.startswith("废水COD") for n in names)
    assert all("口径" in d and "来源" in d and "更新频率" in d for _, d in notes), notes[:2]
    out = export_pdf(tab, tmp_path / "tab.pdf", TITLE, AS_OF, SOURCE, "zh", notes=notes)
    data = out.read_bytes()
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) >= 2, "no page after the picture"
    text = pdf_text(data)
    assert_shows(text, "数据口径与来源", "口径", "更新频率")
