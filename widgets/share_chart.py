"""ShareChart: parts of a whole, as a donut (one moment) or a stacked area of shares over
ordered x labels (e.g. years).

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

import math
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets._panel import DASH, Panel, elide, fit_font, format_number
from widgets.state import DataState

MODES = ("donut", "area")
_HOLE = 0.62  # inner radius of the ring, as a fraction of the outer
_MORE = "+{n}"  # the last legend row when not every part fits


def _clean(value: float | None, what: str) -> float | None:
    """A finite, non-negative float, or None for unknown (None, NaN, ±inf)."""
    if value is None:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what}: not a number: {value!r}") from None
    if not math.isfinite(v):
        return None
    if v < 0:
        raise ValueError(f"{what}: a share cannot be negative, got {v}")
    return v


# offline, the series turn grey: alternating shades keep neighbours apart
_OFFLINE_SHADES = (0.0, 0.4, 0.2, 0.55, 0.1, 0.45, 0.28, 0.6)


def _series_color(i: int, state: DataState) -> QColor:
    """Series i's colour as shown in a state: full when live, dimmed when stale, grey offline."""
    c = QColor(theme.SERIES_COLORS[i % len(theme.SERIES_COLORS)])
    if state == DataState.STALE:
        return theme.blend(c, theme.PANEL, 0.45)
    if state == DataState.OFFLINE:
        return theme.blend(theme.OFFLINE_VALUE, theme.PANEL, _OFFLINE_SHADES[i % len(_OFFLINE_SHADES)])
    return c


def _text_color(state: DataState) -> QColor:
    if state == DataState.STALE:
        return theme.blend(theme.TEXT, theme.PANEL, 0.45)
    if state == DataState.OFFLINE:
        return QColor(theme.OFFLINE_VALUE)
    return QColor(theme.TEXT)


def _percent(v: float, digits: int = 1) -> str:
    return format_number(v, digits) + "%"


class ShareChart(Panel):
    """A donut of parts of a whole, or a stacked area of shares over ordered x labels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mode = "donut"
        self._title = ""
        self._unit = ""
        self._precision = 0
        self._center_label = ""
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

    def shares(self) -> list[list[float | None]]:
        """The area's shares in % per series and x, as stacked (None where the x is a gap)."""
        n = len(self._x_labels)
        out: list[list[float | None]] = [[None] * n for _ in self._series]
        for j in range(n):
            col = [vals[j] for _, vals in self._series]
            if not col or any(v is None for v in col):
                continue
            known = [v for v in col if v is not None]
            total = sum(known)
            if self._normalise:
                if total <= 0:
                    continue
                for i, v in enumerate(known):
                    out[i][j] = 100.0 * v / total
            else:
                for i, v in enumerate(known):
                    out[i][j] = v
        return out

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

    def _no_data(self) -> bool:
        return self._state == DataState.NO_DATA

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
        self._legend_rows: list[tuple[str, str, str, QRectF, int]] = []  # name, value, pct, row, colour index
        self._legend_font = self._label_font
        self._legend_cols: tuple[float, float, float] = (0.0, 0.0, 0.0)  # name, value, pct widths
        self._x_shown: list[tuple[str, QRectF]] = []
        self._y_ticks: list[tuple[str, float]] = []
        self._end_labels: list[tuple[str, float, int]] = []
        if self._mode == "donut":
            self._layout_donut()
        else:
            self._layout_area()

    # -- donut --

    def _donut_rows(self) -> list[tuple[str, str, str]]:
        known = [v for _, v in self._parts if v is not None]
        total = sum(known)
        rows = []
        for name, v in self._parts:
            if self._no_data() or v is None:
                rows.append((name, DASH, DASH))
            else:
                pct = _percent(100.0 * v / total) if total > 0 else DASH
                rows.append((name, format_number(v, self._precision), pct))
        return rows

    def _layout_donut(self) -> None:
        c = self._content
        s = self._scale
        rows = self._donut_rows()
        n = len(rows)
        gap = 0.04 * s
        base_row = self._label_px * 1.7
        wide = c.width() >= c.height() * 1.25
        if n == 0:
            d = max(0.0, min(c.width(), c.height()))
            self._ring = QRectF(c.center().x() - d / 2, c.center().y() - d / 2, d, d)
            return
        if wide:
            d = max(0.0, min(c.height(), c.width() * 0.48))
            self._ring = QRectF(c.left(), c.center().y() - d / 2, d, d)
            lx = self._ring.right() + gap
            self._legend_rect = QRectF(lx, c.top(), max(0.0, c.right() - lx), c.height())
        else:
            legend_h = min(n * base_row, c.height() * 0.45)
            d = max(0.0, min(c.width(), c.height() - legend_h - gap))
            top = c.top() + max(0.0, (c.height() - d - gap - legend_h) / 2)  # ring and legend centred
            self._ring = QRectF(c.center().x() - d / 2, top, d, d)
            ly = self._ring.bottom() + gap
            self._legend_rect = QRectF(c.left(), ly, c.width(), max(0.0, min(legend_h, c.bottom() - ly)))
        self._layout_legend_rows(rows, base_row)

    def _layout_legend_rows(self, rows: list[tuple[str, str, str]], base_row: float) -> None:
        lr = self._legend_rect
        n = len(rows)
        row_h = min(base_row, lr.height() / max(1, n))
        min_row = 8 * 1.35
        shown = n
        if row_h < min_row:  # not all fit even small: as many as fit and a "+N" row
            row_h = min_row
            shown = max(0, int(lr.height() // row_h) - 1)
        px = max(8, min(self._label_px, int(row_h / 1.45)))
        font = theme.pixel_font(px)
        fm = QFontMetrics(font)
        self._legend_font = font
        sw = px * 0.75  # swatch
        gap = px * 0.6
        val_w = max((fm.horizontalAdvance(r[1]) for r in rows[:shown]), default=0)
        pct_w = fm.horizontalAdvance("100.0%")
        name_w = lr.width() - sw - gap * 3 - val_w - pct_w
        if name_w < 3 * px:  # narrow: names need the room more than the raw values
            val_w = 0
            name_w = lr.width() - sw - gap * 2 - pct_w
        name_w = max(0.0, name_w)
        self._legend_cols = (name_w, val_w, pct_w)
        used = (shown + (1 if shown < n else 0)) * row_h
        y = lr.top() + max(0.0, (lr.height() - used) / 2)
        out = []
        for i, (name, val, pct) in enumerate(rows[:shown]):
            out.append(
                (
                    elide(fm, name, name_w),
                    val if val_w else "",
                    pct,
                    QRectF(lr.left(), y, lr.width(), row_h),
                    i,
                )
            )
            y += row_h
        if shown < n:
            out.append((_MORE.format(n=n - shown), "", "", QRectF(lr.left(), y, lr.width(), row_h), -1))
        self._legend_rows = out

    def _center_text(self) -> str:
        if self._center_label:
            return self._center_label
        known = [v for _, v in self._parts if v is not None]
        if self._no_data() or not known:
            return DASH
        return format_number(sum(known), self._precision)

    # -- area --

    def _layout_area(self) -> None:
        c = self._content
        s = self._scale
        fm = QFontMetrics(self._label_font)
        lh = fm.height()
        shares = self.shares()
        # legend row at the top of the content
        legend_h = lh * 1.5 if self._series else 0.0
        self._legend_rect = QRectF(c.left(), c.top(), c.width(), legend_h)
        self._layout_area_legend(shares)
        y_w = fm.horizontalAdvance("100%") + 0.02 * s
        end_w = fm.horizontalAdvance(_percent(100.0, self._precision)) + 0.03 * s if self._series else 0.0
        top = c.top() + legend_h + lh * 0.6
        bottom = c.bottom() - lh * 1.4
        left = c.left() + y_w
        right = c.right() - end_w - fm.horizontalAdvance("0") * 0.5
        self._plot = QRectF(left, top, max(0.0, right - left), max(0.0, bottom - top))
        p = self._plot
        ticks = (0, 25, 50, 75, 100) if p.height() > lh * 5 else (0, 50, 100)
        self._y_ticks = [(f"{t}%", p.bottom() - p.height() * t / 100) for t in ticks]
        self._layout_x_labels(fm)
        # latest shares at the right edge, pushed apart so they never overlap
        self._end_labels = []
        last = self._last_valid(shares)
        if last is None or self._no_data():
            return
        items: list[tuple[float, str, int]] = []
        acc = 0.0
        for i, row in enumerate(shares):
            v = row[last] or 0.0
            items.append((self._y_of(acc + v / 2), _percent(v, self._precision), i))
            acc += v
        items.sort(key=lambda t: t[0])
        ys = [t[0] for t in items]
        half = lh / 2
        lo, hi = p.top() - half * 0.5 + half, p.bottom() + half * 0.5 - half
        for k in range(len(ys)):  # push down from the top, then up from the bottom
            ys[k] = max(ys[k], lo if k == 0 else ys[k - 1] + lh)
        for k in range(len(ys) - 1, -1, -1):
            ys[k] = min(ys[k], hi if k == len(ys) - 1 else ys[k + 1] - lh)
        self._end_labels = [(t, y, i) for y, (_, t, i) in zip(ys, items, strict=True)]

    def _layout_area_legend(self, shares: list[list[float | None]]) -> None:
        lr = self._legend_rect
        if not self._series:
            return
        px = self._label_px
        font = self._label_font
        fm = QFontMetrics(font)
        sw, gap = px * 0.75, px * 0.4
        spacing = px * 1.2
        names = [name for name, _ in self._series]
        need = sum(sw + gap + fm.horizontalAdvance(nm) for nm in names) + spacing * (len(names) - 1)
        if need > lr.width():  # too wide: an equal share of the row for each name
            each = (lr.width() - spacing * (len(names) - 1)) / len(names) - sw - gap
            shown = [elide(fm, nm, each) for nm in names]
        else:
            shown = names
        last = self._last_valid(shares)
        x = lr.left()
        rows = []
        for i, nm in enumerate(shown):
            wdt = sw + gap + fm.horizontalAdvance(nm)
            if last is None or self._no_data():
                pct = DASH
            else:
                pct = _percent(shares[i][last] or 0.0, self._precision)
            rows.append((nm, "", pct, QRectF(x, lr.top(), wdt, lr.height()), i))
            x += wdt + spacing
        self._legend_rows = rows
        self._legend_font = font

    def _layout_x_labels(self, fm: QFontMetrics) -> None:
        labels = self._x_labels
        n = len(labels)
        p = self._plot
        if n == 0:
            return
        label_w = max(fm.horizontalAdvance(t) for t in labels) + fm.horizontalAdvance("0") * 1.2
        lh = fm.height()
        y = p.bottom() + lh * 0.35
        if n == 1:
            idx = [0]
        else:
            step = p.width() / (n - 1)
            k = max(1, math.ceil(label_w / max(step, 1e-6)))
            idx = list(range(0, n, k))
            if idx[-1] != n - 1:  # the latest x is always labelled
                if len(idx) > 1 and (n - 1 - idx[-1]) * step < label_w:
                    idx[-1] = n - 1
                else:
                    idx.append(n - 1)
            if len(idx) > 1 and (idx[-1] - idx[-2]) * step < label_w:
                idx = idx[:-2] + idx[-1:]  # only one label fits: keep the latest
        shown = []
        for i in idx:
            x = self._x_of(i)
            tw = fm.horizontalAdvance(labels[i])
            shown.append((labels[i], QRectF(x - tw / 2, y, tw, lh)))
        self._x_shown = shown

    def _x_of(self, i: int) -> float:
        n = len(self._x_labels)
        p = self._plot
        if n <= 1:
            return p.center().x()
        return p.left() + p.width() * i / (n - 1)

    def _y_of(self, pct: float) -> float:
        p = self._plot
        return p.bottom() - p.height() * min(100.0, max(0.0, pct)) / 100.0

    @staticmethod
    def _last_valid(shares: list[list[float | None]]) -> int | None:
        if not shares:
            return None
        for j in range(len(shares[0]) - 1, -1, -1):
            if shares[0][j] is not None:
                return j
        return None

    # ---- painting -------------------------------------------------------------------

    def _paint_static(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._paint_header(p)
        if self._mode == "donut":
            self._paint_donut(p)
        else:
            self._paint_area(p)
        self._paint_legend(p)

    def _paint_header(self, p: QPainter) -> None:
        r = self._header
        self._paint_title_row(p, QRectF(r), self._title, self._title_font, self._note_font, self._pad)

    def _series_color(self, i: int) -> QColor:
        return _series_color(i, self._state)

    def _paint_donut(self, p: QPainter) -> None:
        ring = self._ring
        if ring.width() < 4:
            return
        outer = ring.width() / 2
        thick = outer * (1 - _HOLE)
        mid = outer - thick / 2
        cx, cy = ring.center().x(), ring.center().y()
        arc_rect = QRectF(cx - mid, cy - mid, 2 * mid, 2 * mid)
        track = QPen(QColor(theme.EDGE), thick, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)
        known = [(i, v) for i, (_, v) in enumerate(self._parts) if v is not None and v > 0]
        total = sum(v for _, v in known)
        if self._no_data() or total <= 0:
            p.setPen(track)
            p.drawArc(arc_rect, 0, 360 * 16)
        else:
            start = 90.0
            bounds = []
            for i, v in known:
                sweep = 360.0 * v / total
                p.setPen(QPen(self._series_color(i), thick, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
                p.drawArc(arc_rect, round(start * 16), -round(sweep * 16))
                bounds.append(start)
                start -= sweep
            if len(known) > 1:  # thin panel-coloured gaps between segments
                p.setPen(QPen(QColor(theme.PANEL), max(1.0, outer * 0.02)))
                r0, r1 = outer * _HOLE - 1, outer + 1
                for a in bounds:
                    ca, sa = math.cos(math.radians(a)), -math.sin(math.radians(a))
                    p.drawLine(QPointF(cx + r0 * ca, cy + r0 * sa), QPointF(cx + r1 * ca, cy + r1 * sa))
        # the hole: total (or the chosen label) with caption and unit
        inner = outer * _HOLE
        box_w = inner * 1.5
        text = self._center_text()
        num_h = inner * 0.5
        small_px = max(8, round(inner * 0.2))
        small = theme.pixel_font(min(small_px, self._label_px + 2))
        sfm = QFontMetrics(small)
        caption = ""
        if not self._center_label and text != DASH:
            caption = "已知合计" if any(v is None for _, v in self._parts) else "合计"
        num_font = fit_font(max(9, round(inner * 0.46)), text, box_w, bold=True)
        p.setFont(num_font)
        p.setPen(QColor(theme.TEXT_DIM) if text == DASH else _text_color(self._state))
        p.drawText(QRectF(cx - box_w / 2, cy - num_h / 2, box_w, num_h), Qt.AlignmentFlag.AlignCenter, text)
        p.setFont(small)
        p.setPen(QColor(theme.TEXT_DIM))
        if caption:
            p.drawText(
                QRectF(cx - box_w / 2, cy - num_h / 2 - sfm.height(), box_w, sfm.height()),
                Qt.AlignmentFlag.AlignCenter,
                elide(sfm, caption, box_w),
            )
        if self._unit and text != DASH and not self._center_label:
            p.drawText(
                QRectF(cx - box_w / 2, cy + num_h / 2, box_w, sfm.height()),
                Qt.AlignmentFlag.AlignCenter,
                elide(sfm, self._unit, box_w),
            )

    def _paint_legend(self, p: QPainter) -> None:
        if not self._legend_rows:
            return
        font = self._legend_font
        p.setFont(font)
        px = font.pixelSize()
        sw = px * 0.75
        gap = px * 0.6 if self._mode == "donut" else px * 0.4
        name_w, val_w, pct_w = self._legend_cols
        value_color = _text_color(self._state)
        for name, val, pct, row, i in self._legend_rows:
            cy = row.center().y()
            if i < 0:  # "+N"
                p.setPen(QColor(theme.TEXT_DIM))
                p.drawText(row, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
                continue
            sq = QRectF(row.left(), cy - sw / 2, sw, sw)
            unknown = self._mode == "donut" and (self._parts[i][1] is None or self._no_data())
            if unknown or (self._mode == "area" and self._no_data()):
                p.setPen(QPen(QColor(theme.TEXT_DIM), 1))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(sq.adjusted(0.5, 0.5, -0.5, -0.5))
            else:
                p.fillRect(sq, self._series_color(i))
            x = sq.right() + gap
            p.setPen(QColor(theme.TEXT_DIM) if unknown else QColor(theme.NEUTRAL))
            if self._mode == "area":
                p.drawText(
                    QRectF(x, row.top(), row.right() - x, row.height()), Qt.AlignmentFlag.AlignVCenter, name
                )
                continue
            p.drawText(QRectF(x, row.top(), name_w, row.height()), Qt.AlignmentFlag.AlignVCenter, name)
            right = row.right()
            pr = QRectF(right - pct_w, row.top(), pct_w, row.height())
            p.setPen(QColor(theme.TEXT_DIM) if pct == DASH else self._series_text_color(i))
            p.drawText(pr, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, pct)
            if val_w:
                vr = QRectF(pr.left() - gap - val_w, row.top(), val_w, row.height())
                p.setPen(QColor(theme.TEXT_DIM) if val == DASH else value_color)
                p.drawText(vr, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, val)

    def _series_text_color(self, i: int) -> QColor:
        if self._state == DataState.OFFLINE:
            return QColor(theme.OFFLINE_VALUE)
        return self._series_color(i)

    def _paint_area(self, p: QPainter) -> None:
        pl = self._plot
        if pl.width() < 2 or pl.height() < 2:
            return
        fm = QFontMetrics(self._label_font)
        p.setFont(self._label_font)
        # grid and y labels
        grid = QPen(QColor(theme.EDGE), max(1.0, self._scale / 450))
        for text, y in self._y_ticks:
            p.setPen(grid)
            p.drawLine(QPointF(pl.left(), y), QPointF(pl.right(), y))
            p.setPen(QColor(theme.TEXT_DIM))
            lw = pl.left() - self._content.left()
            p.drawText(
                QRectF(
                    self._content.left(),
                    y - fm.height() / 2,
                    lw - fm.horizontalAdvance("0") * 0.5,
                    fm.height(),
                ),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        p.setPen(QColor(theme.TEXT_DIM))
        for text, r in self._x_shown:
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, text)
        shares = self.shares()
        if self._no_data() or self._last_valid(shares) is None:
            dash_font = theme.pixel_font(max(10, round(self._scale * 0.12)), True)
            p.setFont(dash_font)
            p.setPen(QColor(theme.TEXT_DIM))
            p.drawText(pl, Qt.AlignmentFlag.AlignCenter, DASH)
            return
        self._paint_bands(p, shares)
        p.setFont(self._label_font)
        x = pl.right() + fm.horizontalAdvance("0") * 0.6
        for text, y, i in self._end_labels:
            p.setPen(self._series_text_color(i))
            p.drawText(
                QRectF(x, y - fm.height() / 2, self._content.right() - x, fm.height()),
                Qt.AlignmentFlag.AlignVCenter,
                text,
            )

    def _paint_bands(self, p: QPainter, shares: list[list[float | None]]) -> None:
        n = len(self._x_labels)
        runs: list[tuple[int, int]] = []
        j = 0
        while j < n:
            if shares[0][j] is None:
                j += 1
                continue
            k = j
            while k + 1 < n and shares[0][k + 1] is not None:
                k += 1
            runs.append((j, k))
            j = k + 1
        pl = self._plot
        single_w = max(2.0, (pl.width() / max(1, n - 1)) * 0.25 if n > 1 else pl.width() * 0.2)
        p.setPen(Qt.PenStyle.NoPen)
        for a, b in runs:
            acc = [0.0] * (b - a + 1)
            for i, row in enumerate(shares):
                color = self._series_color(i)
                lower = list(acc)
                for t in range(a, b + 1):
                    acc[t - a] += row[t] or 0.0
                if a == b:
                    x = self._x_of(a)
                    y0, y1 = self._y_of(lower[0]), self._y_of(acc[0])
                    p.fillRect(QRectF(x - single_w / 2, y1, single_w, y0 - y1), color)
                    continue
                poly = QPolygonF()
                for t in range(a, b + 1):
                    poly.append(QPointF(self._x_of(t), self._y_of(acc[t - a])))
                for t in range(b, a - 1, -1):
                    poly.append(QPointF(self._x_of(t), self._y_of(lower[t - a])))
                p.setBrush(color)
                p.drawPolygon(poly)
        p.setBrush(Qt.BrushStyle.NoBrush)


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
