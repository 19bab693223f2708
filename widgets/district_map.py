"""DistrictTileMap: a schematic tile map of areas coloured by one metric.

Not a geographic outline: each area is a rounded tile at a grid cell (col, row) chosen by
the caller to suggest where it lies. Tiles are filled on a sequential scale from a dim blue
(the lowest value shown) to a bright accent (the highest), with the area's name, the
formatted value and an optional secondary line; a legend bar below gives the metric, its
min and max and the unit. An area without a value is grey and hatched with a dash, never
coloured as if it were low.

Clicking a tile emits ``activated(key)``; hovering shows its name and value (plain text).
Everything is drawn into the cached static layer; nothing repaints while idle.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets._panel import DASH, ClickableItems, Panel, elide, fit_font, format_number
from widgets.state import DataState

# the sequential scale: dim blue (low) → accent → bright (high); luminance rises throughout
SCALE_STOPS = ((0.0, "#1a3d6b"), (0.55, theme.ACCENT), (1.0, "#b5ebff"))
# an unknown value: neutral grey (off the blue scale), hatched
_MISSING_FILL = QColor("#303843")
_MISSING_HATCH = QColor("#5b6574")


@dataclass(frozen=True)
class Area:
    """One area (district) of the map: its grid cell and its value (None = unknown)."""

    key: str
    name: str
    col: int
    row: int
    value: float | None
    secondary: str = ""


@dataclass
class _Tile:
    area: Area
    rect: QRectF
    name: str  # texts as drawn (elided), "" where not drawn
    value: str
    unit: str
    secondary: str
    fill: QColor | None  # None: drawn as unknown


def scale_color(t: float) -> QColor:
    """The colour of the sequential scale at t in [0, 1] (0 lowest, 1 highest)."""
    t = min(1.0, max(0.0, t))
    for (t0, c0), (t1, c1) in zip(SCALE_STOPS, SCALE_STOPS[1:], strict=False):
        if t <= t1:
            return theme.blend(c0, c1, (t - t0) / (t1 - t0))
    return QColor(SCALE_STOPS[-1][1])


def _luminance(c: QColor) -> float:
    return 0.3 * c.red() + 0.59 * c.green() + 0.11 * c.blue()


def _contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""

    def rel(c: QColor) -> float:
        ch = [x / 255 for x in (c.red(), c.green(), c.blue())]
        lin = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in ch]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    la, lb = rel(a), rel(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def _text_on(fill: QColor) -> QColor:
    """Dark or light text, whichever reads better on a fill."""
    dark, light = QColor(theme.PANEL), QColor(theme.TEXT)
    return dark if _contrast(dark, fill) > _contrast(light, fill) else light


def _clean_cell(v: object, what: str, key: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int | float) or not float(v).is_integer() or v < 0:
        raise ValueError(f"area {key!r}: {what} must be a whole number >= 0, got {v!r}")
    return int(v)


def _clean_value(v: object, key: str) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"area {key!r}: value is not a number: {v!r}") from None
    return f if math.isfinite(f) else None


class DistrictTileMap(ClickableItems, Panel):
    """Areas as tiles on a grid, coloured by a value on a sequential scale."""

    activated = Signal(str)  # the key of a clicked area

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = ""
        self._unit = ""
        self._precision = 0
        self._metric = ""
        self._missing_caption = "无数据"
        self._areas: list[Area] = []
        self.setMouseTracking(True)
        self._relayout()

    # ---- public API -----------------------------------------------------------------

    def _text_changed(self, what: str) -> None:
        self._changed()

    def set_metric_name(self, name: str) -> None:
        """The name of the metric the colours show (on the legend)."""
        if str(name) != self._metric:
            self._metric = str(name)
            self._changed()

    def set_missing_caption(self, caption: str) -> None:
        """The legend's word for an area without a value ("无数据" by default; "No data")."""
        if str(caption) != self._missing_caption:
            self._missing_caption = str(caption)
            self._changed()

    def set_areas(self, areas: Iterable[Area]) -> None:
        """The areas; keys and cells must be unique; a None or NaN value is unknown."""
        clean: list[Area] = []
        keys: set[str] = set()
        cells: dict[tuple[int, int], str] = {}
        for i, a in enumerate(areas):
            if not isinstance(a, Area):
                raise ValueError(f"area {i}: expected an Area, got {type(a).__name__}")
            key = str(a.key)
            if key in keys:
                raise ValueError(f"duplicate area key {key!r}")
            keys.add(key)
            col, row = _clean_cell(a.col, "col", key), _clean_cell(a.row, "row", key)
            if (col, row) in cells:
                raise ValueError(f"areas {cells[(col, row)]!r} and {key!r} share the cell ({col}, {row})")
            cells[(col, row)] = key
            clean.append(Area(key, str(a.name), col, row, _clean_value(a.value, key), str(a.secondary)))
        if clean != self._areas:
            self._areas = clean
            self._changed()

    def areas(self) -> list[Area]:
        return list(self._areas)

    # ---- what is laid out (read-only, for tests and tools) ----------------------------

    def tile_rects(self) -> dict[str, QRectF]:
        return {t.area.key: QRectF(t.rect) for t in self._tiles}

    def tile_texts(self) -> dict[str, tuple[str, str, str]]:
        """(name, value, secondary) as drawn on each tile ("" where not drawn)."""
        return {t.area.key: (t.name, t.value, t.secondary) for t in self._tiles}

    def tile_colors(self) -> dict[str, QColor | None]:
        """Each tile's fill as drawn (None: unknown, grey and hatched)."""
        return {t.area.key: (QColor(t.fill) if t.fill is not None else None) for t in self._tiles}

    def legend_texts(self) -> list[str]:
        """The legend's texts as drawn: metric name, min, max (with unit)."""
        return [t for t, _ in self._legend_texts]

    def area_at(self, pos: QPointF) -> str | None:
        for t in self._tiles:
            if t.rect.contains(QPointF(pos)):
                return t.area.key
        return None

    def area_tooltip(self, key: str) -> str:
        for a in self._areas:
            if a.key == key:
                lines = [a.name]
                if self._state != DataState.NO_DATA:
                    value = DASH if a.value is None else format_number(a.value, self._precision)
                    unit = f" {self._unit}" if self._unit and a.value is not None else ""
                    lines.append(f"{self._metric}: {value}{unit}" if self._metric else f"{value}{unit}")
                    if a.secondary:
                        lines.append(a.secondary)
                if self._note:
                    lines.append(self._note)
                return "\n".join(lines)
        return ""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(700, 450)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(200, 140)

    # ---- layout ---------------------------------------------------------------------

    def _changed(self) -> None:
        self._relayout()
        self.invalidate()

    def _state_changed(self) -> None:
        self._relayout()

    def _range(self) -> tuple[float, float] | None:
        vals = [a.value for a in self._areas if a.value is not None]
        if not vals or self._state == DataState.NO_DATA:
            return None
        return min(vals), max(vals)

    def _fill_for(self, v: float | None, rng: tuple[float, float] | None) -> QColor | None:
        if v is None or rng is None:
            return None
        lo, hi = rng
        t = 0.55 if hi <= lo else (v - lo) / (hi - lo)
        return self._state_color(scale_color(t))

    def _state_color(self, c: QColor) -> QColor:
        if self._state == DataState.STALE:
            return theme.blend(c, theme.PANEL, 0.45)
        if self._state == DataState.OFFLINE:
            g = round(_luminance(c))
            return theme.blend(QColor(g, g, g), theme.PANEL, 0.35)
        return QColor(c)

    def _relayout(self) -> None:
        w, h = max(1, self.width()), max(1, self.height())
        s = max(60.0, min(w / 1.55, float(h)))
        self._scale = s
        pad = max(4.0, 0.035 * s)
        self._pad = pad
        self._title_font = theme.pixel_font(max(9, round(0.05 * s)))
        self._note_font = theme.pixel_font(max(8, round(0.036 * s)))
        self._header = QRectF(pad, pad * 0.8, max(0.0, w - 2 * pad), 0.075 * s)
        self._legend_font = theme.pixel_font(max(8, round(0.034 * s)))
        lfm = QFontMetrics(self._legend_font)
        legend_h = lfm.height() * 1.6
        top = self._header.bottom() + 0.02 * s
        self._legend_rect = QRectF(pad, h - pad - legend_h, max(0.0, w - 2 * pad), legend_h)
        self._map = QRectF(
            pad, top, max(0.0, w - 2 * pad), max(0.0, self._legend_rect.top() - top - 0.02 * s)
        )
        self._tiles: list[_Tile] = []
        self._small_row = False
        self._fonts: dict[tuple[int, bool], QFont] = {}
        self._layout_tiles()
        self._layout_legend(lfm)

    def _font(self, px: int, bold: bool = False) -> QFont:
        key = (px, bold)
        f = self._fonts.get(key)
        if f is None:
            f = self._fonts[key] = theme.pixel_font(px, bold)
        return f

    def _layout_tiles(self) -> None:
        if not self._areas or self._map.width() < 4 or self._map.height() < 4:
            return
        cols = max(a.col for a in self._areas) + 1
        rows = max(a.row for a in self._areas) + 1
        m = self._map
        cw, ch = m.width() / cols, m.height() / rows
        cw = min(cw, ch * 1.7)  # tiles stay tile-like, not strips
        ch = min(ch, cw * 1.15)
        x0 = m.left() + (m.width() - cw * cols) / 2
        y0 = m.top() + (m.height() - ch * rows) / 2
        gap = max(2.0, 0.06 * min(cw, ch))
        tw, th = cw - gap, ch - gap
        s = self._scale
        inset = max(3.0, 0.07 * min(tw, th))
        inner_w = tw - 2 * inset
        name_px = max(8, round(min(0.048 * s, th * 0.17, tw * 0.14)))
        value_px = max(9, round(min(0.085 * s, th * 0.3, tw * 0.25)))
        small_px = max(8, round(min(0.034 * s, th * 0.12)))
        self._tile_geom = (inset, name_px, value_px, small_px)
        name_font = self._font(name_px, True)
        small_font = self._font(small_px)
        nfm, sfm = QFontMetrics(name_font), QFontMetrics(small_font)
        show_small = th >= name_px * 1.4 + value_px * 1.3 + small_px * 1.6 + inset
        self._small_row = show_small and any(a.secondary for a in self._areas)
        rng = self._range()
        no_data = self._state == DataState.NO_DATA
        for a in self._areas:
            r = QRectF(x0 + a.col * cw + gap / 2, y0 + a.row * ch + gap / 2, tw, th)
            if no_data or a.value is None:
                value, unit = DASH, ""
            else:
                value = format_number(a.value, self._precision)
                unit = self._unit
                vf = fit_font(value_px, value, inner_w, bold=True, figures=True)
                room = inner_w - QFontMetrics(vf).horizontalAdvance(value)
                if not unit or QFontMetrics(small_font).horizontalAdvance(" " + unit) > room:
                    unit = ""  # no room: the legend carries the unit
            secondary = (
                elide(sfm, a.secondary, inner_w) if (a.secondary and show_small and not no_data) else ""
            )
            fill = None if no_data else self._fill_for(a.value, rng)
            self._tiles.append(_Tile(a, r, elide(nfm, a.name, inner_w), value, unit, secondary, fill))

    def _layout_legend(self, fm: QFontMetrics) -> None:
        self._legend_texts: list[tuple[str, QRectF]] = []
        self._legend_bar = QRectF()
        self._legend_missing = QRectF()
        lr = self._legend_rect
        if not self._areas or lr.width() < 20:
            return
        rng = self._range()
        if rng is None:
            lo_t = hi_t = DASH
        else:
            lo_t = format_number(rng[0], self._precision)
            hi_t = format_number(rng[1], self._precision) + (f" {self._unit}" if self._unit else "")
        gap = fm.horizontalAdvance("0") * 0.8
        x = lr.left()
        metric = ""
        if self._metric:
            metric = elide(fm, self._metric, lr.width() * 0.35)
            mw = fm.horizontalAdvance(metric)
            self._legend_texts.append((metric, QRectF(x, lr.top(), mw, lr.height())))
            x += mw + gap * 1.5
        lo_w, hi_w = fm.horizontalAdvance(lo_t), fm.horizontalAdvance(hi_t)
        missing = any(a.value is None for a in self._areas) and self._state != DataState.NO_DATA
        miss_t = self._missing_caption
        miss_w = (fm.height() * 1.2 + gap * 0.5 + fm.horizontalAdvance(miss_t) + gap * 2) if missing else 0.0
        bar_w = min(self._scale * 0.45, lr.right() - x - lo_w - hi_w - 2 * gap - miss_w)
        if bar_w < 20:
            bar_w = max(0.0, lr.right() - x - lo_w - hi_w - 2 * gap)
            missing = False
        self._legend_texts.append((lo_t, QRectF(x, lr.top(), lo_w, lr.height())))
        x += lo_w + gap
        bh = fm.height() * 0.55
        self._legend_bar = QRectF(x, lr.center().y() - bh / 2, max(0.0, bar_w), bh)
        x += bar_w + gap
        self._legend_texts.append((hi_t, QRectF(x, lr.top(), hi_w, lr.height())))
        x += hi_w + gap * 2
        if missing:
            sw = fm.height() * 1.2
            self._legend_missing = QRectF(x, lr.center().y() - fm.height() * 0.4, sw, fm.height() * 0.8)
            self._legend_texts.append(
                (miss_t, QRectF(x + sw + gap * 0.5, lr.top(), fm.horizontalAdvance(miss_t) + 2, lr.height()))
            )

    # ---- painting -------------------------------------------------------------------

    def _paint_static(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._paint_header(p)
        if not self._areas:
            p.setFont(theme.pixel_font(max(10, round(self._scale * 0.12)), True))
            p.setPen(QColor(theme.TEXT_DIM))
            p.drawText(self._map, Qt.AlignmentFlag.AlignCenter, DASH)
            return
        for t in self._tiles:
            self._paint_tile(p, t)
        self._paint_legend(p)

    def _paint_header(self, p: QPainter) -> None:
        r = self._header
        self._paint_title_row(p, QRectF(r), self._title, self._title_font, self._note_font, self._pad)

    def _hatch(self, p: QPainter, r: QRectF, path: QPainterPath, color: QColor) -> None:
        p.save()
        p.setClipPath(path, Qt.ClipOperation.IntersectClip)
        step = max(5.0, self._scale * 0.022)
        p.setPen(QPen(color, max(1.0, self._scale / 400)))
        x = r.left() - r.height()
        while x < r.right():
            p.drawLine(QPointF(x, r.bottom()), QPointF(x + r.height(), r.top()))
            x += step
        p.restore()

    def _paint_tile(self, p: QPainter, t: _Tile) -> None:
        r = t.rect
        inset, name_px, value_px, small_px = self._tile_geom
        radius = max(2.0, min(r.width(), r.height()) * 0.09)
        path = QPainterPath()
        path.addRoundedRect(r, radius, radius)
        no_data = self._state == DataState.NO_DATA
        if no_data:
            pen = QPen(QColor(theme.NO_DATA_EDGE), max(1.0, self._scale / 300), Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
            text, dim = QColor(theme.TEXT_DIM), QColor(theme.TEXT_DIM)
        elif t.fill is None:
            p.fillPath(path, _MISSING_FILL)
            self._hatch(p, r, path, _MISSING_HATCH)
            text = QColor(theme.TEXT_DIM if self._live() else theme.OFFLINE_VALUE)
            dim = text
        else:
            p.fillPath(path, t.fill)
            text = _text_on(t.fill)
            dim = theme.blend(text, t.fill, 0.3)
        inner = r.adjusted(inset, inset * 0.6, -inset, -inset * 0.6)
        nfm = QFontMetrics(self._font(name_px, True))
        name_h = nfm.height()
        p.setFont(self._font(name_px, True))
        p.setPen(text)
        p.drawText(
            QRectF(inner.left(), inner.top(), inner.width(), name_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            t.name,
        )
        small = self._font(small_px)
        sfm = QFontMetrics(small)
        bottom = inner.bottom()
        if self._small_row:  # reserved on every tile: the values line up
            bottom -= sfm.height()
        if t.secondary:
            p.setFont(small)
            p.setPen(dim)
            p.drawText(
                QRectF(inner.left(), inner.bottom() - sfm.height(), inner.width(), sfm.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                t.secondary,
            )
        vr = QRectF(
            inner.left(), inner.top() + name_h, inner.width(), max(0.0, bottom - inner.top() - name_h)
        )
        vf = fit_font(value_px, t.value, inner.width(), bold=True, figures=True)
        vfm = QFontMetrics(vf)
        unit_w = sfm.horizontalAdvance(" " + t.unit) if t.unit else 0
        total = vfm.horizontalAdvance(t.value) + unit_w
        x = vr.center().x() - total / 2
        base = vr.center().y() + (vfm.ascent() - vfm.descent()) / 2
        p.setFont(vf)
        p.setPen(text)
        p.drawText(QPointF(x, base), t.value)
        if t.unit:
            p.setFont(small)
            p.setPen(dim)
            p.drawText(QPointF(x + vfm.horizontalAdvance(t.value) + sfm.horizontalAdvance(" "), base), t.unit)

    def _paint_legend(self, p: QPainter) -> None:
        p.setFont(self._legend_font)
        p.setPen(QColor(theme.TEXT_DIM))
        for text, r in self._legend_texts:
            p.drawText(r, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        bar = self._legend_bar
        if bar.width() > 1:
            if self._range() is None:
                p.setPen(QPen(QColor(theme.NO_DATA_EDGE), 1, Qt.PenStyle.DashLine))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(bar)
            else:
                g = QLinearGradient(bar.topLeft(), bar.topRight())
                for t, c in SCALE_STOPS:
                    g.setColorAt(t, self._state_color(QColor(c)))
                p.fillRect(bar, g)
        if not self._legend_missing.isEmpty():
            r = self._legend_missing
            path = QPainterPath()
            path.addRect(r)
            p.fillPath(path, _MISSING_FILL)
            self._hatch(p, r, path, _MISSING_HATCH)

    # ---- interaction ----------------------------------------------------------------

    def _item_at(self, pos: QPointF) -> str | None:
        return self.area_at(pos)

    def _item_tooltip(self, key: str) -> str:
        return self.area_tooltip(key)


def shaoxing_areas(values: dict[str, float | None] | None = None) -> list[Area]:
    """Shaoxing's six districts on a 3×2 grid, roughly as on a map (sample layout):
    柯桥 越城 上虞 across the north, 诸暨 south-west, 嵊州 south, 新昌 south-east."""
    v = values or {}
    cells = [
        ("keqiao", "柯桥区", 0, 0),
        ("yuecheng", "越城区", 1, 0),
        ("shangyu", "上虞区", 2, 0),
        ("zhuji", "诸暨市", 0, 1),
        ("shengzhou", "嵊州市", 1, 1),
        ("xinchang", "新昌县", 2, 1),
    ]
    return [Area(k, n, c, r, v.get(k)) for k, n, c, r in cells]


def _preview() -> None:
    from widgets._preview import run_preview

    output = {
        "keqiao": 2716.4,
        "yuecheng": 1608.2,
        "shangyu": 2145.9,
        "zhuji": 2893.7,
        "shengzhou": 912.5,
        "xinchang": 688.1,
    }
    growth = {"keqiao": "同比 +6.1%", "zhuji": "同比 +4.8%", "xinchang": "同比 −1.2%"}

    def areas(vals: dict[str, float | None]) -> list[Area]:
        return [
            Area(a.key, a.name, a.col, a.row, a.value, growth.get(a.key, "")) for a in shaoxing_areas(vals)
        ]

    def make(state: DataState, note: str) -> DistrictTileMap:
        m = DistrictTileMap()
        m.set_title("各区县 规上工业产值")
        m.set_metric_name("规上工业产值")
        m.set_unit("亿元")
        m.set_precision(1)
        m.set_areas(areas(dict(output)))
        m.activated.connect(lambda key: print("activated", key))
        m.set_state(state, note)
        return m

    n = [0]

    def tick(maps: list) -> None:
        n[0] += 1
        vals: dict[str, float | None] = {
            k: v * (1 + 0.02 * math.sin(n[0] + i)) for i, (k, v) in enumerate(output.items())
        }
        if n[0] % 4 == 0:
            vals["shengzhou"] = None
        maps[0].set_areas(areas(vals))

    run_preview("DistrictTileMap preview", make, tick, columns=2, size=(1400, 900))


if __name__ == "__main__":
    _preview()
