"""Export for reports: the shown tab as PNG or PDF, a chart's data as CSV.

* :func:`export_png` — the tab as a picture (``QWidget.grab``), optionally at 2× for print.
* :func:`export_pdf` — one A4 landscape page: a header with the title, the time the data
  is from and its source, the tab drawn as vectors scaled to fit (or as a 2× image), and
  a footer with the export time. Text is embedded in the app's CJK font (a subset, with
  a ToUnicode map, so Chinese can be searched and copied in a PDF reader).
* :func:`export_csv` / :func:`chart_rows` — a trend chart's points, one row per
  timestamp: local time, epoch ms, one column per series; a gap is an empty cell, never
  0. UTF-8 with a BOM so Excel opens Chinese headers correctly.
* :func:`default_name` — ``印染_20261127-101530.png``; :func:`choose_path` — a save
  dialog that does not block the event loop.

Every file is written whole or not at all (a temporary file next to it, then renamed);
a path that cannot be written raises :class:`ExportError` saying why.

What a PDF or a 2× PNG cannot improve: what a panel keeps in its cached static pixmap
(``widgets.Panel``, made at the screen's pixel ratio) comes out at screen
resolution; the rest is drawn afresh (in the PDF as vectors, text as text). Text copied
out of the PDF: Qt maps a glyph shared by two code points to the lower one (大 comes out
as the Kangxi radical ⼤ U+2F24), which PDF readers fold back (NFKC) when searching; and
digits that Noto Sans CJK shapes within a Latin run are left out of the map ("COD · 24小时"
copies as "COD · ??小时"), so the page's own header and footer put a Latin font first.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import os
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QRegion,
)
from PySide6.QtWidgets import QFileDialog, QWidget

from cockpit import __version__
from cockpit.ui.text import local, time_zone, tr
from widgets import theme
from widgets.trend_chart import TrendChart

__all__ = [
    "ExportError",
    "chart_rows",
    "charts_in",
    "choose_path",
    "default_name",
    "export_csv",
    "export_pdf",
    "export_png",
]

KINDS = ("png", "pdf", "csv")
PDF_DPI = 300
PDF_MARGIN_MM = 10.0
IMAGE_SCALE = 2.0  # the PDF's picture of the tab, when not drawn as vectors



def _t(key: str, lang: str, **kw: object) -> str:
    """This module's texts, ``export_*`` in the one table (cockpit/ui/text.py)."""
    return tr(f"export_{key}", lang, **kw)


class ExportError(Exception):
    """An export that could not be written; ``str()`` says which file and why (plain text)."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason}")
        self.path = Path(path)
        self.reason = reason


# ---- file names -----------------------------------------------------------------------

_BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


def _safe_stem(text: str, limit: int = 120) -> str:
    """``text`` as a file-name part on Windows, macOS and Linux (at most ``limit`` UTF-8 bytes)."""
    s = _BAD_CHARS.sub("_", str(text))
    s = re.sub(r"\s+", "_", s.strip())
    s = re.sub(r"_+", "_", s).strip("._ ")
    while len(s.encode("utf-8")) > limit:  # file systems count bytes (255 a name): 40 Chinese characters
        s = s[:-1]
    s = s.rstrip("._ ")
    if not s:
        return "cockpit"
    if _RESERVED.match(s):
        s = "_" + s
    return s


def default_name(tab_title: str, kind: str, now: datetime | None = None) -> str:
    """``<tab title>_<YYYYmmdd-HHMMSS>.<kind>``, e.g. ``印染_20261127-101530.png`` (local time);
    characters a file name may not hold become ``_``."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    when = now or datetime.now(time_zone())
    return f"{_safe_stem(tab_title)}_{when:%Y%m%d-%H%M%S}.{kind}"


def choose_path(
    parent: QWidget,
    kind: str,
    suggested: str | Path,
    on_chosen: Callable[[Path], None],
    lang: str = "zh",
) -> QFileDialog:
    """A save dialog opened with :meth:`QFileDialog.open` (it does not block the event loop);
    ``on_chosen(path)`` is called if the user picks a file (``.<kind>`` added if missing)."""
    dlg = QFileDialog(parent, _t("save_as", lang), str(suggested), _t(f"filter_{kind}", lang))
    dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dlg.setFileMode(QFileDialog.FileMode.AnyFile)
    dlg.setDefaultSuffix(kind)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

    def chosen(name: str) -> None:
        p = Path(name)
        on_chosen(p if p.suffix.lower() == f".{kind}" else p.with_name(p.name + f".{kind}"))

    dlg.fileSelected.connect(chosen)
    dlg.open()
    return dlg


# ---- writing ---------------------------------------------------------------------------


def _write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all; ExportError saying why it could not."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ExportError(path, "it is a folder")
    if not folder.is_dir():
        raise ExportError(path, f"folder {folder} does not exist")
    tmp: Path | None = None
    try:
        # created like any new file (the umask applies), renamed over the target when whole
        tmp = folder / f".{path.name[:60]}.{os.getpid()}-{secrets.token_hex(4)}.part"
        with open(tmp, "xb") as f:
            f.write(data)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise ExportError(path, exc.strerror or str(exc)) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return path


def _image_bytes(img: QImage, fmt: str = "PNG") -> bytes:
    ba = QByteArray()
    buf = QBuffer(ba)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    ok = img.save(buf, fmt)  # type: ignore[call-overload]  # a str works (bytes does not), whatever the stubs say
    buf.close()
    if not ok or ba.isEmpty():
        raise ExportError("(image)", f"could not encode a {img.width()}×{img.height()} {fmt} image")
    return bytes(ba.data())


def _render_image(widget: QWidget, scale: float) -> QImage:
    """The widget and its children drawn into an image of ``scale`` × its size."""
    if not (scale > 0 and math.isfinite(scale)) or scale > 8:
        raise ValueError(f"scale must be in (0, 8], got {scale}")
    size = widget.size()
    if size.isEmpty():
        raise ExportError("(image)", "the widget has no size")
    if scale == 1.0:
        return widget.grab().toImage()
    img = QImage(QSize(math.ceil(size.width() * scale), math.ceil(size.height() * scale)),
                 QImage.Format.Format_ARGB32_Premultiplied)
    img.setDevicePixelRatio(scale)
    img.fill(widget.palette().window().color())
    widget.render(img, QPoint(0, 0), QRegion(widget.rect()))
    return img


def export_png(widget: QWidget, path: str | Path, scale: float = 1.0) -> Path:
    """Save the widget (a tab, the window) as a PNG; ``scale=2`` for print. Returns the path."""
    return _write_bytes(Path(path), _image_bytes(_render_image(widget, scale)))


def _as_of_text(data_as_of: str | int | None) -> str:
    if data_as_of is None:
        return "—"
    if isinstance(data_as_of, int):
        return local(data_as_of).strftime("%Y-%m-%d %H:%M:%S")
    return str(data_as_of)


def _page_families() -> list[str]:
    """The app's families with the CJK ones last: Latin letters and digits then come from a
    Latin font. (Shaped in a Latin run, Noto Sans CJK's digits are glyphs its character map
    does not reach, and QPdfWriter leaves them out of the ToUnicode map: "Data as of
    2026…" would copy as "Data as of ????…". Chinese falls back to the CJK family.)"""
    fams = theme.font_families()
    cjk = [f for f in fams if f in theme.CJK_FAMILIES]
    return [f for f in fams if f not in cjk] + cjk


def _font(point_size: float, bold: bool = False) -> QFont:
    f = QFont()
    f.setFamilies(_page_families())
    f.setPointSizeF(point_size)
    f.setBold(bold)
    return f


def export_pdf(
    widget: QWidget,
    path: str | Path,
    title: str,
    data_as_of: str | int | None,
    source: str,
    lang: str = "zh",
    *,
    vector: bool = True,
    now: datetime | None = None,
    notes: Sequence[tuple[str, str]] = (),
) -> Path:
    """One A4 landscape page: title, "数据截至 …" and source, the widget scaled to fit, and
    the export time. ``data_as_of``: the time text as shown (``"2026-11-27 10:15:30"``), or
    epoch ms, or None ("—"). ``vector``: draw the widget as vectors (text stays text);
    False: as an image at 2× its size. ``notes``: (figure, where it comes from) pairs —
    the scope (口径), source and cadence of each figure on the tab — listed on the pages
    after it, so a printout answers "where does this number come from". Returns the path."""
    path = Path(path)
    ba = QByteArray()
    buf = QBuffer(ba)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buf)
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
        QMarginsF(PDF_MARGIN_MM, PDF_MARGIN_MM, PDF_MARGIN_MM, PDF_MARGIN_MM), QPageLayout.Unit.Millimeter,
    ))
    writer.setTitle(title)
    writer.setCreator(f"{_t('app', lang)} {__version__}")
    p = QPainter()
    if not p.begin(writer):
        raise ExportError(path, "could not start a PDF page")
    try:
        _paint_page(p, writer, widget, title, _as_of_text(data_as_of), source, lang, vector, now or datetime.now(time_zone()))
        if notes:
            _paint_notes(p, writer, title, notes, lang)
    finally:
        p.end()
        buf.close()
    data = bytes(ba.data())
    if not data.startswith(b"%PDF"):
        raise ExportError(path, "the PDF could not be made")
    return _write_bytes(path, data)


def _paint_notes(p: QPainter, writer: QPdfWriter, title: str, notes: Sequence[tuple[str, str]], lang: str) -> None:
    """The figures' provenance, one block per figure, on as many pages as it takes."""
    page = QRectF(writer.pageLayout().paintRectPixels(PDF_DPI))
    w, h = page.width(), page.height()
    ink, dim = QColor("#1a2233"), QColor("#5b6578")
    f_head, f_name, f_text = _font(14, bold=True), _font(10, bold=True), _font(9)
    fm_head, fm_name, fm_text = (QFontMetricsF(f, writer) for f in (f_head, f_name, f_text))
    y = h  # start a new page at the first note

    for name, detail in notes:
        lines = [ln for ln in detail.splitlines() if ln.strip()]
        need = fm_name.height() * 1.2 + sum(
            fm_text.boundingRect(QRectF(0, 0, w, 1e6), Qt.TextFlag.TextWordWrap, ln).height() for ln in lines)
        if y + need > h:
            writer.newPage()
            y = 0.0
            p.setFont(f_head)
            p.setPen(ink)
            p.drawText(QRectF(0, 0, w, fm_head.height()), Qt.AlignmentFlag.AlignLeft,
                       fm_head.elidedText(f"{title} · {_t('notes', lang)}", Qt.TextElideMode.ElideRight, w))
            y = fm_head.height() * 1.5
        p.setFont(f_name)
        p.setPen(ink)
        p.drawText(QRectF(0, y, w, fm_name.height()), Qt.AlignmentFlag.AlignLeft,
                   fm_name.elidedText(name, Qt.TextElideMode.ElideRight, w))
        y += fm_name.height() * 1.1
        p.setFont(f_text)
        p.setPen(dim)
        for ln in lines:
            r = fm_text.boundingRect(QRectF(0, 0, w, 1e6), Qt.TextFlag.TextWordWrap, ln)
            p.drawText(QRectF(0, y, w, r.height()), Qt.TextFlag.TextWordWrap, ln)
            y += r.height()
        y += fm_text.height() * 0.6


def _paint_page(p: QPainter, writer: QPdfWriter, widget: QWidget, title: str, as_of: str, source: str,
                lang: str, vector: bool, now: datetime) -> None:
    page = QRectF(writer.pageLayout().paintRectPixels(PDF_DPI))
    w, h = page.width(), page.height()  # the painter's origin is the top left of this rect
    ink, dim, rule = QColor("#1a2233"), QColor("#5b6578"), QColor("#b8c0cc")
    # header: title, then data time and source on one line
    y = 0.0
    f_title, f_meta, f_foot = _font(18, bold=True), _font(10), _font(8)
    p.setPen(ink)
    p.setFont(f_title)
    fm = QFontMetricsF(f_title, writer)  # at the PDF's resolution, not the screen's
    p.drawText(QRectF(0, y, w, fm.height()), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
               fm.elidedText(title, Qt.TextElideMode.ElideRight, w))
    y += fm.height() * 1.15
    p.setFont(f_meta)
    p.setPen(dim)
    fm = QFontMetricsF(f_meta, writer)
    meta = f"{_t('as_of', lang, t=as_of)}    {_t('source', lang, s=source)}"
    p.drawText(QRectF(0, y, w, fm.height()), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
               fm.elidedText(meta, Qt.TextElideMode.ElideRight, w))
    y += fm.height() * 1.3
    p.fillRect(QRectF(0, y, w, max(1.0, PDF_DPI / 150)), rule)
    y += fm.height() * 0.6
    # footer: export time, app and version
    fm_foot = QFontMetricsF(f_foot, writer)
    foot_h = fm_foot.height() * 1.6
    p.setFont(f_foot)
    p.drawText(QRectF(0, h - fm_foot.height(), w, fm_foot.height()),
               Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
               _t("exported", lang, t=now.strftime("%Y-%m-%d %H:%M:%S")))
    p.drawText(QRectF(0, h - fm_foot.height(), w, fm_foot.height()),
               Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{_t('app', lang)} {__version__}")
    # the tab, scaled to fit the room left, centred
    room = QRectF(0, y, w, h - foot_h - y)
    size = widget.size()
    if size.isEmpty() or room.height() <= 0:
        return
    s = min(room.width() / size.width(), room.height() / size.height())
    target = QRectF(0, 0, size.width() * s, size.height() * s)
    target.moveCenter(room.center())
    target.moveTop(room.top())
    if vector:
        p.save()
        p.translate(target.topLeft())
        p.scale(s, s)
        p.setClipRect(QRectF(0, 0, size.width(), size.height()))
        widget.render(p, QPoint(0, 0), QRegion(widget.rect()),
                      QWidget.RenderFlag.DrawWindowBackground | QWidget.RenderFlag.DrawChildren)
        p.restore()
    else:
        p.drawImage(target, _render_image(widget, IMAGE_SCALE))
    p.setPen(rule)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(target)


# ---- CSV --------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(v: object) -> str:
    """A CSV cell: numbers in full precision (shortest exact form), None/NaN empty, text as
    text — with a leading ``'`` where a spreadsheet would take it for a formula."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v) if math.isfinite(v) else ""
    try:
        import numpy as np

        if isinstance(v, np.integer):
            return str(int(v))
        if isinstance(v, np.floating):
            return _cell(float(v))
    except ImportError:  # pragma: no cover - numpy is a dependency
        pass
    s = str(v)
    return "'" + s if s.startswith(_FORMULA_START) else s


def export_csv(path: str | Path, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    """Write a header and rows as CSV (UTF-8 with BOM, CRLF, as Excel expects). Returns the path."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([_cell(c) for c in columns])
    n = len(columns)
    for i, row in enumerate(rows):
        if len(row) != n:
            raise ValueError(f"row {i} has {len(row)} cells, the header {n}")
        w.writerow([_cell(v) for v in row])
    return _write_bytes(Path(path), out.getvalue().encode("utf-8-sig"))


def _series_name(chart: TrendChart, i: int) -> str:
    # TrendChart has no public accessor for a series' name (yet): read it where it is kept
    getter = getattr(chart, "series_name", None)
    if callable(getter):
        return str(getter(i))
    series = getattr(chart, "_series", None)
    try:
        return str(series[i].name)  # type: ignore[index]
    except (TypeError, IndexError, AttributeError):
        return f"series {i + 1}"


def charts_in(widget: QWidget) -> list[TrendChart]:
    """The trend charts inside ``widget`` (a tab), in creation order."""
    if isinstance(widget, TrendChart):
        return [widget]
    return list(widget.findChildren(TrendChart))


def _local_iso(ms: int) -> str:
    t = local(ms)
    return t.isoformat(timespec="milliseconds" if ms % 1000 else "seconds")


def chart_rows(
    charts: TrendChart | Sequence[TrendChart], lang: str = "zh"
) -> tuple[list[str], list[list[object]]]:
    """The charts' points as a table: ``[时间, 时间戳(毫秒), <series>…]`` and one row per
    timestamp of any series, in time order. Time is local ISO 8601 with its UTC offset;
    a series without a point at that time, or with a gap (NaN) there, has None (an
    empty cell), never 0. Series names repeated across charts get " (2)", " (3)"…"""
    chart_list = [charts] if isinstance(charts, TrendChart) else list(charts)
    named = [(_series_name(chart, i), *chart.series_data(i))
             for chart in chart_list for i in range(chart.series_count())
             if getattr(chart, "series_visible", lambda _i: True)(i)]  # what is drawn, not a hidden comparison
    return series_rows(named, lang)


def series_rows(named: Sequence[tuple[str, Any, Any]], lang: str = "zh") -> tuple[list[str], list[list[object]]]:
    """As :func:`chart_rows`, from (name, epoch seconds, values) triples: the UI model's
    history of the metrics a tab charts (what the export writes, not read off widgets)."""
    columns = [_t("time", lang), _t("epoch_ms", lang)]
    data: list[tuple[list[int], list[float]]] = []
    seen: dict[str, int] = {}
    for name, xs, ys in named:
        seen[name] = seen.get(name, 0) + 1
        columns.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
        data.append(([round(float(x) * 1000) for x in xs], [float(y) for y in ys]))
    table: dict[int, list[object]] = {}
    width = len(data)
    for col, (ms_list, values) in enumerate(data):
        for ms, v in zip(ms_list, values, strict=True):
            row = table.get(ms)
            if row is None:
                row = table[ms] = [None] * width
            row[col] = v if math.isfinite(v) else None
    rows = [[_local_iso(ms), ms, *table[ms]] for ms in sorted(table)]
    return columns, rows
