"""建链补链强链 in figures (layout widget ``projects``): the investment projects on a brain's
chain by stage of the project (招引 → 签约 → 在建 → 投产) with their investment and expected
output, per stage of the chain with its 本地配套率, and the gaps with what to attract.

Fed by the chain (``GET /api/v1/brains/{id}/chain``: ``projects``, ``local_supply_pct``,
``gaps[].targets``), fetched like the chain map. Every text is plain text; projects a
simulator made up are counted and the panel says so on screen.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QLayout, QSizePolicy, QVBoxLayout, QWidget

from cockpit.api.schema import PROJECT_STAGES, Chain, ChainProject
from cockpit.ui.text import tr
from widgets import theme
from widgets.state import DataState


def _fmt(v: float | None, precision: int = 1) -> str:
    if v is None or not math.isfinite(v):
        return "—"
    return f"{v:,.{precision}f}"


def _label(name: str, parent: QWidget | None = None) -> QLabel:
    lab = QLabel(parent)
    lab.setObjectName(name)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    lab.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return lab


def stage_totals(projects: list[ChainProject]) -> dict[str, tuple[int, float, float]]:
    """Project stage → (projects, investment 亿元, expected output 亿元/yr)."""
    out: dict[str, tuple[int, float, float]] = {s: (0, 0.0, 0.0) for s in PROJECT_STAGES}
    for p in projects:
        n, inv, exp = out[p.stage]
        out[p.stage] = (n + 1, inv + p.investment, exp + (p.expected_output or 0.0))
    return out


class ProjectsView(QFrame):
    """Projects, 本地配套率 and 补链 targets of one chain."""

    def __init__(self, lang: str, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projectsView")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.lang = lang
        self._fixed_title = title
        self.title = _label("panelTitle")
        self.title.setText(title or tr("proj_title", lang))
        self.stages = [_label("stageChip") for _ in PROJECT_STAGES]
        for chip in self.stages:
            chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
        chips = QGridLayout()
        chips.setSpacing(6)
        for i, chip in enumerate(self.stages):
            chips.addWidget(chip, 0, i)
            chips.setColumnStretch(i, 1)
        self.local = _label("local")
        self.local.setWordWrap(True)
        self.table = QGridLayout()
        self.table.setHorizontalSpacing(10)
        self.table.setVerticalSpacing(2)
        self.gap_title = _label("groupTitle")
        self.gap_lines: list[QLabel] = []
        self.gap_box = QVBoxLayout()
        self.gap_box.setSpacing(2)
        self.note = _label("note")
        self.note.setWordWrap(True)
        box = QVBoxLayout(self)
        box.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        box.setContentsMargins(10, 6, 10, 6)
        box.setSpacing(4)
        box.addWidget(self.title)
        box.addLayout(chips)
        box.addWidget(self.local)
        box.addLayout(self.table)
        box.addWidget(self.gap_title)
        box.addLayout(self.gap_box)
        box.addStretch(1)
        box.addWidget(self.note)
        self.cells: list[list[QLabel]] = []
        self.chain: Chain | None = None
        self._gap_full: list[str] = []
        self._source = ""
        self._state_note = ""
        self._style_key: tuple[object, ...] = ()
        self.px = 16
        self.wrap_gaps = True
        self.absent = False  # the platform sent no projects and no 本地配套率

    # ---- what a viewer reads (tests read these) ----------------------------------------
    def stage_texts(self) -> list[str]:
        return [c.text().replace("\n", " ") for c in self.stages]

    def table_texts(self) -> list[list[str]]:
        return [[c.text() for c in row] for row in self.cells if not row[0].isHidden()]

    def gap_texts(self) -> list[str]:
        """The gap lines in full (on screen they may end in "…"; the full text is on hover)."""
        return list(self._gap_full)

    # ---- data ------------------------------------------------------------------------
    def set_title(self, text: str) -> None:
        self.title.setText(self._fixed_title or text)

    def set_state(self, state: DataState, note: str = "") -> None:
        self._state_note = note if state != DataState.LIVE else ""
        self._show_note()
        self.setProperty("dim", state in (DataState.STALE, DataState.OFFLINE))

    def _show_note(self) -> None:
        self.note.setText("  ".join(x for x in (self._state_note, self._source) if x))

    def set_chain(self, chain: Chain) -> None:
        lang = self.lang
        self.chain = chain
        # a platform that sends no projects and no 本地配套率 (an older one) shows dashes and
        # says so, never zeros that read as "nothing was attracted"
        self.absent = not chain.projects and chain.local_supply_pct is None and all(
            ln.local_supply_pct is None for st in chain.stages for ln in st.links)
        totals = stage_totals(chain.projects)
        for chip, ps in zip(self.stages, PROJECT_STAGES, strict=True):
            n, inv, _exp = totals[ps]
            if self.absent:
                chip.setText(f"{tr('proj_stage_' + ps, lang)}\n—")
                continue
            chip.setText(f"{tr('proj_stage_' + ps, lang)} {tr('proj_count', lang, n=n)}\n{_fmt(inv)} {tr('yi', lang)}")
        chain_pct = _fmt(chain.local_supply_pct)
        total_inv = sum(p.investment for p in chain.projects)
        total_exp = sum(p.expected_output or 0.0 for p in chain.projects if p.stage != "producing")
        self.local.setText(tr("proj_absent", lang) if self.absent else
                           tr("proj_local", lang, p=chain_pct, i=_fmt(total_inv), e=_fmt(total_exp)))
        # one row per stage of the chain: its links' mean 本地配套率, projects by stage, money
        header = [tr("proj_col_stage", lang), f"{tr('proj_col_local', lang)}\n%",
                  f"{tr('proj_col_projects', lang)}\n{tr('proj_col_projects_sub', lang)}",
                  f"{tr('proj_col_invest', lang)}\n{tr('yi', lang)}", f"{tr('proj_col_output', lang)}\n{tr('yi_per_year', lang)}"]
        rows = [header]
        by_link: dict[str, list[ChainProject]] = {}
        for p in chain.projects:
            by_link.setdefault(p.link, []).append(p)
        for st in chain.stages:
            pcts = [ln.local_supply_pct for ln in st.links if ln.local_supply_pct is not None]
            projects = [p for ln in st.links for p in by_link.get(ln.id, [])]
            t = stage_totals(projects)
            counts = " ".join(f"{tr('proj_short_' + s, lang)}{t[s][0]}" for s in PROJECT_STAGES)
            if self.absent:
                rows.append([st.name.pick(lang), "—", "—", "—", "—"])
                continue
            rows.append([st.name.pick(lang), _fmt(sum(pcts) / len(pcts)) if pcts else "—", counts,
                         _fmt(sum(p.investment for p in projects)),
                         _fmt(sum(p.expected_output or 0.0 for p in projects))])
        self._fill_table(rows)
        # the gaps: weak and missing links, their 本地配套率, projects courted and what to attract
        links = {ln.id: ln for st in chain.stages for ln in st.links}
        self.gap_title.setText(tr("proj_gaps", lang, n=len(chain.gaps)))
        self._gap_full = []
        for g in chain.gaps:
            ln = links.get(g.link)
            if ln is None:
                continue
            gp = by_link.get(g.link, [])
            word = tr("strength_" + ln.strength, lang)
            if self.absent:
                targets = "、".join(t.pick(lang) for t in g.targets) if g.targets else g.reason.pick(lang)
                self._gap_full.append(f"{ln.name.pick(lang)}（{word}）→ {targets}")
                continue
            courted = " ".join(f"{tr('proj_short_' + s, lang)}{sum(p.stage == s for p in gp)}"
                               for s in PROJECT_STAGES if any(p.stage == s for p in gp))
            targets = "、".join(t.pick(lang) for t in g.targets) if g.targets else "—"
            self._gap_full.append(tr("proj_gap_line", lang, link=ln.name.pick(lang), w=word,
                                     p=_fmt(ln.local_supply_pct), c=courted or "—",
                                     i=_fmt(sum(p.investment for p in gp)), t=targets))
        while len(self.gap_lines) < len(self._gap_full):
            lab = _label("gap")
            lab.setWordWrap(True)
            self.gap_box.addWidget(lab)
            self.gap_lines.append(lab)
        for i, lab in enumerate(self.gap_lines):
            lab.setVisible(i < len(self._gap_full))
            if i < len(self._gap_full):
                lab.setToolTip(self._gap_full[i])
        simulated = sum(p.simulated for p in chain.projects)
        parts = []
        if simulated:
            parts.append(tr("proj_simulated", lang, n=simulated, m=len(chain.projects)))
        if chain.source is not None:
            parts.append(chain.source.pick(lang))
        self._source = "  ".join(parts)
        self._show_note()
        self._restyle()

    def _fill_table(self, rows: list[list[str]]) -> None:
        while len(self.cells) < len(rows):
            r = len(self.cells)
            line = [_label("th" if r == 0 else "td") for _ in range(5)]
            for lab in line:  # the cells keep their text's width (the font is fitted to the panel)
                lab.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            for c, lab in enumerate(line):
                if c > 0:
                    lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.addWidget(lab, r, c)
            self.cells.append(line)
        for r, line in enumerate(self.cells):
            for c, lab in enumerate(line):
                lab.setVisible(r < len(rows))
                if r < len(rows):
                    lab.setText(rows[r][c])
        for c, stretch in enumerate((3, 2, 5, 2, 2)):
            self.table.setColumnStretch(c, stretch)

    # ---- sizing ----------------------------------------------------------------------
    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(160, 80)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(640, 600)

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt override)
        super().resizeEvent(event)
        self._restyle()

    def text_floor_changed(self) -> None:
        """The display profile's minimum text height changed (cockpit.ui.legibility)."""
        self._restyle()

    def _restyle(self) -> None:
        win = self.window()
        win_h = win.height() if win is not None else 1080
        px = round(win_h / 1080 * 16)
        # secondary text on a wall: 14 px at 1080p or more, and never under the display profile's minimum
        least = max(12, theme.min_text_px())
        floor = max(least, round(win_h / 1080 * 14))
        # fit the lines to the height: title, two chip lines, the local line, the table, the gaps, two note
        # lines; a gap line wraps to two lines where that still leaves the text at the floor, else it is one
        # line ending in "…" (the full text on hover)
        n_rows = len(self.table_texts())

        def fitted(gap_lines: float) -> int:
            n_lines = 1.3 + 2.4 + 2 + (n_rows + 1) * 1.1 + 1.1 + len(self._gap_full) * gap_lines + 2.2
            return int((self.height() - 24) / (n_lines * 1.45))

        self.wrap_gaps = fitted(2.1) >= floor
        px = max(least, min(px, fitted(2.1 if self.wrap_gaps else 1.05)))
        # and the table to the width: the widest cell of each column fits
        f = QFont(self.font())
        f.setPixelSize(px)
        fm = QFontMetrics(f)
        while px > least and self.cells:
            f.setPixelSize(px)
            fm = QFontMetrics(f)
            need = sum(max(fm.horizontalAdvance(part) for line in self.cells for part in line[c].text().split("\n"))
                       for c in range(5)) + 40 + 20
            chip_w = max((fm.horizontalAdvance(part) for c in self.stages for part in c.text().split("\n")),
                         default=0)
            if need <= self.width() and chip_w + 12 <= (self.width() - 20 - 18) / 4:
                break
            px -= 1
        self.px = px
        key = (px, theme.TEXT, theme.ACCENT, theme.TEXT_DIM, theme.PANEL)
        if key != self._style_key:
            self._style_key = key
            self.setStyleSheet(
                f"#projectsView QLabel {{ font-size: {px}px; color: {theme.TEXT}; }}"
                f" #projectsView #panelTitle {{ font-size: {round(px * 1.2)}px; font-weight: bold; }}"
                f" #projectsView #groupTitle {{ font-weight: bold; color: {theme.ACCENT}; }}"
                f" #projectsView #th {{ color: {theme.TEXT_DIM}; }}"
                f" #projectsView #stageChip {{ background: {theme.PANEL}; border: 1px solid {theme.ACCENT};"
                f" border-radius: 4px; padding: 2px; }}"
                f" #projectsView #note {{ color: {theme.TEXT_DIM}; }}"
            )
        # a gap line wraps to two lines at most; past that it ends in "…" (the full text on hover)
        width = max(40, self.width() - 24)
        for lab, full in zip(self.gap_lines, self._gap_full, strict=False):
            lab.setWordWrap(self.wrap_gaps)
            lab.setText(fm.elidedText(full, Qt.TextElideMode.ElideRight, int(width * (1.9 if self.wrap_gaps else 1))))


def project_lines(chain: Chain, link_id: str, lang: str) -> list[str]:
    """The chain map's hover lines for a link's projects: "项目：在建 2 · 45.0亿元 …"."""
    ps = [p for p in chain.projects if p.link == link_id]
    if not ps:
        return []
    t = stage_totals(ps)
    parts = [f"{tr('proj_stage_' + s, lang)} {t[s][0]} · {_fmt(t[s][1])}{tr('yi', lang)}" for s in PROJECT_STAGES
             if t[s][0]]
    return [tr("chain_projects", lang, p="；".join(parts))]
