"""BarChart: one value per category as bars, with an optional comparison series and limit line.

Vertical ("v": categories along the bottom) or horizontal ("h": categories down the left).
Value labels sit at the bar ends with the unit (or, when crowded, the unit moves to the
header); category labels never overlap: they are elided to their slot, and when even
that is too narrow only every k-th one is drawn. A comparison series (e.g. last year) is
drawn thinner and dimmer beside each bar. Bars beyond the limit line are drawn in the
alarm colour. None (or NaN) is unknown: no bar and a dash label, never a zero.

The header (title, legend) is drawn directly; the plot is laid out once per data, size or
state change and painted from that layout.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets._panel import DASH, ClickableItems, Panel, elide, format_number
from widgets.scrolling_rows import finite_or_none, state_color
from widgets.state import DataState

_A = Qt.AlignmentFlag
_LEFT = _A.AlignLeft | _A.AlignVCenter
_RIGHT = _A.AlignRight | _A.AlignVCenter
_TOP_CENTER = _A.AlignHCenter | _A.AlignTop
_BOTTOM_CENTER = _A.AlignHCenter | _A.AlignBottom


_Colors = tuple[QColor, QColor, QColor, QColor, QColor, QColor]


@dataclass
class _Layout:
    """Everything the plot paint needs, computed once per data/size/state change."""

    bars: list[QRectF] = field(default_factory=list)  # primary bar per category (empty: none)
    over: list[bool] = field(default_factory=list)  # beyond the limit
    compare: list[QRectF] = field(default_factory=list)
    values: list[tuple[str, QRectF, Qt.AlignmentFlag]] = field(default_factory=list)  # text, box, align
    cats: list[tuple[str, QRectF, Qt.AlignmentFlag]] = field(default_factory=list)
    value_font: QFont = field(default_factory=QFont)
    cat_font: QFont = field(default_factory=QFont)
    baseline: tuple[QPointF, QPointF] | None = None
    limit: tuple[QPointF, QPointF] | None = None
    unit_in_header: bool = False
    slots: list[QRectF] = field(default_factory=list)  # the hover area of each category


@dataclass(frozen=True)
class _ValueAxis:
    """The value axis in either orientation, so one piece of code lays bars out both ways:
    values map to pixels along it (upwards for vertical bars, rightwards for horizontal
    ones); bars stand on the zero line, and lines (the baseline, the limit) cross the plot."""

    vertical: bool
    start: float  # the pixel of ``lo``: the plot's bottom (vertical) or left edge
    length: float  # the plot's height (vertical) or width
    lo: float
    hi: float
    across: tuple[float, float]  # where lines start and end, across the value axis

    def at(self, v: float) -> float:
        if self.vertical:
            return self.start - (v - self.lo) / (self.hi - self.lo) * self.length
        return self.start + (v - self.lo) / (self.hi - self.lo) * self.length

    def bar(self, pos: float, thickness: float, v: float | None, zero: float) -> QRectF:
        """The bar of value v from the zero line, at pos across the axis (empty: unknown)."""
        if v is None:
            return QRectF()
        a, b = sorted((self.at(v), zero))
        if v != 0 and b - a < 1:
            b = a + 1
        return QRectF(pos, a, thickness, b - a) if self.vertical else QRectF(a, pos, b - a, thickness)

    def line(self, v: float) -> tuple[QPointF, QPointF]:
        """A line across the plot at value v."""
        p = self.at(v)
        lo, hi = self.across
        return (QPointF(lo, p), QPointF(hi, p)) if self.vertical else (QPointF(p, lo), QPointF(p, hi))


@dataclass(frozen=True)
class _BarGroup:
    """The thickness of a category's bar, its comparison bar and the gap between them."""

    bar: float
    compare: float  # 0: no comparison bar
    gap: float
    width: float  # the whole group's

    @classmethod
    def fit(cls, slot: float, with_compare: bool, share: float, cap: float, cap_compare: float) -> _BarGroup:
        """Bars in a slot: a share of it up to a cap alone; 44 % (up to cap_compare) with a
        comparison bar 45 % as thick beside it."""
        if with_compare:
            bar = min(slot * 0.44, cap_compare)
            compare, gap = bar * 0.45, max(1.0, bar * 0.08)
            return cls(bar, compare, gap, bar + (gap + compare))
        bar = min(slot * share, cap)
        return cls(bar, 0.0, 0.0, bar + 0.0)


class BarChart(ClickableItems, Panel):
    """Categorical bars with value labels, an optional comparison series and a limit line.
    With keys (:meth:`set_keys`), a click on a bar emits ``activated`` with its key."""

    activated = Signal(str)  # the key of a clicked bar (only when keys are set)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._keys: list[str] = []
        self.setMouseTracking(True)
        self._title = ""
        self._unit = ""
        self._precision = 0
        self._orient = "v"
        self._cats: list[str] = []
        self._values: list[float | None] = []
        self._value_label = ""
        self._compare: list[float | None] | None = None
        self._compare_label = ""
        self._limit: float | None = None
        self._limit_label = ""
        self._unit_caption = "单位：{unit}"
        self._color = QColor(theme.ACCENT)
        self._compare_color: QColor | None = None
        self._over_color = QColor(theme.ALARM)
        self._limit_color = QColor(theme.WARN)
        self._layout: _Layout | None = None
        self._color_cache: tuple[tuple, _Colors] | None = None
        self._relayout()

    # ---- public API -----------------------------------------------------------------

    def _text_changed(self, what: str) -> None:
        if what == "title":
            self.invalidate()
        else:
            self._changed()

    def set_orientation(self, orientation: str) -> None:
        """ "v": vertical bars, categories along the bottom; "h": horizontal bars, categories on the left."""
        if orientation not in ("h", "v"):
            raise ValueError(f'orientation must be "h" or "v", not {orientation!r}')
        if orientation != self._orient:
            self._orient = orientation
            self._changed()

    def orientation(self) -> str:
        """ "h" or "v"."""
        return self._orient

    def set_categories(self, categories: Sequence[str]) -> None:
        """Set the category names (plain text), in display order (left to right, top to bottom)."""
        cats = [str(c) for c in categories]
        if cats != self._cats:
            self._cats = cats
            self._changed()

    def set_keys(self, keys: Sequence[str]) -> None:
        """One key per category, in the categories' order, making the bars clickable ("": that
        bar is not); none (the default): no bar is."""
        self._keys = [str(k) for k in keys]

    def keys(self) -> list[str]:
        """The bars' keys (see :meth:`set_keys`)."""
        return list(self._keys)

    def _item_at(self, pos: QPointF) -> str | None:
        i = self._index_at(pos)
        if i is None or i >= len(self._keys) or not self._keys[i]:
            return None
        return self._keys[i]

    def legend_texts(self) -> list[str]:
        """The legend's entries (before any eliding): series, compare, limit, unit."""
        return [t for t, _, _ in self._legend_entries(self._ensure_layout().unit_in_header)]

    def set_unit_caption(self, caption: str) -> None:
        """How the legend names the unit, with ``{unit}`` in it: "单位：{unit}" (default),
        "Unit: {unit}"."""
        if "{unit}" not in caption:
            raise ValueError(f"a unit caption needs {{unit}} in it, got {caption!r}")
        if caption != self._unit_caption:
            self._unit_caption = caption
            self._changed()

    def set_values(self, values: Sequence[float | None], label: str | None = None) -> None:
        """One value per category (None or NaN: unknown, a dash); label names the series in the legend."""
        vals = [finite_or_none(v) for v in values]
        changed = vals != self._values
        if label is not None and str(label) != self._value_label:
            self._value_label = str(label)
            changed = True
        if changed:
            self._values = vals
            self._changed()

    def set_compare(self, values: Sequence[float | None] | None, label: str = "") -> None:
        """A second series drawn thinner and dimmer for comparison (e.g. last year); None removes it."""
        vals = None if values is None else [finite_or_none(v) for v in values]
        label = str(label or "")
        if vals != self._compare or label != self._compare_label:
            self._compare, self._compare_label = vals, label
            self._changed()

    def set_limit(self, value: float | None, label: str = "") -> None:
        """A limit (target) line; bars beyond it turn the alarm colour. None removes it."""
        v = finite_or_none(value)
        label = str(label or "")
        if (v, label) != (self._limit, self._limit_label):
            self._limit, self._limit_label = v, label
            self._changed()

    def set_colors(
        self,
        bar: str | QColor | None = None,
        compare: str | QColor | None = None,
        over: str | QColor | None = None,
        limit: str | QColor | None = None,
    ) -> None:
        """Colours (theme names like "accent"/"ok" or any Qt colour) of the bars, the comparison
        bars (default: the bar colour dimmed), bars beyond the limit and the limit line."""
        if bar is not None:
            self._color = theme.qcolor(bar)
        if compare is not None:
            self._compare_color = theme.qcolor(compare)
        if over is not None:
            self._over_color = theme.qcolor(over)
        if limit is not None:
            self._limit_color = theme.qcolor(limit)
        self._changed()

    def values(self) -> list[float | None]:
        """The values, one per category (None: unknown)."""
        return list(self._values)

    def value_labels(self) -> list[str]:
        """The value label drawn per category: the number (with unit when it fits), a dash for
        an unknown value, "" where none is drawn (crowded, or no data)."""
        lay = self._ensure_layout()
        out = [""] * self._count()
        for i, (text, _, _) in enumerate(lay.values):
            out[i] = text
        return out

    def category_labels(self) -> list[str]:
        """The category label drawn per category (elided), "" where skipped for room."""
        lay = self._ensure_layout()
        return [text for text, _, _ in lay.cats]

    def category_label_rects(self) -> list[QRectF]:
        """Where each category label is drawn (empty where skipped)."""
        return [QRectF(box) if text else QRectF() for text, box, _ in self._ensure_layout().cats]

    def value_label_rects(self) -> list[QRectF]:
        """Where each value label is drawn (empty where none is)."""
        out = [QRectF() for _ in range(self._count())]
        for i, (text, box, _) in enumerate(self._ensure_layout().values):
            if text:
                out[i] = QRectF(box)
        return out

    def bar_rect(self, index: int, compare: bool = False) -> QRectF:
        """Where a bar is drawn (empty when there is none)."""
        lay = self._ensure_layout()
        bars = lay.compare if compare else lay.bars
        return QRectF(bars[index]) if 0 <= index < len(bars) else QRectF()

    def unit_in_header(self) -> bool:
        """True when the unit is shown once in the header instead of with every label."""
        return self._ensure_layout().unit_in_header

    def plot_rect(self) -> QRect:
        """The area of the bars and their labels (below the header)."""
        return self._area.toAlignedRect()

    def tooltip_at(self, pos: QPoint | QPointF) -> str:
        """The plain-text tooltip at a point: the category, its values; the caller's tooltip, the note."""
        parts = []
        i = self._index_at(QPointF(pos))
        if i is not None:
            name = self._cats[i] if i < len(self._cats) else ""
            lines = [name] if name else []
            v = self._value(i)
            label = f"{self._value_label} " if self._value_label else ""
            lines.append(label + self._fmt(v, True))
            if self._compare is not None:
                c = self._compare[i] if i < len(self._compare) else None
                lines.append((f"{self._compare_label} " if self._compare_label else "") + self._fmt(c, True))
            parts.append("\n".join(lines))
        base = self.tooltip_text()
        if base:
            parts.append(base)
        return "\n".join(parts)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(800, 450)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(200, 140)

    # ---- data -----------------------------------------------------------------------

    def _changed(self) -> None:
        self._relayout()  # the legend may need a line of its own
        self.update()

    def _count(self) -> int:
        return len(self._cats) if self._cats else len(self._values)

    def _value(self, i: int) -> float | None:
        return self._values[i] if i < len(self._values) else None

    def _fmt(self, v: float | None, unit: bool) -> str:
        if v is None:
            return DASH
        text = format_number(v, self._precision)
        return f"{text} {self._unit}" if unit and self._unit else text

    def _index_at(self, pt: QPointF) -> int | None:
        if self._state == DataState.NO_DATA:
            return None
        for i, r in enumerate(self._ensure_layout().slots):
            if r.contains(pt):
                return i
        return None

    # ---- geometry -------------------------------------------------------------------

    def _relayout(self) -> None:
        self._laid_size = self.size()
        w, h = max(1, self.width()), max(1, self.height())
        s = max(60.0, min(w, 1.6 * h))
        self._scale = s
        pad = max(4.0, 0.022 * s)
        self._pad = pad
        self._title_px = max(11, round(0.036 * s))
        self._label_px = max(9, round(0.027 * s))
        self._note_px = max(9, round(0.026 * s))
        self._title_font = theme.pixel_font(self._title_px)
        self._legend_font = theme.pixel_font(self._label_px)
        self._note_font = theme.pixel_font(self._note_px)
        self._dash_font = theme.pixel_font(max(14, round(0.09 * s)), True)
        self._header_rect = QRectF(pad, pad * 0.5, w - 2 * pad, round(self._title_px * 1.7))
        top = self._header_rect.bottom() + pad * 0.3
        # the legend shares the title row when both fit (counting a unit entry it may need),
        # else it gets a line of its own under the title
        entries = self._legend_entries(self._unit_may_drop(w - 2 * pad))
        title_w = QFontMetrics(self._title_font).horizontalAdvance(self._title)
        need = self._legend_width(entries)
        self._legend_own_line = (
            bool(entries) and title_w + 2 * self._label_px + need > self._header_rect.width()
        )
        if self._legend_own_line:
            self._legend_rect = QRectF(pad, top - pad * 0.2, w - 2 * pad, round(self._label_px * 1.6))
            top = self._legend_rect.bottom() + pad * 0.3
        else:
            self._legend_rect = QRectF(self._header_rect)
        self._note_rect = QRectF()
        if self._state != DataState.LIVE and self._note:
            self._note_rect = QRectF(pad, top, w - 2 * pad, round(self._note_px * 1.5))
            top = self._note_rect.bottom() + pad * 0.2
        self._area = QRectF(pad, top, max(0.0, w - 2 * pad), max(0.0, h - top - pad))
        self._layout = None

    def _state_changed(self) -> None:
        self._relayout()  # the note line comes and goes; colours change

    def _ensure_layout(self) -> _Layout:
        if self._laid_size != self.size():  # a hidden widget's resize is delivered late
            self._relayout()
        if self._layout is None:
            self._layout = self._make_layout()
        return self._layout

    def _make_layout(self) -> _Layout:
        lay = _Layout()
        n = self._count()
        area = self._area
        if n == 0 or area.width() < 4 or area.height() < 4:
            lay.cats = [("", QRectF(), _LEFT)] * n
            return lay
        vals = [self._value(i) for i in range(n)]
        comp = None
        if self._compare is not None:
            comp = [self._compare[i] if i < len(self._compare) else None for i in range(n)]
        nums = [v for v in vals if v is not None] + [0.0]
        if comp is not None:
            nums += [v for v in comp if v is not None]
        if self._limit is not None:
            nums.append(self._limit)
        lo, hi = min(nums), max(nums)
        if hi == lo:
            hi = lo + 1.0
        no_data = self._state == DataState.NO_DATA
        if self._orient == "v":
            self._layout_v(lay, n, vals, comp, lo, hi)
        else:
            self._layout_h(lay, n, vals, comp, lo, hi)
        lim = self._limit
        lay.over = [v is not None and lim is not None and v > lim for v in vals]
        if no_data:  # nothing measured is shown: no bars, no numbers, no limit
            lay.bars = [QRectF()] * n
            lay.compare = [QRectF()] * n
            lay.values = []
            lay.limit = None
            lay.over = [False] * n
        return lay

    def _place_bars(self, lay: _Layout, axis: _ValueAxis, first: float, slot: float, group: _BarGroup,
                    vals: list[float | None], comp: list[float | None] | None) -> float:
        """Each category's bar (and comparison bar) centred in its slot, the baseline and the
        limit line, in either orientation; returns the zero line's pixel."""
        zero = axis.at(0.0)
        for i, v in enumerate(vals):
            pos = first + (i + 0.5) * slot - group.width / 2
            lay.bars.append(axis.bar(pos, group.bar, v, zero))
            if comp is not None:
                lay.compare.append(axis.bar(pos + group.bar + group.gap, group.compare, comp[i], zero))
        lay.baseline = axis.line(0.0)
        if self._limit is not None:
            lay.limit = axis.line(self._limit)
        return zero

    def _unit_may_drop(self, width: float) -> bool:
        """Whether the value labels may lose their unit (to the header) at this plot width."""
        n = self._count()
        if not self._unit or n == 0 or self._state == DataState.NO_DATA:
            return False
        fm = QFontMetrics(theme.pixel_font(self._label_px))  # the largest label font: the widest texts
        widest = max(fm.horizontalAdvance(self._fmt(self._value(i), True)) for i in range(n))
        if self._orient == "v":
            return widest > width / n * 0.94
        return widest + self._label_px * 0.3 > width * 0.28

    def _value_texts(self, vals: list[float | None], unit: bool) -> list[str]:
        return [self._fmt(v, unit) for v in vals]

    def _layout_v(
        self,
        lay: _Layout,
        n: int,
        vals: list[float | None],
        comp: list[float | None] | None,
        lo: float,
        hi: float,
    ) -> None:
        area, px = self._area, self._label_px
        slot = area.width() / n
        # value labels: with the unit if they fit the slot, else without (unit to the header),
        # a smaller font down to 70 %, then only every k-th label
        value_font, texts, stride, in_header = self._fit_value_labels(vals, slot * 0.94, px)
        vfm = QFontMetrics(value_font)
        val_h = vfm.height() * 1.15
        cat_font, cstride, cat_w = self._fit_categories(slot, px)
        cfm = QFontMetrics(cat_font)
        cat_h = cfm.height() * 1.3
        below = val_h if lo < 0 else 0.0
        plot = QRectF(area.left(), area.top() + val_h, area.width(), area.height() - val_h - cat_h - below)
        if plot.height() < 2:
            plot.setHeight(2)
        axis = _ValueAxis(True, plot.bottom(), plot.height(), lo, hi, (area.left(), area.right()))
        y = axis.at
        group = _BarGroup.fit(slot, comp is not None, 0.58, 3.4 * px, 2.6 * px)
        bw = group.bar
        lay.value_font, lay.cat_font, lay.unit_in_header = value_font, cat_font, in_header
        value_boxes: list[tuple[str, QRectF, Qt.AlignmentFlag]] = []
        cat_boxes: list[tuple[str, QRectF, Qt.AlignmentFlag]] = []
        center = _A.AlignHCenter | _A.AlignVCenter
        zero = self._place_bars(lay, axis, area.left(), slot, group, vals, comp)
        solid = [r for r in lay.bars + lay.compare if not r.isEmpty()]
        for i in range(n):
            cx = area.left() + (i + 0.5) * slot
            x = cx - group.width / 2
            v = vals[i]
            box = QRectF()
            if i % stride == 0:
                tw = vfm.horizontalAdvance(texts[i]) + 2
                if v is None:  # a dash on the baseline where the bar would be
                    box = _inside(QRectF(x + bw / 2 - tw / 2, zero - val_h, tw, val_h), area)
                    # above any (compare) bar it would otherwise cross
                    for r in solid:
                        if r.left() < box.right() and box.left() < r.right() and r.top() < box.bottom():
                            box.moveBottom(min(box.bottom(), r.top()))
                elif v < 0:  # below the lowest bar end under the label
                    box = _inside(QRectF(cx - tw / 2, y(v), tw, val_h), area)
                    for r in solid:
                        if r.left() < box.right() and box.left() < r.right() and r.bottom() > box.top() + 0.5:
                            box.moveTop(max(box.top(), r.bottom()))
                else:  # above the highest bar end under the label
                    box = _inside(QRectF(cx - tw / 2, y(v) - val_h, tw, val_h), area)
                    for r in solid:
                        if r.left() < box.right() and box.left() < r.right() and r.top() < box.bottom() - 0.5:
                            box.moveBottom(min(box.bottom(), r.top()))
            value_boxes.append((texts[i] if not box.isEmpty() else "", box, _BOTTOM_CENTER))
            name = self._cats[i] if i < len(self._cats) else ""
            cbox = QRectF()
            text = ""
            if i % cstride == 0 and name:
                text = elide(cfm, name, cat_w + slot * (cstride - 1))
                tw = cfm.horizontalAdvance(text) + 2
                cbox = QRectF(cx - tw / 2, plot.bottom() + below, tw, cat_h)
            cat_boxes.append((text, cbox, center))
            lay.slots.append(QRectF(cx - slot / 2, area.top(), slot, area.height()))
        lay.values = _no_overlap(value_boxes, area, vfm.horizontalAdvance("0") * 0.5)
        lay.cats = _no_overlap(cat_boxes, area, cfm.horizontalAdvance("0"))

    def _layout_h(
        self,
        lay: _Layout,
        n: int,
        vals: list[float | None],
        comp: list[float | None] | None,
        lo: float,
        hi: float,
    ) -> None:
        area = self._area
        band = area.height() / n
        px = max(8, min(self._label_px, int(band * 0.72)))
        stride = max(1, math.ceil(px * 1.25 / band))
        cat_font = theme.pixel_font(px)
        cfm = QFontMetrics(cat_font)
        gap = px * 0.6
        cat_w = min(max((cfm.horizontalAdvance(c) for c in self._cats), default=0), area.width() * 0.32)
        value_font = theme.pixel_font(px)
        vfm = QFontMetrics(value_font)
        texts = self._value_texts(vals, True)
        val_w = max(vfm.horizontalAdvance(t) for t in texts) + gap * 0.5
        in_header = False
        if self._unit and val_w > area.width() * 0.28:
            texts = self._value_texts(vals, False)
            val_w = max(vfm.horizontalAdvance(t) for t in texts) + gap * 0.5
            in_header = True
        left_extra = val_w if lo < 0 else 0.0
        plot = QRectF(
            area.left() + cat_w + gap + left_extra,
            area.top(),
            max(2.0, area.width() - cat_w - gap - val_w - left_extra),
            area.height(),
        )

        axis = _ValueAxis(False, plot.left(), plot.width(), lo, hi, (area.top(), area.bottom()))
        x = axis.at
        group = _BarGroup.fit(band, comp is not None, 0.6, 1.8 * self._label_px, 1.6 * self._label_px)
        bh = group.bar
        lay.value_font, lay.cat_font, lay.unit_in_header = value_font, cat_font, in_header
        zero = self._place_bars(lay, axis, area.top(), band, group, vals, comp)
        for i in range(n):
            cy = area.top() + (i + 0.5) * band
            y0 = cy - group.width / 2
            v = vals[i]
            if i % stride == 0:
                box_h = min(band * stride - 1, cfm.height() * 1.1)  # a line, clear of the next label
                c = comp[i] if comp is not None else None
                if v is None:  # a dash at the baseline, on the bar's own line
                    lay.values.append((texts[i], QRectF(zero + gap * 0.4, y0, val_w, bh), _LEFT))
                elif v < 0:  # left of the further of the two bar ends
                    tx = min(x(v), x(c) if c is not None and c < 0 else zero)
                    box = QRectF(tx - val_w - gap * 0.4, cy - box_h / 2, val_w, box_h)
                    lay.values.append((texts[i], box, _RIGHT))
                else:
                    tx = max(x(v), x(c) if c is not None and c > 0 else zero)
                    lay.values.append((texts[i], QRectF(tx + gap * 0.4, cy - box_h / 2, val_w, box_h), _LEFT))
                name = self._cats[i] if i < len(self._cats) else ""
                cb = QRectF(area.left(), cy - box_h / 2, cat_w, box_h)
                lay.cats.append((elide(cfm, name, cat_w), cb, _RIGHT))
            else:
                lay.values.append(("", QRectF(), _LEFT))
                lay.cats.append(("", QRectF(), _RIGHT))
            lay.slots.append(QRectF(area.left(), cy - band / 2, area.width(), band))

    def _fit_value_labels(
        self, vals: list[float | None], width: float, px: int
    ) -> tuple[QFont, list[str], int, bool]:
        """Font, texts, stride and whether the unit went to the header, for labels within width."""
        font = theme.pixel_font(px)
        fm = QFontMetrics(font)
        texts = self._value_texts(vals, True)
        in_header = False
        if self._unit and max(fm.horizontalAdvance(t) for t in texts) > width:
            texts, in_header = self._value_texts(vals, False), True
        widest = max(texts, key=fm.horizontalAdvance)
        size = px
        while fm.horizontalAdvance(widest) > width and size > max(8, int(px * 0.7)):
            size -= 1
            font = theme.pixel_font(size)
            fm = QFontMetrics(font)
        stride = 1
        need = fm.horizontalAdvance(widest) + fm.horizontalAdvance("0")
        while need > width * stride * 1.02 and stride < len(vals):
            stride += 1
        return font, texts, stride, in_header

    def _fit_categories(self, slot: float, px: int) -> tuple[QFont, int, float]:
        """Category font, stride (every k-th label) and the width one label may take."""
        n = self._count()
        names = [self._cats[i] for i in range(min(n, len(self._cats)))]
        size = px
        font = theme.pixel_font(size)
        fm = QFontMetrics(font)
        room = slot - max(4.0, px * 0.5)
        widest = max((fm.horizontalAdvance(t) for t in names), default=0)
        while widest > room and size > max(8, int(px * 0.8)):
            size -= 1
            font = theme.pixel_font(size)
            fm = QFontMetrics(font)
            widest = max((fm.horizontalAdvance(t) for t in names), default=0)
        # at least two characters and an ellipsis per label, else every k-th label
        least = min(widest, fm.horizontalAdvance("字字…"))
        stride = 1
        while room + slot * (stride - 1) < least and stride < n:
            stride += 1
        return font, stride, room

    # ---- painting -------------------------------------------------------------------

    def _cache_rect(self) -> QRect:
        return QRect()  # flat fills and text: drawing beats keeping a pixmap

    def _colors(self) -> _Colors:
        """Bar, compare, beyond-limit, limit, text and dim colours in the current state (cached)."""
        key = (
            self._state,
            self._color.rgb(),
            self._compare_color,
            self._over_color.rgb(),
            self._limit_color.rgb(),
        )
        if self._color_cache is None or self._color_cache[0] != key:
            st = self._state
            base_c = self._compare_color or theme.blend(self._color, theme.PANEL, 0.55)
            colors = (
                state_color(self._color, st, 0.5),
                state_color(base_c, st, 0.4),
                state_color(self._over_color, st, 0.5),
                state_color(self._limit_color, st, 0.45),
                state_color(theme.TEXT, st, 0.45),
                state_color(theme.TEXT_DIM, st, 0.3),
            )
            self._color_cache = (key, colors)
        return self._color_cache[1]

    def _legend_entries(self, with_unit: bool) -> list[tuple[str, QColor | None, bool]]:
        """Legend entries: text, swatch colour (None: no swatch), dashed (a line swatch)."""
        if self._state == DataState.NO_DATA:
            return []
        bar, comp, _, limit, _, _ = self._colors()
        out: list[tuple[str, QColor | None, bool]] = []
        if self._value_label:
            out.append((self._value_label, bar, False))
        if self._compare is not None:
            out.append((self._compare_label, comp, False))
        if self._limit is not None:
            text = f"{self._limit_label} {self._fmt(self._limit, True)}".strip()
            out.append((text, limit, True))
        if self._unit and with_unit:
            out.append((self._unit_caption.format(unit=self._unit), None, False))
        return out

    def _legend_width(self, entries: list[tuple[str, QColor | None, bool]]) -> float:
        lfm = QFontMetrics(self._legend_font)
        sw, gap = round(self._label_px * 1.3), self._label_px
        return sum(
            (sw + gap * 0.5 if c is not None else 0) + lfm.horizontalAdvance(t) + gap for t, c, _ in entries
        )

    def _paint_static(self, p: QPainter) -> None:
        r = self._header_rect
        if self._needs(r) or self._needs(self._legend_rect):
            self._paint_header(p, r)
        nr = self._note_rect
        if not nr.isEmpty() and self._needs(nr):
            p.setFont(self._note_font)
            p.setPen(self._note_color())
            p.drawText(nr, _LEFT, elide(QFontMetrics(self._note_font), self._note, nr.width()))

    def _paint_header(self, p: QPainter, r: QRectF) -> None:
        fm, lfm = QFontMetrics(self._title_font), QFontMetrics(self._legend_font)
        gap = self._label_px
        sw = round(self._label_px * 1.3)
        entries = self._legend_entries(self._ensure_layout().unit_in_header)
        lr = self._legend_rect
        if self._legend_own_line:
            avail = lr.width() + gap
        else:
            title_w = min(fm.horizontalAdvance(self._title), r.width() * (0.45 if entries else 1.0))
            avail = r.width() - (title_w + 2 * gap if self._title else 0)
        shown = entries
        if entries and self._legend_width(entries) > avail:
            share = avail / len(entries) - gap
            shown = [
                (elide(lfm, t, share - (sw + gap * 0.5 if c is not None else 0)), c, d) for t, c, d in entries
            ]
        legend_w = self._legend_width(shown)
        if self._title:
            p.setFont(self._title_font)
            p.setPen(QColor(theme.NEUTRAL))
            room = r.width() - (0 if self._legend_own_line else legend_w)
            p.drawText(r, _LEFT, elide(fm, self._title, room))
        # right-aligned on the title row, left-aligned on a line of its own
        x = lr.left() if self._legend_own_line else lr.right() - legend_w + gap
        cy = lr.center().y()
        p.setFont(self._legend_font)
        for text, color, dashed in shown:
            if color is not None:
                if dashed:
                    pen = QPen(color, max(2, round(self._label_px / 8)), Qt.PenStyle.DashLine)
                    p.setPen(pen)
                    p.drawLine(QPointF(x, cy), QPointF(x + sw, cy))
                else:
                    p.fillRect(QRectF(x, cy - self._label_px * 0.3, sw, self._label_px * 0.6), color)
                x += sw + gap * 0.5
            p.setPen(QColor(theme.TEXT_DIM))
            tw = lfm.horizontalAdvance(text)
            p.drawText(QRectF(x, lr.top(), tw + 2, lr.height()), _LEFT, text)
            x += tw + gap

    def _paint_dynamic(self, p: QPainter, rect: QRect) -> None:
        area = self._area
        if not QRectF(rect).intersects(area):
            return
        lay = self._ensure_layout()
        bar, comp, over, limit, text, dim = self._colors()
        if lay.baseline is not None:
            p.setPen(QPen(QColor(theme.EDGE), max(1, round(self._scale / 600))))
            p.drawLine(*lay.baseline)
        for r in lay.compare:
            if not r.isEmpty():
                p.fillRect(r, comp)
        for r, is_over in zip(lay.bars, lay.over, strict=False):
            if not r.isEmpty():
                p.fillRect(r, over if is_over else bar)
        if lay.limit is not None:
            pen = QPen(limit, max(2, round(self._scale / 450)), Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(*lay.limit)
        p.setFont(lay.value_font)
        for (t, box, align), is_over in zip(lay.values, lay.over, strict=False):
            if t:
                p.setPen(dim if t == DASH else (over if is_over else text))
                p.drawText(box, align, t)
        p.setFont(lay.cat_font)
        p.setPen(dim)
        for t, box, align in lay.cats:
            if t:
                p.drawText(box, align, t)
        if self._state == DataState.NO_DATA or self._count() == 0:
            p.setFont(self._dash_font)
            p.setPen(QColor(theme.TEXT_DIM))
            p.drawText(area, _A.AlignCenter, DASH)

    # ---- Qt -------------------------------------------------------------------------



def _inside(box: QRectF, area: QRectF) -> QRectF:
    """box moved sideways into the area (as far as it fits)."""
    if box.right() > area.right():
        box.moveRight(area.right())
    if box.left() < area.left():
        box.moveLeft(area.left())
    return box


def _no_overlap(
    boxes: list[tuple[str, QRectF, Qt.AlignmentFlag]], area: QRectF, margin: float
) -> list[tuple[str, QRectF, Qt.AlignmentFlag]]:
    """Labels moved inside the area horizontally; a label that would touch the one kept
    before it is dropped (text ""), so no two drawn labels ever overlap."""
    out = []
    kept: list[QRectF] = []
    for text, box, align in boxes:
        if not text or box.isEmpty():
            out.append(("", QRectF(), align))
            continue
        b = _inside(QRectF(box), area)
        grown = b.adjusted(-margin, 0, margin, 0)
        if any(grown.intersects(k) for k in kept[-3:]):
            out.append(("", QRectF(), align))
            continue
        kept.append(b)
        out.append((text, b, align))
    return out


def _preview() -> None:
    import random

    from widgets._preview import run_preview

    districts = ["柯桥区", "越城区", "上虞区", "诸暨市", "嵊州市", "新昌县"]
    rng = random.Random(5)
    base = [1003.3, 652.1, 580.4, 455.0, 321.0, 190.5]

    def make(state: DataState, note: str) -> BarChart:
        c = BarChart()
        c.set_title("各区县规上工业产值 · 本月")
        c.set_unit("亿元")
        c.set_precision(1)
        c.set_categories(districts)
        c.set_values(base, "本年")
        c.set_compare([880.0, 700.2, 510.0, 400.0, 300.0, 150.0], "去年同期")
        c.set_limit(900, "目标")
        c.set_state(state, note)
        return c

    def tick(charts: list) -> None:
        charts[0].set_values([v * rng.uniform(0.9, 1.1) for v in base])
        charts[0].set_orientation("h" if charts[0].orientation() == "v" else "v")

    run_preview("BarChart preview", make, tick, columns=2, size=(1600, 900), interval_ms=2000)


if __name__ == "__main__":
    _preview()
