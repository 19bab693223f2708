"""Cards of a panel's rows, grouped: the city's "3+2+4" industry system and the "双十双百"
clusters (layout widget ``cards``).

One card per row, under its group's heading (``Row.group``, in the order the rows come):
the name, a headline value with its unit, a change line naming what it compares with
(``同比 ▲10.6%``), further figures, the row's text cells (a cluster's chain, its chain
leader, whether its size or name is a parameter) and a status colour on the card's edge
(from a ``status`` column: 0 ok, 1 watch, 2 alarm). A card whose row names a brain opens
that brain's tab on a click; one naming an enterprise code opens its profile. Every text is
plain text (data from the API is never rich text).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QLayout, QSizePolicy, QVBoxLayout, QWidget

from cockpit.api.schema import DataPanel, Row
from widgets import elide_lines, theme
from widgets.state import DataState

UP, DOWN = "\u25b2", "\u25bc"


def status_colour(status: float | None) -> str:
    """The edge colour of a card: 0 ok, 1 watch, 2 alarm, none: neutral (read at use: themes switch)."""
    return {0: theme.OK, 1: theme.WARN, 2: theme.ALARM}.get(int(status) if status is not None else -1, theme.NEUTRAL)


def fmt(v: float | None, precision: int) -> str:
    if v is None or not math.isfinite(v):
        return "—"
    return f"{v:,.{precision}f}"


class _Card(QFrame):
    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.lines: list[QLabel] = []
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 6, 8, 6)
        box.setSpacing(2)
        self.box = box
        self.link = False
        self.edge = ""  # status colour of the left edge (painted: no per-card style sheet to polish)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(theme.PANEL))
        p.fillRect(0, 0, 5, self.height(), QColor(self.edge or theme.NEUTRAL))
        p.end()

    def set_lines(self, texts: list[tuple[str, str]]) -> None:
        """(object name, text) per line: "name", "value", "change", "extra", "text"."""
        while len(self.lines) < len(texts):
            lab = QLabel()
            lab.setTextFormat(Qt.TextFormat.PlainText)
            lab.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.box.addWidget(lab)
            self.lines.append(lab)
        for i, lab in enumerate(self.lines):
            if i < len(texts):
                lab.setObjectName(texts[i][0])
                lab.setWordWrap(texts[i][0] == "extra")  # figures wrap; text cells are broken in _restyle
                lab.setText(texts[i][1])
                lab.setToolTip(texts[i][1] if texts[i][0] == "text" else "")
                lab.show()
            else:
                lab.hide()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if self.link and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class CardsView(QFrame):
    """Grouped cards of a panel's rows."""

    def __init__(self, lang: str, value: str, change: str | None = None, extra: list[str] | None = None,
                 texts: list[str] | None = None, per_row: int = 4, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardsView")
        # the layout grid gives the space: the cards fit their text to it, never the other way
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.lang = lang
        self.value, self.change = value, change
        self.extra = list(extra or [])
        self.text_keys = list(texts or [])
        self.per_row = max(1, per_row)
        self.open_brain: Callable[[str], object] | None = None
        self.open_enterprise: Callable[[str], None] | None = None
        self.title = QLabel()
        self.title.setObjectName("panelTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.note = QLabel()
        self.note.setObjectName("note")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.grid = QGridLayout()
        self.grid.setSpacing(6)
        box = QVBoxLayout(self)
        box.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # the grid cell decides the size
        box.setContentsMargins(8, 6, 8, 6)
        box.addWidget(self.title)
        box.addLayout(self.grid, 1)
        box.addWidget(self.note)
        self.cards: list[_Card] = []
        self.headers: list[QLabel] = []
        self.rows: list[Row] = []
        self._source = ""
        self._cols: dict = {}  # type: ignore[type-arg]
        self._style_key: tuple[object, ...] = ()
        self._pending: DataPanel | None = None
        self._state_note = ""

    def set_title(self, text: str) -> None:
        self.title.setText(text)

    def set_state(self, state: DataState, note: str = "") -> None:
        self._state_note = note if state != DataState.LIVE else ""
        self._show_note()
        self.setProperty("dim", state in (DataState.STALE, DataState.OFFLINE))

    def _show_note(self) -> None:
        self.note.setText("  ".join(x for x in (self._state_note, self._source) if x))

    def card_texts(self) -> list[str]:
        """Each card's lines joined (what a viewer reads), in order."""
        return [" | ".join(lab.text() for lab in c.lines if not lab.isHidden()) for c in self.cards[: len(self.rows)]]

    def set_panel(self, p: DataPanel) -> None:
        """Show ``p``; while the view is hidden (another tab is up) it is kept and built when the
        view is shown, so a start-up with many tabs does not pay for cards nobody sees."""
        if not self.isVisible():
            self._pending = p
            return
        self._pending = None
        lang = self.lang
        self.rows = list(p.rows)
        self._source = p.source.pick(lang) if p.source is not None else ""
        self._show_note()
        cols = self._cols = {c.key: c for c in p.columns}
        # lay out: a heading per group, then its cards, per_row a line
        for w in self.headers:
            w.hide()
        for c in self.cards:
            c.hide()
        while self.grid.count():
            self.grid.takeAt(0)
        line, hi, ci, group = 0, 0, 0, None
        col_in_line = 0
        for r in self.rows:
            g = r.group.pick(lang) if r.group is not None else ""
            if g != group or col_in_line >= self.per_row:
                if col_in_line:  # close the line of cards above
                    line += 1
                if g != group and g:
                    if hi == len(self.headers):
                        lab = QLabel()
                        lab.setObjectName("groupTitle")
                        lab.setTextFormat(Qt.TextFormat.PlainText)
                        self.headers.append(lab)
                    head = self.headers[hi]
                    head.setText(g)
                    self.grid.addWidget(head, line, 0, 1, self.per_row)
                    head.show()
                    hi += 1
                    line += 1
                group, col_in_line = g, 0
            if ci == len(self.cards):
                card = _Card()
                card.clicked.connect(lambda i=ci: self._open(i))
                self.cards.append(card)
            card = self.cards[ci]
            card.set_lines(self._lines(r, cols))
            colour = status_colour(r.values.get("status"))
            card.link = bool(r.brain or r.code)
            card.setCursor(Qt.CursorShape.PointingHandCursor if card.link else Qt.CursorShape.ArrowCursor)
            if card.edge != colour:
                card.edge = colour
                card.update()
            self.grid.addWidget(card, line, col_in_line)
            card.show()
            col_in_line += 1
            ci += 1
        for k in range(self.per_row):
            self.grid.setColumnStretch(k, 1)
        self._restyle()

    def _lines(self, r: Row, cols: dict) -> list[tuple[str, str]]:  # type: ignore[type-arg]
        lang = self.lang
        out = [("name", r.name.pick(lang))]
        vc = cols.get(self.value)
        value = f"{fmt(r.values.get(vc.key), vc.precision)} {vc.unit.pick(lang)}" if vc is not None else ""
        parts = []
        cc = cols.get(self.change) if self.change else None
        if cc is not None:  # the change beside the value it qualifies (one line less per card on a wall)
            v = r.values.get(cc.key)
            arrow = "" if v is None or v == 0 else (UP if v > 0 else DOWN)
            value = f"{value}  {cc.name.pick(lang)} {arrow}{fmt(v, cc.precision)}{cc.unit.pick(lang)}".strip()
        out.append(("value", value))
        for k in self.extra:
            c = cols.get(k)
            if c is not None:
                parts.append(f"{c.name.pick(lang)} {fmt(r.values.get(k), c.precision)}{c.unit.pick(lang)}")
        if parts:
            out.append(("extra", " · ".join(parts)))
        for k in self.text_keys:
            t = r.texts.get(k)
            if t is not None:
                out.append(("text", t.pick(lang)))
        return out

    def _card_rows(self) -> int:
        """How many lines of cards the rows make (a new line per group and per ``per_row``)."""
        n, group, k = 0, object(), 0
        for r in self.rows:
            g = r.group.pick(self.lang) if r.group is not None else ""
            if g != group or k >= self.per_row:
                n, group, k = n + 1, g, 0
            k += 1
        return n

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(120, 60)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        # the wrapped note would make the screen's grid give this cell the height its text
        # asks for, squeezing the other rows: the cell decides, the text fits it
        return False

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(600, 400)

    def _open(self, i: int) -> None:
        r = self.rows[i] if i < len(self.rows) else None
        if r is None:
            return
        if r.brain and self.open_brain is not None:
            self.open_brain(r.brain)
        elif r.code and self.open_enterprise is not None:
            self.open_enterprise(r.code)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt override)
        super().showEvent(event)
        if self._pending is not None:
            self.set_panel(self._pending)

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt override)
        super().resizeEvent(event)
        self._restyle()

    def text_floor_changed(self) -> None:
        """The display profile's minimum text height changed (cockpit.ui.legibility)."""
        self._restyle()

    def _restyle(self) -> None:
        win = self.window()
        px = round((win.height() if win is not None else 1080) / 1080 * 16)
        # fit the text to the cell: title, group headings, the cards' lines and two note lines
        # (a text cell or a long figures line may take two lines)
        lines_per_card = max((sum(1 + (k in ("text", "extra")) for k, _ in self._lines(r, self._cols))
                              for r in self.rows), default=3) + 0.6  # + margins
        n_lines = 1.2 + 2 + sum(1.05 + lines_per_card * 1.05 for _ in range(self._card_rows()))
        floor = theme.min_text_px()  # the display profile's minimum (a wall: 15 px at 1080p)
        px = max(11, floor, min(px, int(self.height() / (n_lines * 1.5))))
        # and to the card's width: the widest line of any card fits (the name line is larger)
        card_w = (self.width() - 16 - 6 * (self.per_row - 1)) / self.per_row - 20
        lines = [(t, k) for r in self.rows for k, t in self._lines(r, self._cols) if k != "text"]
        while px > max(11, floor) and lines:
            f = QFont(self.font())
            f.setPixelSize(round(px * 1.25))
            big = QFontMetrics(f)
            f.setPixelSize(px)
            small = QFontMetrics(f)
            if max((big if k in ("value", "name") else small).horizontalAdvance(t) for t, k in lines) <= card_w:
                break
            px -= 1
        self.px = px
        key = (px, theme.TEXT, theme.ACCENT, theme.TEXT_DIM)
        if key != self._style_key:  # re-polishing every label is costly: only when the size or theme changed
            self._style_key = key
            self.setStyleSheet(
                f"#cardsView QLabel {{ font-size: {px}px; color: {theme.TEXT}; }}"
                f" #cardsView #panelTitle {{ font-size: {round(px * 1.2)}px; font-weight: bold; }}"
                f" #cardsView #groupTitle {{ font-size: {round(px * 1.05)}px; font-weight: bold; color: {theme.ACCENT}; }}"
                f" #cardsView #name {{ font-size: {round(px * 1.2)}px; font-weight: bold; }}"
                f" #cardsView #value {{ font-size: {round(px * 1.25)}px; }}"
                f" #cardsView #text, #cardsView #note, #cardsView #link {{ color: {theme.TEXT_DIM}; }}"
            )
        f = QFont(self.font())
        f.setPixelSize(px)
        small = QFontMetrics(f)
        text_lines = self._text_lines(small, card_w)
        for card, r in zip(self.cards, self.rows, strict=False):  # long text cells: wrapped if there is room, then "…"
            for lab, (k, t) in zip(card.lines, self._lines(r, self._cols), strict=False):
                if k == "text":
                    lab.setText(elide_lines(small, t, card_w, text_lines))

    def _text_lines(self, fm: QFontMetrics, card_w: float) -> int:
        """Lines a text cell (a chain, a chain leader) may take: two where the cards' height
        has room for them, else one (cut with "…", the full text on hover)."""
        lh = fm.lineSpacing()
        groups = sum(1 for h in self.headers if not h.isHidden())
        fixed = 1.4 * lh + groups * 1.25 * lh + 2 * lh + 24  # title, headings, two note lines, margins
        per_row = (self.height() - fixed) / max(1, self._card_rows()) - 6

        def need(text_lines: int) -> float:
            most = 0.0
            for r in self.rows:
                h = 12 + 2.5 * lh  # margins, name and value
                for k, t in self._lines(r, self._cols):
                    n = math.ceil(fm.horizontalAdvance(t) / max(1.0, card_w))
                    if k == "extra":
                        h += min(2, n) * lh + 2
                    elif k == "text":
                        h += min(text_lines, n) * lh + 2
                most = max(most, h)
            return most

        return 2 if need(2) <= 0.9 * per_row else 1  # (with a margin: labels' heights are not exact)
