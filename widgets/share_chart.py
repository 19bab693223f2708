"""ShareChart: parts of a whole, as a donut (one moment) or a stacked area of shares over
ordered x labels (e.g. years). One widget with two looks: this module keeps the data, the
public API and what both share (title row, sizes); each look lays itself out and paints in
its own module (``_share_donut``, ``_share_area``; the common base in ``_share_base``).

donut: ring segments in ``theme.SERIES_COLORS``, the total (or a chosen label) in the hole
and a legend with name, value and percentage: to the right of the ring when the panel is
wide, below it when tall, never over it. An unknown part (None) is listed with a dash and
has no segment; percentages are shares of the known parts.

area: the series stacked as shares of 100 % at each x (normalised per x unless
``set_normalise(False)``), the y axis 0–100 %, x labels skipped when crowded, a legend and
the latest share of each series labelled at the right edge. An x where a series is
unknown is a gap for the whole stack (the shares there are not known), never a zero.

Everything is data-driven and changes rarely: all of it is drawn into the cached static
layer, re-made on a data, size or state change; nothing repaints while idle.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets._share_area import AreaLook
from widgets._share_base import MODES, _clean
from widgets._share_donut import DonutLook
from widgets.state import DataState

__all__ = ["MODES", "ShareChart"]


class ShareChart(DonutLook, AreaLook):
    """A donut of parts of a whole, or a stacked area of shares over ordered x labels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mode = "donut"
        self._title = ""
        self._unit = ""
        self._precision = 0
        self._center_label = ""
        self._total_captions = ("合计", "已知合计")  # over the donut's total: all parts known, or not
        self._parts: list[tuple[str, float | None]] = []
        self._x_labels: list[str] = []
        self._series: list[tuple[str, list[float | None]]] = []
        self._normalise = True
        self._relayout()

    # ---- public API -----------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        """Draw the parts as a "donut" or the series as a stacked "area"."""
        if mode not in MODES:
            raise ValueError(f"share chart mode must be one of {', '.join(MODES)}, not {mode!r}")
        if mode != self._mode:
            self._mode = mode
            self._changed()

    def mode(self) -> str:
        return self._mode

    def _text_changed(self, what: str) -> None:
        self._changed()

    def set_center_label(self, label: str) -> None:
        """A label shown in the donut's hole instead of the total; "" (default) shows the total."""
        if str(label) != self._center_label:
            self._center_label = str(label)
            self._changed()

    def set_total_captions(self, total: str, known_total: str) -> None:
        """The words over the donut's total in the UI's language: "合计" ("Total") when every
        part is known, "已知合计" ("Known total") when some are not."""
        if (total, known_total) != self._total_captions:
            self._total_captions = (str(total), str(known_total))
            self._changed()

    def set_parts(self, parts: Iterable[tuple[str, float | None]]) -> None:
        """The donut's parts as (name, value); None or NaN is unknown (a dash, no segment)."""
        clean: list[tuple[str, float | None]] = []
        for i, item in enumerate(parts):
            try:
                name, value = item
            except (TypeError, ValueError):
                raise ValueError(f"part {i}: expected (name, value), got {item!r}") from None
            clean.append((str(name), _clean(value, f"part {i} ({name})")))
        if clean != self._parts:
            self._parts = clean
            self._changed()

    def parts(self) -> list[tuple[str, float | None]]:
        return list(self._parts)

    def set_x_labels(self, labels: Iterable[str]) -> None:
        """The area's ordered x labels (e.g. years). Series of another length are dropped:
        they belonged to the old axis (set the series after the labels)."""
        new = [str(x) for x in labels]
        if new == self._x_labels:
            return
        self._x_labels = new
        if any(len(vals) != len(new) for _, vals in self._series):
            self._series = []
        self._changed()

    def set_series(self, series: Iterable[tuple[str, Sequence[float | None]]]) -> None:
        """The area's series as (name, raw values per x label); None or NaN is unknown."""
        n = len(self._x_labels)
        clean: list[tuple[str, list[float | None]]] = []
        for i, item in enumerate(series):
            try:
                name, values = item
                values = list(values)
            except (TypeError, ValueError):
                raise ValueError(f"series {i}: expected (name, values), got {item!r}") from None
            if len(values) != n:
                raise ValueError(
                    f"series {i} ({name}) has {len(values)} values but there are {n} x labels"
                    " (call set_x_labels first)"
                )
            clean.append(
                (str(name), [_clean(v, f"series {i} ({name}) at {j}") for j, v in enumerate(values)])
            )
        if clean != self._series:
            self._series = clean
            self._changed()

    def set_normalise(self, normalise: bool) -> None:
        """Whether the area's values are scaled to 100 % per x (default) or already shares."""
        if bool(normalise) != self._normalise:
            self._normalise = bool(normalise)
            self._changed()

    # ---- what is laid out (read-only, for tests and tools) ----------------------------

    def ring_rect(self) -> QRectF:
        """The donut ring's bounding square (empty in area mode)."""
        return QRectF(self._ring) if self._mode == "donut" else QRectF()

    def legend_rect(self) -> QRectF:
        """The area the legend is drawn in."""
        return QRectF(self._legend_rect)

    def plot_rect(self) -> QRectF:
        """The area chart's plot (empty in donut mode)."""
        return QRectF(self._plot) if self._mode == "area" else QRectF()

    def legend_texts(self) -> list[tuple[str, str, str]]:
        """Legend rows as drawn: (name, value, percentage). Donut: value and share of each
        shown part; area: the name, "" and the latest share labelled at the right edge."""
        return [(r[0], r[1], r[2]) for r in self._legend_rows]

    def center_text(self) -> str:
        """The big text in the donut's hole (the total, the chosen label or a dash)."""
        return self._center_text() if self._mode == "donut" else ""

    def center_caption(self) -> str:
        """The word drawn over the donut's total ("" without one)."""
        return self._center_caption() if self._mode == "donut" else ""

    def y_label_texts(self) -> list[str]:
        """The area's y axis labels drawn, bottom to top ("0%" … "100%")."""
        return [t for t, _ in self._y_ticks] if self._mode == "area" else []

    def x_label_texts(self) -> list[tuple[str, QRectF]]:
        """The area's x labels actually drawn, with their rectangles."""
        return [(t, QRectF(r)) for t, r in self._x_shown] if self._mode == "area" else []

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(700, 450)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(200, 140)

    # ---- layout ---------------------------------------------------------------------

    def _changed(self) -> None:
        self._relayout()
        self.invalidate()

    def _state_changed(self) -> None:
        self._relayout()  # legend texts show dashes without data

    def _relayout(self) -> None:
        w, h = max(1, self.width()), max(1, self.height())
        s = max(60.0, min(w / 1.55, float(h)))
        self._scale = s
        pad = max(4.0, 0.035 * s)
        self._pad = pad
        self._title_font = theme.pixel_font(max(9, round(0.05 * s)))
        self._note_font = theme.pixel_font(max(8, round(0.036 * s)))
        self._label_px = max(8, round(0.038 * s))
        self._label_font = theme.pixel_font(self._label_px)
        self._header = QRectF(pad, pad * 0.8, max(0.0, w - 2 * pad), 0.075 * s)
        top = self._header.bottom() + 0.02 * s
        self._content = QRectF(pad, top, max(0.0, w - 2 * pad), max(0.0, h - top - pad))
        self._ring = QRectF()
        self._plot = QRectF()
        self._legend_rect = QRectF()
        self._legend_rows = []
        self._legend_font = self._label_font
        self._legend_cols = (0.0, 0.0, 0.0)
        self._x_shown = []
        self._y_ticks = []
        self._end_labels = []
        if self._mode == "donut":  # the look lays itself out (_share_donut / _share_area)
            self._layout_donut()
        else:
            self._layout_area()

    # ---- painting -------------------------------------------------------------------

    def _paint_static(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._paint_header(p)
        if self._mode == "donut":
            self._paint_donut(p)
            self._paint_donut_legend(p)
        else:
            self._paint_area(p)
            self._paint_area_legend(p)

    def _paint_header(self, p: QPainter) -> None:
        r = self._header
        self._paint_title_row(p, QRectF(r), self._title, self._title_font, self._note_font, self._pad)


def _preview() -> None:
    from widgets._preview import run_preview

    years = [str(y) for y in range(2015, 2027)]
    modern = [31.0, 33.5, 35.2, 37.9, 40.1, 42.6, 45.3, 47.8, 50.2, 52.9, 55.1, 57.4]

    charts: list[ShareChart] = []

    def make_chart(state: DataState, note: str) -> ShareChart:
        c = ShareChart()
        i = len(charts)
        charts.append(c)
        if i % 2 == 0:
            c.set_title("医药企业类型构成")
            c.set_unit("家")
            c.set_parts([("化学药", 55), ("中药", 26), ("生物药", 9), ("原料药", 41), ("医疗器械", 215)])
        else:
            c.set_mode("area")
            c.set_title("三缸 / 三片 产值占比")
            c.set_precision(1)
            c.set_x_labels(years)
            c.set_series([("三缸(传统)", [100 - m for m in modern]), ("三片(新兴)", modern)])
        c.set_state(state, note)
        return c

    n = [0]

    def tick(shown: list) -> None:
        n[0] += 1
        shown[0].set_parts(
            [("化学药", 55), ("中药", 26), ("生物药", 9 + n[0] % 5), ("原料药", 41), ("医疗器械", 215)]
        )

    run_preview("ShareChart preview", make_chart, tick, columns=2, size=(1400, 900))


if __name__ == "__main__":
    _preview()
