"""Rice-wine batch vintage verification: type a batch number, see provenance and a verdict.

The panel of the wine tab's layout (``widget = "batch_check"``). It asks the API's
``/batches/{batch_no}`` through the tab context, shows where and when the batch was
brewed and stored, its storage-condition history, and the verdict — the age on the label
is consistent with the records, or not, and why. Recently checked batches from the
snapshot's ``batches`` panel are offered as samples (a presenter needs a number to type);
until someone asks, the latest of them is shown (a wall has nobody to type one).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from cockpit.api.schema import BATCH_PATTERN, Batch, DataPanel, Snapshot
from cockpit.ui.panels import Bound, StateInput, TabContext, district_name
from cockpit.ui.text import local, stamp, tr
from widgets import theme
from widgets.state import DataState
from widgets.trend_chart import TrendChart


def verdict_color(verdict: str) -> str:
    return {"consistent": theme.OK, "inconsistent": theme.ALARM}.get(verdict, theme.WARN)

# marks the bundled face has (Noto Sans CJK has no ✔ ✘ dingbats: they would fall back to another font)
VERDICT_MARKS = {"consistent": "✓", "inconsistent": "×", "unverifiable": "？"}
#: a check's outcome: passed, failed, records missing, evidence shown (not a test)
CHECK_MARKS = {"pass": "✓", "fail": "×", "unknown": "？", "info": "·"}
_BATCH_RE = re.compile(BATCH_PATTERN)


def _date(ms: int | None) -> str:
    return "—" if ms is None else local(ms).strftime("%Y-%m-%d")


class _Binding(Bound):
    """Feeds the sample list from the wine snapshot's ``batches`` panel."""

    widget: Any

    def __init__(self, view: BatchCheck) -> None:
        self.widget = view
        self.view = view
        self.panel: DataPanel | None = None

    def apply(self, snap: Snapshot) -> None:
        p = snap.panels.get("batches")
        if p is not None and (self.panel is None or p.ts != self.panel.ts):
            self.panel = p
            self.view.set_samples([r.key for r in p.rows])

    def compute_state(self, si: StateInput) -> tuple[DataState, str]:
        batch = self.view.batch
        if batch is None:
            return DataState.LIVE, ""
        if si.offline or self.view.answer_error:
            return DataState.OFFLINE if si.offline else DataState.STALE, tr(
                "offline_note" if si.offline else "cached_note", si.lang, t=stamp(self.view.fetched_ms or batch.ts))
        return DataState.LIVE, ""

    def set_state(self, state: tuple[DataState, str]) -> None:
        if self.view.batch is not None:
            self.view.chart.set_state(*state)

    def has_data(self) -> bool:
        return True  # an empty form is what the panel shows before a lookup


class BatchCheck(QFrame):
    """Batch number entry, provenance, storage history and verdict."""

    def __init__(self, ctx: TabContext, title: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        lang = self.lang = ctx.lang
        self.batch: Batch | None = None
        self.answer_error = ""  # why the batch shown came from the cache ("" when fresh)
        self.fetched_ms: int | None = None
        self._asked = 0  # lookups asked; an answer to a superseded one is dropped
        self._auto = 0  # the lookup made for nobody (the latest batch shown until someone asks)
        self.setObjectName("batchCheck")
        self.binding = _Binding(self)
        self.title = QLabel(title or tr("batch_title", lang))
        self.title.setObjectName("panelTitle")
        self.entry = QLineEdit()
        self.entry.setPlaceholderText(tr("batch_placeholder", lang))
        self.entry.setMaxLength(32)
        self.entry.returnPressed.connect(self.check)
        self.button = QPushButton(tr("batch_check", lang))
        self.button.clicked.connect(self.check)
        self.samples = QComboBox()
        self.samples.setToolTip(tr("batch_samples", lang))
        self.samples.activated.connect(self._sample_chosen)
        self.verdict = QLabel(tr("batch_hint", lang))
        self.verdict.setObjectName("verdict")
        self.details = QLabel("")
        self.details.setObjectName("details")
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        for lab in (self.title, self.verdict, self.details):
            lab.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict.setWordWrap(True)
        self.chart = TrendChart()
        self.chart.set_title(tr("batch_history", lang))
        self._temp = self.chart.add_series(tr("batch_temp", lang))
        # no limit lines: the temperature is evidence shown, not a test of the age (#11)
        self.chart.set_state(DataState.NO_DATA, tr("batch_hint", lang))
        self.chart.set_max_gap(62 * 86_400)

        top = QHBoxLayout()
        top.addWidget(self.entry, 3)
        top.addWidget(self.button, 1)
        top.addWidget(self.samples, 2)
        body = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.verdict)
        # the provenance and the checks scroll inside the panel: they never push the grid apart
        self.details_area = QScrollArea()
        self.details_area.setWidgetResizable(True)
        self.details_area.setFrameShape(QFrame.Shape.NoFrame)
        self.details_area.setWidget(self.details)
        self.details_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left.addWidget(self.details_area, 1)
        body.addLayout(left, 1)
        body.addWidget(self.chart, 1)
        box = QVBoxLayout(self)
        box.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # the layout's cell decides the size
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.verdict.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        box.addWidget(self.title)
        box.addLayout(top)
        box.addLayout(body, 1)
        self._show_verdict(None)

    # ---- actions ------------------------------------------------------------------

    def set_samples(self, batch_nos: list[str]) -> None:
        current = self.samples.currentText()
        self.samples.blockSignals(True)
        self.samples.clear()
        self.samples.addItem(tr("batch_samples", self.lang))
        for b in batch_nos[:50]:
            self.samples.addItem(b)
        idx = self.samples.findText(current)
        self.samples.setCurrentIndex(max(0, idx))
        self.samples.blockSignals(False)
        if batch_nos and self._asked == 0 and not self.entry.text() and self.ctx.fetch_batch is not None:
            # nobody has asked yet (a wall has no one to type): the latest checked batch, not
            # an empty form; the first lookup anyone makes replaces it
            self.check(batch_nos[0])
            self._auto = self._asked

    def _sample_chosen(self, index: int) -> None:
        if index > 0:
            self.entry.setText(self.samples.itemText(index))
            self.check()

    def check(self, batch_no: str | None = None) -> None:
        """Look a batch up (the entry's text by default); the answer arrives by callback."""
        text = (batch_no if isinstance(batch_no, str) else self.entry.text()).strip().upper()
        self.entry.setText(text)
        if not _BATCH_RE.match(text):
            self._asked += 1  # an answer still on its way is no longer what was asked
            self._error(tr("batch_malformed", self.lang))
            return
        if self.ctx.fetch_batch is None:
            self._error(tr("batch_unavailable", self.lang))
            return
        self.verdict.setText(tr("batch_looking", self.lang, b=text))
        self.verdict.setStyleSheet("")
        self._asked += 1
        asked = self._asked
        self.ctx.fetch_batch(text, lambda *a: self._answer(asked, *a))

    def _answer(self, asked: int, batch: Batch | None, *rest: Any) -> None:
        if asked != self._asked:
            return  # superseded by a later lookup
        if batch is None and asked == self._auto:  # the unasked-for lookup failed: the empty form again
            self._asked = 0
            self.entry.clear()
            self._show_verdict(None)
            return
        self.show_answer(batch, *rest)

    def show_answer(self, batch: Batch | None, error: str, missing: bool = False,
                    fetched_ms: int | None = None) -> None:
        if batch is None:
            self._error(tr("batch_unknown", self.lang) if missing else tr("batch_failed", self.lang, e=error))
            return
        self.batch = batch
        self.answer_error = error
        self.fetched_ms = fetched_ms
        lang = self.lang
        self._show_verdict(batch)
        lines = []
        if batch.checks:  # what the verdict rests on first, then the provenance
            lines.append(f"{tr('batch_checks', lang)}：")
            lines.extend(f"{CHECK_MARKS[c.result]} {c.name.pick(lang)}：{c.detail.pick(lang)}" for c in batch.checks)
        lines += [
            f"{tr('batch_no', lang)}：{batch.batch_no}",
            f"{tr('batch_product', lang)}：{batch.product.pick(lang)}",
            f"{tr('batch_producer', lang)}：{batch.producer.name.pick(lang)}（{district_name(batch.producer.district, lang, batch.producer.district_name)}）",
            f"{tr('batch_brewed', lang)}：{_date(batch.brewed_on)}",
            f"{tr('batch_stored', lang)}：{_date(batch.stored_since)} · {batch.location.pick(lang)}",
        ]
        if batch.bottled_on is not None:
            lines.append(f"{tr('batch_bottled', lang)}：{_date(batch.bottled_on)}")
        lines.append(f"{tr('batch_label_age', lang)}：{batch.labelled_age_years} {tr('years', lang)}")
        rec = "—" if batch.recorded_age_years is None else f"{batch.recorded_age_years:.1f} {tr('years', lang)}"
        lines.append(f"{tr('batch_record_age', lang)}：{rec}")
        if error:
            lines.append(tr("cached_answer", lang, t=stamp(fetched_ms or batch.ts), e=error))
        self.details.setText("\n".join(lines))
        ts = np.array([p.ts / 1000 for p in batch.storage], dtype=float)
        temps = np.array([np.nan if p.temp_c is None else p.temp_c for p in batch.storage], dtype=float)
        if len(ts):
            self.chart.set_window(max(86_400.0, ts[-1] - ts[0] + 31 * 86_400))
            self.chart.set_history(self._temp, ts, temps)
        self.chart.set_state(DataState.LIVE if not error else DataState.STALE, "")

    def _show_verdict(self, batch: Batch | None) -> None:
        if batch is None:
            self.verdict.setText(tr("batch_hint", self.lang))
            self.verdict.setProperty("verdict", "none")
            return
        lang = self.lang
        head = f"{VERDICT_MARKS[batch.verdict]} {tr('verdict_' + batch.verdict, lang)}"
        reasons = [r.pick(lang) for r in batch.reasons]
        self.verdict.setText("\n".join([head, *("· " + r for r in reasons)]))
        self.verdict.setProperty("verdict", batch.verdict)
        self.verdict.setStyleSheet(f"color: {verdict_color(batch.verdict)}; font-weight: bold;")

    def _error(self, text: str) -> None:
        self.verdict.setText(text)
        self.verdict.setStyleSheet(f"color: {verdict_color('unverifiable')};")

    def verdict_text(self) -> str:
        return self.verdict.text()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        win = self.window()
        px = max(12, round((win.height() if win is not None else 1080) / 1080 * 17))
        self.setStyleSheet(
            f"#batchCheck QLabel, #batchCheck QLineEdit, #batchCheck QPushButton, #batchCheck QComboBox "
            f"{{ font-size: {px}px; }} #batchCheck #panelTitle {{ font-size: {round(px * 1.15)}px; }}"
            f" #batchCheck #verdict {{ font-size: {round(px * 1.3)}px; }}"
        )
