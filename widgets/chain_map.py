"""ChainMap: an industry chain as stages left to right (建链 · 补链 · 强链), each stage a
column of links connected to the next by an arrow.

A link is a box with its name, its enterprise count ("12家") and its strength as a colour,
a style and a word: strong is filled green ("强"), weak outlined amber ("弱"), missing a
dashed red box on a red tint ("缺"): the gap worth attracting investment for, which has to
stand out from across the room. Colour never carries the meaning alone (the word and the
line style do too), so the map still reads offline, in grey.

Boxes and text scale with the widget; a stage with more links than fit at the smallest
readable size shows as many as fit and a "+N" box, so nothing ever overlaps. Clicking a
link emits ``activated(key)``; hovering shows its detail (plain text). All of it is drawn
into the cached static layer: nothing repaints while idle, hovering included.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets._panel import DASH, ClickableItems, Panel, elide, elide_lines
from widgets.state import DataState

STRENGTHS = ("strong", "weak", "missing")
LABELS_ZH = {"strong": "强", "weak": "弱", "missing": "缺"}
LABELS_EN = {"strong": "strong", "weak": "weak", "missing": "missing"}
_MIN_PX = 8  # the smallest text drawn in a box


@dataclass(frozen=True)
class ChainLink:
    """One link of a chain: its strength ("strong", "weak" or "missing") and enterprise count."""

    key: str
    name: str
    strength: str
    count: int | None
    detail: str = ""


@dataclass(frozen=True)
class ChainStage:
    """One stage of a chain (a column), with its links top to bottom."""

    key: str
    name: str
    links: Sequence[ChainLink] = ()


@dataclass
class _Box:
    rect: QRectF
    link: ChainLink | None  # None: the "+N" box of links that do not fit
    fonts: tuple[QFont, QFont, QFont]  # name, word (bold), count
    name: str = ""  # texts as drawn (elided)
    count: str = ""
    word: str = ""
    two_lines: bool = False
    more: int = 0


def _inset(font: QFont) -> float:
    """Left and right margin of the text in a box."""
    return max(3.0, font.pixelSize() * 0.45)


def _clean_count(count: object, where: str) -> int | None:
    if count is None:
        return None
    if isinstance(count, bool) or not isinstance(count, int | float):
        raise ValueError(f"{where}: count must be an int or None, got {count!r}")
    if isinstance(count, float):
        if not math.isfinite(count):
            return None
        if count != int(count):
            raise ValueError(f"{where}: count must be a whole number, got {count!r}")
    if count < 0:
        raise ValueError(f"{where}: count cannot be negative, got {count!r}")
    return int(count)


class ChainMap(ClickableItems, Panel):
    """An industry chain: stages as columns of links coloured by strength."""

    activated = Signal(str)  # the key of a clicked link

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = ""
        self._stages: list[ChainStage] = []
        self._labels = dict(LABELS_ZH)
        self._count_unit = "家"
        self.setMouseTracking(True)  # the pointing-hand cursor over a link; no repaint
        self._relayout()

    # ---- public API -----------------------------------------------------------------

    def _text_changed(self, what: str) -> None:
        self._changed()

    def set_stages(self, stages: Iterable[ChainStage]) -> None:
        """The chain, stages left to right. Keys must be unique (stages apart, links apart)."""
        clean: list[ChainStage] = []
        stage_keys: set[str] = set()
        link_keys: set[str] = set()
        for i, st in enumerate(stages):
            if not isinstance(st, ChainStage):
                raise ValueError(f"stage {i}: expected a ChainStage, got {type(st).__name__}")
            if st.key in stage_keys:
                raise ValueError(f"stage {i}: duplicate stage key {st.key!r}")
            stage_keys.add(st.key)
            links = []
            for j, ln in enumerate(st.links):
                where = f"stage {st.key!r} link {j}"
                if not isinstance(ln, ChainLink):
                    raise ValueError(f"{where}: expected a ChainLink, got {type(ln).__name__}")
                if ln.strength not in STRENGTHS:
                    raise ValueError(
                        f"{where}: strength must be one of {', '.join(STRENGTHS)}, not {ln.strength!r}"
                    )
                if ln.key in link_keys:
                    raise ValueError(f"{where}: duplicate link key {ln.key!r}")
                link_keys.add(ln.key)
                links.append(
                    ChainLink(
                        str(ln.key), str(ln.name), ln.strength, _clean_count(ln.count, where), str(ln.detail)
                    )
                )
            clean.append(ChainStage(str(st.key), str(st.name), tuple(links)))
        if clean != self._stages:
            self._stages = clean
            self._changed()

    def stages(self) -> list[ChainStage]:
        return list(self._stages)

    def set_strength_labels(self, labels: Mapping[str, str]) -> None:
        """The words for "strong", "weak" and "missing" (default zh 强/弱/缺; see LABELS_EN)."""
        unknown = set(labels) - set(STRENGTHS)
        if unknown:
            raise ValueError(f"unknown strengths {sorted(unknown)}; expected {', '.join(STRENGTHS)}")
        new = dict(self._labels)
        new.update({k: str(v) for k, v in labels.items()})
        if new != self._labels:
            self._labels = new
            self._changed()

    def set_count_unit(self, unit: str) -> None:
        """The word after an enterprise count (default "家"; e.g. " firms")."""
        if str(unit) != self._count_unit:
            self._count_unit = str(unit)
            self._changed()

    # ---- what is laid out (read-only, for tests and tools) ----------------------------

    def link_rects(self) -> dict[str, QRectF]:
        """The boxes of the links drawn, by key (links in a "+N" box are not drawn)."""
        return {b.link.key: QRectF(b.rect) for b in self._boxes if b.link is not None}

    def link_texts(self) -> dict[str, tuple[str, str, str]]:
        """(name, count, word) as drawn in each link's box (elided; "" where not drawn)."""
        return {b.link.key: (b.name, b.count, b.word) for b in self._boxes if b.link is not None}

    def overflow(self) -> dict[str, int]:
        """Stage key → links not drawn for lack of room (shown as a "+N" box)."""
        return dict(self._overflow)

    def legend_texts(self) -> list[str]:
        """The legend's entries as drawn (word and how many links have that strength)."""
        return [t for t, _, _ in self._legend]

    def link_at(self, pos: QPointF) -> str | None:
        """The key of the link under a point (widget coordinates), or None."""
        for b in self._boxes:
            if b.link is not None and b.rect.contains(QPointF(pos)):
                return b.link.key
        return None

    def link_tooltip(self, key: str) -> str:
        """The plain-text tooltip of a link: stage · name, strength and count, detail."""
        for st in self._stages:
            for ln in st.links:
                if ln.key == key:
                    head = f"{st.name} · {ln.name}" if st.name else ln.name
                    lines = [head]
                    if self._state != DataState.NO_DATA:
                        lines.append(f"{self._labels[ln.strength]} · {self._count_text(ln.count)}")
                    if ln.detail:
                        lines.append(ln.detail)
                    if self._note:
                        lines.append(self._note)
                    return "\n".join(lines)
        return ""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(900, 450)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(240, 140)

    # ---- layout ---------------------------------------------------------------------

    def _changed(self) -> None:
        self._relayout()
        self.invalidate()

    def _state_changed(self) -> None:
        self._relayout()  # no data: counts and words are not drawn

    def _count_text(self, count: int | None) -> str:
        return DASH if count is None else f"{count:,}{self._count_unit}"

    def _relayout(self) -> None:
        w, h = max(1, self.width()), max(1, self.height())
        s = max(60.0, min(w / 1.6, float(h)))
        self._scale = s
        pad = max(4.0, 0.035 * s)
        self._pad = pad
        self._title_font = theme.pixel_font(max(9, round(0.05 * s)))
        self._note_font = theme.pixel_font(max(8, round(0.036 * s)))
        self._header = QRectF(pad, pad * 0.8, max(0.0, w - 2 * pad), 0.075 * s)
        legend_px = max(8, round(0.034 * s))
        self._legend_font = theme.pixel_font(legend_px)
        lfm = QFontMetrics(self._legend_font)
        legend_h = lfm.height() * 1.5
        top = self._header.bottom() + 0.02 * s
        self._legend_rect = QRectF(pad, h - pad - legend_h, max(0.0, w - 2 * pad), legend_h)
        self._content = QRectF(
            pad, top, max(0.0, w - 2 * pad), max(0.0, self._legend_rect.top() - top - 0.01 * s)
        )
        self._boxes: list[_Box] = []
        self._fonts: dict[tuple[int, bool], QFont] = {}
        self._overflow: dict[str, int] = {}
        self._columns: list[tuple[QRectF, str]] = []  # stage header rect, name as drawn
        self._arrows: list[tuple[float, float, float]] = []  # x0, x1, y
        self._layout_stages()
        self._layout_legend(lfm)

    def _layout_stages(self) -> None:
        c = self._content
        s = self._scale
        n = len(self._stages)
        if n == 0 or c.width() < 4 or c.height() < 4:
            return
        ag = min(0.06 * s, c.width() * 0.25 / max(1, n - 1)) if n > 1 else 0.0  # arrow gap
        cw = (c.width() - (n - 1) * ag) / n
        stage_px = max(_MIN_PX, round(min(0.04 * s, cw * 0.16)))
        self._stage_font = theme.pixel_font(stage_px, True)
        sfm = QFontMetrics(self._stage_font)
        head_h = sfm.height() * 1.5
        vgap = max(2.0, 0.018 * s)
        area = QRectF(c.left(), c.top() + head_h + vgap * 1.5, c.width(), c.height() - head_h - vgap * 1.5)
        mid_y = area.center().y()
        for k, st in enumerate(self._stages):
            x = c.left() + k * (cw + ag)
            hr = QRectF(x, c.top(), cw, head_h)
            self._columns.append((hr, elide(sfm, st.name, cw - 2 * max(3.0, stage_px * 0.45))))
            self._layout_column(st, x, cw, area, vgap)
            if k < n - 1:
                self._arrows.append((x + cw + ag * 0.12, x + cw + ag * 0.88, mid_y))

    def _font(self, px: int, bold: bool = False) -> QFont:
        key = (px, bold)
        font = self._fonts.get(key)
        if font is None:
            font = self._fonts[key] = theme.pixel_font(px, bold)
        return font

    def _layout_column(self, st: ChainStage, x: float, cw: float, area: QRectF, vgap: float) -> None:
        """The boxes of one stage: as tall as fit (up to a maximum), centred on the arrows."""
        s = self._scale
        links = list(st.links)
        m = len(links)
        if m == 0:
            return
        bh_max = 0.15 * s
        bh_min = _MIN_PX * 1.7
        a = area.height()
        vg = vgap
        bh = (a - (m - 1) * vg) / m
        if bh < 4 * vg:  # crowded: narrower gaps first
            vg = max(2.0, a / (5 * m - 1))
            bh = (a - (m - 1) * vg) / m
        bh = min(bh, bh_max)
        shown: list[ChainLink | None] = list(links)
        if bh < bh_min:  # still too small to read: as many as fit and a "+N" box
            bh, vg = bh_min, 2.0
            fit = max(1, int((a + vg) // (bh + vg)))
            if fit < m:
                shown = list(links[: fit - 1]) + [None]
                self._overflow[st.key] = m - (fit - 1)
        # text in the boxes: two lines (name; count and word) when tall enough
        name_px = max(_MIN_PX, round(min(0.04 * s, bh * 0.34, cw * 0.15)))
        two = bh >= name_px * 2.75 and cw >= name_px * 4
        if not two:
            name_px = max(_MIN_PX, round(min(0.04 * s, bh * 0.55, cw * 0.15)))
        fonts = (
            self._font(name_px),
            self._font(name_px, True),
            self._font(max(_MIN_PX, round(name_px * (0.85 if two else 1.0)))),
        )
        # long names ("先进封装（晶圆级）"): the stage's names a size smaller (to at most 0.72 of
        # it) rather than cut; a name that still does not fit is cut, the full name on hover
        names = [ln.name for ln in shown if ln is not None and ln.name]
        if names:
            inner = cw - 2 * _inset(fonts[0])
            widest = max(QFontMetrics(fonts[0]).horizontalAdvance(n) for n in names)
            if widest > inner > 0:
                px = max(_MIN_PX, round(0.72 * name_px), int(name_px * inner / widest))
                fonts = (self._font(px), fonts[1], fonts[2])
        rows = len(shown)
        stack_h = rows * bh + (rows - 1) * vg
        y = max(area.top(), area.center().y() - stack_h / 2)
        for ln in shown:
            r = QRectF(x, y, cw, bh)
            if ln is None:
                more = self._overflow[st.key]
                self._boxes.append(_Box(r, None, fonts, name=f"+{more}", more=more))
            else:
                self._boxes.append(self._box_texts(r, ln, two, fonts))
            y += bh + vg

    def _box_texts(
        self,
        r: QRectF,
        ln: ChainLink,
        two: bool,
        fonts: tuple[QFont, QFont, QFont],
    ) -> _Box:
        nfm, wfm, smfm = (QFontMetrics(f) for f in fonts)
        inner = r.width() - 2 * _inset(fonts[0])
        if self._state == DataState.NO_DATA:
            return _Box(r, ln, fonts, name=elide(nfm, ln.name, inner), two_lines=two)
        word = self._labels[ln.strength]
        count = self._count_text(ln.count)
        gap = nfm.horizontalAdvance("0") * 0.6
        if two:
            word_w = wfm.horizontalAdvance(word)
            if word_w + gap + smfm.horizontalAdvance(count) > inner:
                count = ""
            if word_w > inner:
                word = elide(wfm, word, inner)
            lines = 2 if r.height() * 0.52 + 1 >= 2 * nfm.lineSpacing() else 1  # the name's half of the box
            return _Box(r, ln, fonts, name=elide_lines(nfm, ln.name, inner, lines), count=count, word=word,
                        two_lines=True)
        word_w = wfm.horizontalAdvance(word)
        count_w = smfm.horizontalAdvance(count)
        min_name = nfm.horizontalAdvance("中中") if ln.name else 0
        if inner - word_w - count_w - 2 * gap < min_name:
            count, count_w = "", 0  # narrow: the name and the word matter more than the count
        if inner - word_w - gap < min_name:
            word, word_w = "", 0
        used = word_w + (count_w + gap if count else 0) + (gap if word else 0)
        lines = 2 if r.height() + 1 >= 2 * nfm.lineSpacing() else 1  # a long name wraps where it can
        return _Box(r, ln, fonts, name=elide_lines(nfm, ln.name, inner - used, lines), count=count, word=word)

    def _layout_legend(self, fm: QFontMetrics) -> None:
        self._legend: list[tuple[str, str, QRectF]] = []  # text, strength, swatch rect
        lr = self._legend_rect
        if not self._stages or lr.width() < 10:
            return
        counts = {k: 0 for k in STRENGTHS}
        for st in self._stages:
            for ln in st.links:
                counts[ln.strength] += 1
        no_data = self._state == DataState.NO_DATA
        texts = [self._labels[k] if no_data else f"{self._labels[k]} {counts[k]}" for k in STRENGTHS]
        sw = fm.height() * 1.3
        sh = fm.height() * 0.8
        gap = fm.horizontalAdvance("0") * 0.6
        spacing = fm.horizontalAdvance("0") * 2.2
        widths = [sw + gap + fm.horizontalAdvance(t) for t in texts]
        total = sum(widths) + spacing * 2
        if total > lr.width():
            each = (lr.width() - spacing * 2) / 3 - sw - gap
            texts = [elide(fm, t, each) for t in texts]
            widths = [sw + gap + fm.horizontalAdvance(t) for t in texts]
            total = sum(widths) + spacing * 2
        x = lr.right() - total  # right-aligned under the chain
        cy = lr.center().y()
        for t, k, wd in zip(texts, STRENGTHS, widths, strict=True):
            self._legend.append((t, k, QRectF(x, cy - sh / 2, sw, sh)))
            x += wd + spacing

    # ---- colours --------------------------------------------------------------------

    def _style(self, strength: str) -> tuple[QColor | None, QColor, Qt.PenStyle, QColor, QColor]:
        """Fill (None: none), border colour, border style, name colour, word colour."""
        state = self._state
        if state == DataState.NO_DATA:
            return (
                None,
                QColor(theme.NO_DATA_EDGE),
                Qt.PenStyle.SolidLine,
                QColor(theme.TEXT_DIM),
                QColor(theme.TEXT_DIM),
            )
        if state == DataState.OFFLINE:
            grey = QColor(theme.OFFLINE_VALUE)
            if strength == "strong":
                fill = theme.blend(grey, theme.PANEL, 0.25)
                return fill, fill, Qt.PenStyle.SolidLine, QColor(theme.TEXT), QColor(theme.TEXT)
            tint = theme.blend(grey, theme.PANEL, 0.85)
            style = Qt.PenStyle.DashLine if strength == "missing" else Qt.PenStyle.SolidLine
            return tint, grey, style, grey, grey
        dim = 0.45 if state == DataState.STALE else 0.0
        text = theme.blend(theme.TEXT, theme.PANEL, dim)
        if strength == "strong":
            fill = theme.blend(theme.OK, theme.PANEL, dim)
            lum = 0.3 * fill.red() + 0.59 * fill.green() + 0.11 * fill.blue()
            on = QColor(theme.PANEL) if lum > 140 else QColor(theme.TEXT)
            return fill, fill, Qt.PenStyle.SolidLine, on, on
        if strength == "weak":
            edge = theme.blend(theme.WARN, theme.PANEL, dim)
            return theme.blend(theme.WARN, theme.PANEL, 0.9), edge, Qt.PenStyle.SolidLine, text, edge
        edge = theme.blend(theme.ALARM, theme.PANEL, dim)
        name = theme.blend(theme.blend(theme.ALARM, theme.TEXT, 0.45), theme.PANEL, dim)
        return theme.blend(theme.ALARM, theme.PANEL, 0.8), edge, Qt.PenStyle.DashLine, name, edge

    # ---- painting -------------------------------------------------------------------

    def _paint_static(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._paint_header(p)
        if not self._stages:
            p.setFont(theme.pixel_font(max(10, round(self._scale * 0.12)), True))
            p.setPen(QColor(theme.TEXT_DIM))
            p.drawText(self._content, Qt.AlignmentFlag.AlignCenter, DASH)
            return
        self._paint_columns(p)
        for b in self._boxes:
            self._paint_box(p, b)
        self._paint_legend(p)

    def _paint_header(self, p: QPainter) -> None:
        r = self._header
        self._paint_title_row(p, QRectF(r), self._title, self._title_font, self._note_font, self._pad)

    def _line_width(self) -> float:
        return max(1.0, self._scale / 300)

    def _paint_columns(self, p: QPainter) -> None:
        head_fill = QColor(theme.EDGE)
        head_text = QColor(theme.NEUTRAL if self._state != DataState.OFFLINE else theme.OFFLINE_VALUE)
        if self._state == DataState.STALE:
            head_text = theme.blend(head_text, theme.PANEL, 0.3)
        p.setFont(self._stage_font)
        radius = max(2.0, self._scale * 0.01)
        for hr, name in self._columns:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(head_fill)
            p.drawRoundedRect(hr, radius, radius)
            p.setPen(head_text)
            p.drawText(hr, Qt.AlignmentFlag.AlignCenter, name)
        p.setBrush(Qt.BrushStyle.NoBrush)
        arrow = QColor(theme.TEXT_DIM if self._live() else theme.NO_DATA_EDGE)
        lw = max(1.5, self._scale / 180)
        for x0, x1, y in self._arrows:
            head = min(x1 - x0, self._scale * 0.025)
            p.setPen(QPen(arrow, lw, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
            p.drawLine(QPointF(x0, y), QPointF(x1 - head * 0.6, y))
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(arrow)
            p.drawPolygon(
                QPolygonF(
                    [QPointF(x1, y), QPointF(x1 - head, y - head * 0.6), QPointF(x1 - head, y + head * 0.6)]
                )
            )
            p.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_box(self, p: QPainter, b: _Box) -> None:
        r = b.rect
        lw = self._line_width()
        radius = max(2.0, min(r.height() * 0.12, self._scale * 0.012))
        name_font, word_font, small_font = b.fonts
        inset = _inset(name_font)
        if b.link is None:  # "+N"
            p.setPen(QPen(QColor(theme.TEXT_DIM), lw, Qt.PenStyle.DotLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(r.adjusted(lw / 2, lw / 2, -lw / 2, -lw / 2), radius, radius)
            p.setFont(name_font)
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, b.name)
            return
        fill, edge, style, name_c, word_c = self._style(b.link.strength)
        bw = lw * (2.0 if b.link.strength == "missing" and self._state != DataState.NO_DATA else 1.4)
        bw = min(bw, max(1.0, r.height() * 0.07))  # small boxes: a thin line, the text stays clear
        pen = QPen(edge, bw, style)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        p.setPen(pen)
        p.setBrush(fill if fill is not None else Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(r.adjusted(bw / 2, bw / 2, -bw / 2, -bw / 2), radius, radius)
        p.setBrush(Qt.BrushStyle.NoBrush)
        inner = r.adjusted(inset, 0, -inset, 0)
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        count_c = name_c if b.link.strength == "strong" else theme.blend(name_c, theme.PANEL, 0.2)
        if b.two_lines:
            top = QRectF(inner.left(), r.top(), inner.width(), r.height() * 0.52)
            bottom = QRectF(inner.left(), r.top() + r.height() * 0.48, inner.width(), r.height() * 0.48)
            p.setFont(name_font)
            p.setPen(name_c)
            p.drawText(top, left, b.name)
            if b.count:
                p.setFont(small_font)
                p.setPen(count_c)
                p.drawText(bottom, left, b.count)
            if b.word:
                p.setFont(word_font)
                p.setPen(word_c)
                p.drawText(bottom, right, b.word)
            return
        p.setFont(name_font)
        p.setPen(name_c)
        p.drawText(inner, left, b.name)
        x = inner.right()
        if b.word:
            p.setFont(word_font)
            p.setPen(word_c)
            p.drawText(inner, right, b.word)
            x -= (
                QFontMetrics(word_font).horizontalAdvance(b.word)
                + QFontMetrics(name_font).horizontalAdvance("0") * 0.6
            )
        if b.count:
            p.setFont(small_font)
            p.setPen(count_c)
            p.drawText(QRectF(inner.left(), r.top(), x - inner.left(), r.height()), right, b.count)

    def _paint_legend(self, p: QPainter) -> None:
        if not self._legend:
            return
        p.setFont(self._legend_font)
        fm = QFontMetrics(self._legend_font)
        gap = fm.horizontalAdvance("0") * 0.6
        lw = self._line_width()
        for text, k, sq in self._legend:
            fill, edge, style, _, word_c = self._style(k)
            bw = lw * (2.0 if k == "missing" else 1.4)
            p.setPen(QPen(edge, bw, style))
            p.setBrush(fill if fill is not None else Qt.BrushStyle.NoBrush)
            p.drawRect(sq.adjusted(bw / 2, bw / 2, -bw / 2, -bw / 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QColor(theme.TEXT_DIM) if k == "strong" or fill is None else word_c)
            if k == "strong" and self._state != DataState.NO_DATA:
                p.setPen(QColor(theme.NEUTRAL) if self._live() else edge)
            p.drawText(
                QRectF(
                    sq.right() + gap,
                    self._legend_rect.top(),
                    fm.horizontalAdvance(text) + 2,
                    self._legend_rect.height(),
                ),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
            )

    # ---- interaction ----------------------------------------------------------------

    def _item_at(self, pos: QPointF) -> str | None:
        return self.link_at(pos)

    def _item_tooltip(self, key: str) -> str:
        return self.link_tooltip(key)


def sample_chain() -> list[ChainStage]:
    """Shaoxing's integrated-circuit chain, as the preview shows it (sample data)."""
    L = ChainLink  # noqa: N806
    return [
        ChainStage(
            "equip",
            "设备",
            [
                L("litho", "光刻设备", "missing", 0, "高端光刻机依赖进口, 招引重点"),
                L("etch", "刻蚀/薄膜设备", "weak", 3, "国产替代起步"),
            ],
        ),
        ChainStage(
            "material",
            "材料",
            [
                L("wafer", "硅片", "weak", 4, "8 英寸为主"),
                L("gas", "电子特气", "strong", 9, ""),
                L("resist", "光刻胶", "missing", 0, "空白环节"),
            ],
        ),
        ChainStage(
            "design",
            "设计",
            [
                L("ic_design", "芯片设计", "weak", 12, "以模拟、功率器件设计为主"),
                L("eda", "EDA 工具", "missing", None, ""),
            ],
        ),
        ChainStage(
            "fab",
            "制造",
            [L("foundry", "晶圆制造", "strong", 6, "中芯集成等"), L("power", "功率器件", "strong", 8, "")],
        ),
        ChainStage(
            "package",
            "封装测试",
            [L("pkg", "先进封装", "strong", 11, "长电绍兴等"), L("test", "测试", "weak", 5, "")],
        ),
        ChainStage(
            "app",
            "应用",
            [
                L("auto", "汽车电子", "weak", 14, ""),
                L("ind", "工业控制", "strong", 23, ""),
                L("consumer", "消费电子", "weak", 17, ""),
            ],
        ),
    ]


def _preview() -> None:
    from widgets._preview import run_preview

    def make(state: DataState, note: str) -> ChainMap:
        m = ChainMap()
        m.set_title("集成电路产业链 · 建链补链强链")
        m.set_stages(sample_chain())
        m.activated.connect(lambda key: print("activated", key))
        m.set_state(state, note)
        return m

    def tick(maps: list) -> None:
        pass

    run_preview("ChainMap preview", make, tick, columns=2, size=(1800, 900))


if __name__ == "__main__":
    _preview()
