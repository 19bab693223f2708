"""RankingBoard: a ranked list (rank, name, secondary text, value with unit, proportional bar).

Rows come in the order given (the caller sorts). The title row stays fixed; when there are
more rows than fit, the list auto-scrolls: every few seconds it moves up by one row with a
short animation and wraps round at the end. Only the animation repaints at frame rate;
idle, the board does not repaint at all. A live update keeps the scroll position.

The scrolling itself is :class:`widgets.scrolling_rows.ScrollingRows`, shared with the
alert ticker.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from PySide6.QtCore import (
    QPointF,
    QRectF,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets._panel import DASH, elide, fit_font, format_number
from widgets.scrolling_rows import (
    _ALIGN_CENTER,
    _ALIGN_LEFT,
    ScrollingRows,
    finite_or_none,
    state_color,
)
from widgets.state import DataState

# ---- the ranking board ---------------------------------------------------------------


@dataclass(frozen=True)
class RankRow:
    """One ranked entry; value None means unknown (a dash, no bar)."""

    key: str  # reported by a click (e.g. an enterprise code)
    name: str
    value: float | None
    secondary: str = ""  # a district, a status...
    marker: str | None = None  # a theme colour name ("ok", "warn", "alarm") for a status dot


@dataclass
class _Shown:
    rank: str
    name: str
    secondary: str
    value: str
    unit: str
    frac: float  # bar length, 0..1


class RankingBoard(ScrollingRows):
    """A ranked list that scrolls through its rows when they do not all fit."""

    _DEFAULT_EMPTY = "暂无数据"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._unit = ""
        self._precision = 0
        self._rows: list[RankRow] = []
        self._all_rows: list[RankRow] = []  # as given; _rows: the first max_rows of them
        self._max_rows = 0
        self._more_text = ""
        self._shown: list[_Shown] = []
        self._markers: dict[str, QColor] = {}
        self._relayout()

    # ---- public API -----------------------------------------------------------------

    def _text_changed(self, what: str) -> None:
        if what == "title":
            self.invalidate()
            return
        self._prepare()
        self.update()

    def set_rows(self, rows: list[RankRow]) -> None:
        """Show rows in this order (rank 1 first); keeps the scroll position. NaN counts as None."""
        clean = []
        for r in rows:
            v = finite_or_none(r.value)
            same = v is None if r.value is None else (type(r.value) is float and v == r.value)
            clean.append(r if same else dataclasses.replace(r, value=v))
        self._all_rows = clean
        if self._max_rows:
            clean = clean[: self._max_rows]
        note = (self._more_text.format(n=len(clean), total=len(self._all_rows))
                if self._more_text and len(clean) < len(self._all_rows) else "")
        if note != self._live_note:
            self._live_note = note
            self.invalidate()
        if clean == self._rows:
            return
        self._rows = clean
        self._set_keys([r.key for r in clean])
        self._prepare()
        self.update(self._view.toAlignedRect())

    def set_max_rows(self, n: int, more_text: str = "") -> None:
        """Show only the first ``n`` rows (0: all), each a tenth of the panel for n = 10: a
        wall's top ten in large type instead of a long list scrolling by. ``more_text``:
        said in the header while rows are left out, with ``{n}`` and ``{total}``
        (e.g. "前 {n} 名 · 共 {total}")."""
        n = max(0, int(n))
        if n == self._max_rows and more_text == self._more_text:
            return
        self._max_rows, self._more_text = n, str(more_text or "")
        rows, self._rows = self._all_rows, []
        self.set_fixed_rows(n)
        self.set_rows(rows)
        self.invalidate()

    def rows(self) -> list[RankRow]:
        """The rows shown, in order."""
        return list(self._rows)

    def row_texts(self, key: str) -> tuple[str, str, str, str]:
        """The texts laid out for a row: rank, name (elided), secondary (elided), value with unit."""
        self._sync_size()
        for i, r in enumerate(self._rows):
            if r.key == key:
                s = self._shown[i]
                value = s.value + (f" {s.unit}" if s.unit else "")
                return s.rank, s.name, s.secondary, value
        raise KeyError(key)

    # ---- layout ---------------------------------------------------------------------

    def _state_changed(self) -> None:
        self._markers.clear()
        super()._state_changed()

    def _prepare(self) -> None:
        if not hasattr(self, "_rows"):
            return  # the base class lays out before our fields exist
        rh = self._row_h
        v = self._view
        self._text_px = max(9, round(0.34 * rh))
        self._value_px = max(9, round(0.36 * rh))
        self._unit_px = max(8, round(0.25 * rh))
        self._sec_px = max(8, round(0.28 * rh))
        name_font = theme.pixel_font(self._text_px)
        value_font = theme.figure_font(self._value_px, True)
        unit_font = theme.pixel_font(self._unit_px)
        sec_font = theme.pixel_font(self._sec_px)
        nfm, vfm, ufm, sfm = (QFontMetrics(f) for f in (name_font, value_font, unit_font, sec_font))
        inset = max(3.0, 0.18 * rh)
        gap = max(3.0, 0.22 * rh)
        badge = max(8.0, 0.6 * rh)
        x0 = v.left() + inset
        x1 = v.right() - inset
        values = [finite_or_none(r.value) for r in self._rows]
        texts = [DASH if x is None else format_number(x, self._precision) for x in values]
        unit_w = ufm.horizontalAdvance(self._unit) + 0.15 * self._value_px if self._unit else 0.0
        val_w = max(
            [vfm.horizontalAdvance(t) + (unit_w if t != DASH else 0) for t in texts]
            or [vfm.horizontalAdvance(DASH)]
        )
        cap = 0.42 * max(1.0, x1 - x0)
        if val_w > cap:  # huge numbers: smaller value fonts rather than a cut number
            k = cap / val_w
            self._value_px = max(8, int(self._value_px * k))
            self._unit_px = max(7, int(self._unit_px * k))
            value_font = theme.figure_font(self._value_px, True)
            unit_font = theme.pixel_font(self._unit_px)
            vfm, ufm = QFontMetrics(value_font), QFontMetrics(unit_font)
            unit_w = ufm.horizontalAdvance(self._unit) + 0.15 * self._value_px if self._unit else 0.0
            val_w = min(cap, val_w * k)
        secs = [r.secondary for r in self._rows if r.secondary]
        sec_w = min(max((sfm.horizontalAdvance(t) for t in secs), default=0), 0.22 * (x1 - x0))
        has_marker = any(r.marker for r in self._rows)
        dot = max(4.0, 0.22 * rh)
        name_x = x0 + badge + gap + (dot + gap * 0.6 if has_marker else 0)
        sec_x = x1 - val_w - gap - sec_w
        name_w = max(0.0, (sec_x - gap if sec_w else x1 - val_w - gap) - name_x)
        widest = max((nfm.horizontalAdvance(r.name) for r in self._rows), default=0)
        if widest > name_w > 0:  # long names: one size for all, down to a quarter smaller, before "…"
            least = min(self._text_px, max(10, round(0.75 * self._text_px)))  # never tiny
            name_font = theme.pixel_font(max(least, int(self._text_px * name_w / widest)))
            nfm = QFontMetrics(name_font)
        # the two tiers of a row: the text line and the bar under it
        self._line = (0.08 * rh, 0.58 * rh)  # top offset, height
        self._bar = (0.70 * rh, max(2.0, 0.12 * rh))
        self._cols = (x0, badge, x0 + badge + gap, dot, name_x, name_w, sec_x, sec_w, x1, val_w, unit_w)
        self._fonts: tuple[QFont, QFont, QFont, QFont] = (name_font, value_font, unit_font, sec_font)
        self._value_fm = vfm
        self._unit_adv = ufm.horizontalAdvance(self._unit)
        n = len(self._rows)
        digits = len(str(max(1, n)))
        self._rank_font = fit_font(max(8, round(0.32 * rh)), "8" * max(2, digits), badge * 0.86, bold=True)
        vmax = max((x for x in values if x is not None and x > 0), default=0.0)
        self._shown = [
            _Shown(
                rank=str(i + 1),
                name=elide(nfm, r.name, name_w),
                secondary=elide(sfm, r.secondary, sec_w) if sec_w else "",
                value=t,
                unit=self._unit if t != DASH else "",
                frac=(max(0.0, x) / vmax) if (x is not None and vmax > 0) else 0.0,
            )
            for i, (r, t, x) in enumerate(zip(self._rows, texts, values, strict=True))
        ]
        self._make_colors()

    def _make_colors(self) -> None:
        st = self._state
        self._c_text = state_color(theme.TEXT, st)
        self._c_dim = state_color(theme.TEXT_DIM, st, 0.3)
        self._c_bar = state_color(theme.ACCENT, st, 0.55)
        self._c_track = theme.blend(theme.EDGE, theme.PANEL, 0.35)
        self._c_zebra = theme.blend(theme.PANEL, theme.EDGE, 0.28)
        self._c_badge_top = state_color(theme.ACCENT, st, 0.5)
        self._c_badge = QColor(theme.EDGE)
        self._c_badge_text = state_color(theme.TEXT, st, 0.35)

    def _marker_color(self, name: str) -> QColor | None:
        c = self._markers.get(name)
        if c is None:
            try:
                c = state_color(theme.qcolor(name), self._state, 0.5)
            except ValueError:
                return None
            self._markers[name] = c
        return c

    # ---- painting -------------------------------------------------------------------

    def _paint_row(self, p: QPainter, index: int, r: QRectF) -> None:
        row, s = self._rows[index], self._shown[index]
        x0, badge, dot_x, dot, name_x, name_w, sec_x, sec_w, x1, val_w, unit_w = self._cols
        name_font, value_font, unit_font, sec_font = self._fonts
        rh = self._row_h
        if index % 2 == 1:
            p.fillRect(r, self._c_zebra)
        # rank badge, the top three filled with the accent
        b = QRectF(x0, r.top() + (rh - badge) / 2, badge, badge)
        top3 = index < 3
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self._c_badge_top if top3 else self._c_badge)
        radius = badge * 0.22
        p.drawRoundedRect(b, radius, radius)
        p.setFont(self._rank_font)
        p.setPen(self._c_badge_text if top3 else self._c_dim)
        p.drawText(b, _ALIGN_CENTER, s.rank)
        ly, lh = self._line
        line = QRectF(name_x, r.top() + ly, name_w, lh)
        if row.marker:
            c = self._marker_color(row.marker)
            if c is not None:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(c)
                p.drawEllipse(QRectF(dot_x, line.center().y() - dot / 2, dot, dot))
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.setFont(name_font)
        p.setPen(self._c_text)
        p.drawText(line, _ALIGN_LEFT, s.name)
        if s.secondary:
            p.setFont(sec_font)
            p.setPen(self._c_dim)
            p.drawText(QRectF(sec_x, line.top(), sec_w + 1, lh), _ALIGN_LEFT, s.secondary)
        # value and unit on one baseline, right-aligned
        fm = self._value_fm
        baseline = round(line.top() + (lh + fm.ascent() - fm.descent()) / 2)
        x = x1
        if s.unit:
            p.setFont(unit_font)
            p.setPen(self._c_dim)
            uw = self._unit_adv
            x -= uw
            p.drawText(QPointF(x, baseline), s.unit)
            x -= unit_w - uw
        p.setFont(value_font)
        p.setPen(self._c_text if s.value != DASH else QColor(theme.TEXT_DIM))
        p.drawText(QPointF(x - fm.horizontalAdvance(s.value), baseline), s.value)
        # the bar under the text, across name, secondary and value
        by, bh = self._bar
        track = QRectF(name_x, r.top() + by, x1 - name_x, bh)
        p.fillRect(track, self._c_track)
        if s.frac > 0:
            p.fillRect(QRectF(track.left(), track.top(), max(1.0, track.width() * s.frac), bh), self._c_bar)

    def _row_look(self, index: int) -> tuple | None:
        row, s = self._rows[index], self._shown[index]
        return (dataclasses.astuple(s), row.marker, self._text_px, self._value_px)

    def _row_tip(self, index: int) -> str:
        row, s = self._rows[index], self._shown[index]
        first = f"{s.rank}. {row.name}"
        if row.secondary:
            first += f" · {row.secondary}"
        value = s.value + (f" {s.unit}" if s.unit else "")
        return f"{first}\n{value}"


def _preview() -> None:
    import random

    from widgets._preview import run_preview

    names = [
        ("绍兴迎丰科技印染有限公司", "柯桥"),
        ("浙江越城某某纺织印染集团股份有限公司", "越城"),
        ("上虞华东印染有限公司", "上虞"),
        ("诸暨永兴染整有限公司", "诸暨"),
        ("嵊州丝绸印染有限公司", "嵊州"),
        ("新昌江南数码印花有限公司", "新昌"),
        ("柯桥滨海工业区某某印染有限公司", "柯桥"),
        ("绍兴某某针纺印染有限公司", "越城"),
        ("浙江某某化纤染整有限公司", "上虞"),
        ("诸暨某某袜业染色有限公司", "诸暨"),
        ("嵊州某某领带印染有限公司", "嵊州"),
        ("新昌某某轴承染色厂", "新昌"),
    ]
    rng = random.Random(7)
    base = {f"91330600MA{i:04d}": 1000 - i * 70 + rng.uniform(-20, 20) for i in range(len(names))}

    def rows() -> list[RankRow]:
        items = sorted(base.items(), key=lambda kv: -kv[1])
        marks = {0: "ok", 3: "warn", 7: "alarm"}
        out = []
        for code, v in items:
            i = int(code[-4:])
            out.append(RankRow(code, names[i][0], v, names[i][1], marks.get(i)))
        return out

    def make(state: DataState, note: str) -> RankingBoard:
        b = RankingBoard()
        b.set_title("印染企业产值排行 · 本月")
        b.set_unit("万元")
        b.set_precision(1)
        b.set_rows(rows())
        b.set_state(state, note)
        b.activated.connect(lambda k: print("activated", k))
        return b

    def tick(boards: list) -> None:
        for k in base:
            base[k] += rng.uniform(-30, 30)
        boards[0].set_rows(rows())

    run_preview("RankingBoard preview", make, tick, columns=2, size=(1300, 1050))


if __name__ == "__main__":
    _preview()
