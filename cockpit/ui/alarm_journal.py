"""The alarm journal (告警处置台账): every alarm with its handling, at the desk.

Lists every alert the cockpit has seen (live, and from the offline cache's history) with
its state from the alarm loop — 新告警 → 已确认 (who, when) → 处置中 (department, note) →
已办结 (result) — filtered by brain, state and period, and exports the list as CSV
(UTF-8 with BOM, as Excel expects). The selected alarm's history is shown below the list;
确认 / 派单… / 办结… act on it through ``act`` (the app queues the action in the alarm
desk: offline it is kept and shown as 待发送 until the API has it).

Reads the UI models only (``cockpit.ui.model.Models``); every text from the API is shown
as plain text.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cockpit.api.schema import Alert
from cockpit.ui.model import Models
from cockpit.ui.text import tr
from widgets import theme

STATES = ("new", "acknowledged", "assigned", "closed")
STATE_COLUMN = 5
PERIODS = ("all", "today", "24h", "7d")
DEPARTMENTS = ("市经信局", "市生态环境局", "市应急管理局", "市市场监管局", "属地区县（市）政府", "企业自查整改")

Act = Callable[[Alert, str, "str | None", "str | None"], None]  # (alert, action, department, note)


def _fmt(ms: int | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ms / 1000)) if ms else ""


def _period_start(period: str, now_ms: int) -> int | None:
    if period == "today":
        t = time.localtime(now_ms / 1000)
        return int(time.mktime((t.tm_year, t.tm_mon, t.tm_mday, 0, 0, 0, 0, 0, -1)) * 1000)
    if period == "24h":
        return now_ms - 86_400_000
    if period == "7d":
        return now_ms - 7 * 86_400_000
    return None


class ActionForm(QDialog):
    """派单 (department + instructions) or 办结 (result): a small form, opened with open()."""

    def __init__(self, action: str, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.action = action
        self.setWindowTitle(tr(f"aj_{action}", lang).rstrip("…"))
        form = QFormLayout(self)
        self.department = QComboBox()
        self.department.setEditable(True)
        self.department.addItems(DEPARTMENTS)
        line = self.department.lineEdit()
        if line is not None:
            line.setMaxLength(64)  # what the API takes
        self.note = QLineEdit()
        self.note.setMaxLength(500)
        if action == "assign":
            form.addRow(tr("aj_dept_label", lang), self.department)
            form.addRow(tr("aj_note_label", lang), self.note)
        else:
            self.department.hide()
            form.addRow(tr("aj_result_label", lang), self.note)
            self.note.setPlaceholderText(tr("aj_need_result", lang))
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(tr("aj_ok", lang), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("aj_cancel", lang), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _accept(self) -> None:
        if self.action == "close" and not self.note.text().strip():
            self.note.setFocus()
            return  # a closing without a result is not a closing
        if self.action == "assign" and not self.department.currentText().strip():
            return
        self.accept()


class AlarmJournal(QDialog):
    """The journal; see the module docstring."""

    COLUMNS = ("aj_time", "aj_brain", "aj_district", "aj_level", "aj_message", "aj_state", "aj_by", "aj_at", "aj_dept", "aj_note")

    def __init__(self, models: Models, lang: str, act: Act | None, *, brain_names: dict[str, str] | None = None,
                 now_ms: Callable[[], int] | None = None, parent: QWidget | None = None,
                 open_alert: Callable[[Alert], None] | None = None) -> None:
        super().__init__(parent)
        self.models = models
        self.open_alert = open_alert  # shows an alarm's enterprise (drill-down) or its brain's tab
        self.lang = lang
        self.act = act
        self.brain_names = brain_names or {}
        self.now_ms = now_ms or (lambda: time.time_ns() // 1_000_000)
        self.rows: list[Alert] = []  # the alerts listed, in table order
        self.form: ActionForm | None = None
        self.setWindowTitle(tr("aj_title", lang))
        self.resize(1280, 720)
        box = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.brain_filter = QComboBox()
        self.district_filter = QComboBox()
        self.state_filter = QComboBox()
        self.period_filter = QComboBox()
        self.brain_filter.addItem(tr("aj_all", lang), None)
        for b, name in self.brain_names.items():
            self.brain_filter.addItem(name, b)
        self.district_filter.addItem(tr("aj_all", lang), None)
        self.state_filter.addItem(tr("aj_all", lang), None)
        for s in STATES:
            self.state_filter.addItem(tr(f"state_{s}", lang), s)
        for p in PERIODS:
            self.period_filter.addItem(tr(f"aj_{'all' if p == 'all' else p}", lang), p)
        for label, combo in (("aj_brain", self.brain_filter), ("aj_district", self.district_filter),
                             ("aj_state", self.state_filter),
                             ("aj_period", self.period_filter)):
            filters.addWidget(QLabel(tr(label, lang)))
            filters.addWidget(combo)
            combo.currentIndexChanged.connect(self.refresh)
        filters.addStretch(1)
        self.count = QLabel()
        filters.addWidget(self.count)
        box.addLayout(filters)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(c, lang) for c in self.COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(self.COLUMNS.index("aj_message"), QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_history)
        self.table.cellDoubleClicked.connect(lambda _r, _c: self._open())
        box.addWidget(self.table, 3)
        self.history = QPlainTextEdit()
        self.history.setReadOnly(True)
        self.history.setPlaceholderText(tr("aj_history", lang))
        box.addWidget(self.history, 1)
        self.notice = QLabel()
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setWordWrap(True)
        box.addWidget(self.notice)
        buttons = QHBoxLayout()
        self.ack_button = QPushButton(tr("aj_ack", lang))
        self.assign_button = QPushButton(tr("aj_assign", lang))
        self.close_button = QPushButton(tr("aj_close", lang))
        self.export_button = QPushButton(tr("aj_export", lang))
        self.ack_button.clicked.connect(lambda: self._do("ack"))
        self.assign_button.clicked.connect(lambda: self._do("assign"))
        self.close_button.clicked.connect(lambda: self._do("close"))
        self.export_button.clicked.connect(self._export)
        self.open_button = QPushButton(tr("aj_open", lang))
        self.open_button.clicked.connect(self._open)
        self.open_button.setVisible(open_alert is not None)
        for button in (self.ack_button, self.assign_button, self.close_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        box.addLayout(buttons)
        models.alerts_changed.connect(self.refresh)
        self.setObjectName("alarmJournal")
        self.restyle()
        self.refresh()

    def restyle(self) -> None:
        """The theme's colours (dark command center, light office…) and a text size that
        grows with the dialog (readable on a 4K desk screen)."""
        px = max(13, round(self.height() / 1080 * 16))
        t = theme
        if hasattr(self, "table"):
            self.table.verticalHeader().setDefaultSectionSize(round(px * 1.9))  # rows as tall as their text
        self.setStyleSheet(
            f"QDialog#alarmJournal {{ background: {t.BACKGROUND}; }}"
            f" QDialog#alarmJournal QLabel, QDialog#alarmJournal QComboBox, QDialog#alarmJournal QPushButton,"
            f" QDialog#alarmJournal QTableWidget, QDialog#alarmJournal QPlainTextEdit,"
            f" QDialog#alarmJournal QHeaderView::section {{ font-size: {px}px; color: {t.TEXT}; }}"
            f" QDialog#alarmJournal QTableWidget, QDialog#alarmJournal QPlainTextEdit {{ background: {t.PANEL};"
            f" gridline-color: {t.EDGE}; border: 1px solid {t.EDGE}; selection-background-color: {t.EDGE}; }}"
            f" QDialog#alarmJournal QHeaderView::section {{ background: {t.BACKGROUND}; border: 0;"
            f" border-bottom: 1px solid {t.EDGE}; padding: {px // 4}px; font-weight: bold; }}")

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.restyle()

    # ---- the list ----------------------------------------------------------------------

    def listed(self) -> list[Alert]:
        """The alerts the filters let through, newest first."""
        brain = self.brain_filter.currentData()
        district = self.district_filter.currentData()
        state = self.state_filter.currentData()
        since = _period_start(self.period_filter.currentData() or "all", self.now_ms())
        out = []
        for a in self.models.seen_alerts.values():
            if brain and a.brain != brain:
                continue
            if district and (a.district is None or a.district.zh != district):
                continue
            if state and self.models.state_of(a.id)[0] != state:
                continue
            if since is not None and a.ts < since:
                continue
            out.append(a)
        out.sort(key=lambda a: (-a.ts, a.id))
        return out

    def row_cells(self, a: Alert) -> list[str]:
        lang = self.lang
        state, pending = self.models.state_of(a.id)
        rec = self.models.records.get(a.id)
        state_text = tr(f"state_{state}", lang) + (f" · {tr('aj_pending', lang)}" if pending else "")
        note = ""
        if rec is not None:
            note = rec.result if rec.state == "closed" and rec.result else (rec.note or "")
        return [
            _fmt(a.ts), self.brain_names.get(a.brain, a.brain), a.district.pick(lang) if a.district else "",
            tr(f"level_{a.level}", lang),
            a.message.pick(lang), state_text,
            rec.acknowledged_by or "" if rec else "", _fmt(rec.acknowledged_at) if rec else "",
            rec.department or "" if rec else "", note,
        ]

    def _fill_districts(self) -> None:
        """The districts of the alerts seen (the list grows as alerts come)."""
        known = {self.district_filter.itemData(i) for i in range(1, self.district_filter.count())}
        for a in list(self.models.seen_alerts.values()):
            if a.district is not None and a.district.zh not in known:
                known.add(a.district.zh)
                self.district_filter.addItem(a.district.pick(self.lang), a.district.zh)

    def refresh(self) -> None:
        self._fill_districts()
        chosen = self.selected()
        self.rows = self.listed()
        self.table.setRowCount(len(self.rows))
        colors = {"new": theme.ALARM, "acknowledged": theme.WARN, "assigned": theme.ACCENT, "closed": theme.OK}
        for r, a in enumerate(self.rows):
            state, pending = self.models.state_of(a.id)
            for c, text in enumerate(self.row_cells(a)):
                item = QTableWidgetItem(text)
                item.setToolTip(html.escape(text))  # API text: never rich text
                if c == STATE_COLUMN:
                    item.setForeground(QColor(theme.WARN if pending else colors[state]))
                self.table.setItem(r, c, item)
        self.count.setText(tr("aj_count", self.lang, n=len(self.rows)))
        waiting = sum(len(v) for v in self.models.pending.values())
        notes = [tr("aj_pending_n", self.lang, n=waiting)] if waiting else []
        notes += [tr("aj_refused", self.lang, e=f"{p.alert_id}: {why}")[:300] for p, why in self.models.rejected[-3:]]
        self.notice.setText("\n".join(notes))
        if chosen is not None:
            for r, a in enumerate(self.rows):
                if a.id == chosen.id:
                    self.table.selectRow(r)
                    break
        self._show_history()

    def selected(self) -> Alert | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.rows):
            return None
        return self.rows[rows[0].row()]

    def _show_history(self) -> None:
        a = self.selected()
        state = self.models.state_of(a.id)[0] if a is not None else None
        self.ack_button.setEnabled(a is not None and self.act is not None and state == "new")
        self.assign_button.setEnabled(a is not None and self.act is not None and state in ("acknowledged", "assigned"))
        self.close_button.setEnabled(a is not None and self.act is not None and state in ("acknowledged", "assigned"))
        if a is None:
            self.history.setPlainText("")
            return
        lang = self.lang
        lines = [f"{_fmt(a.ts)}  {tr('state_new', lang)} · {a.message.pick(lang)}"]
        rec = self.models.records.get(a.id)
        for e in rec.history if rec is not None else []:
            extra = " · ".join(x for x in (e.department, e.note) if x)
            lines.append(f"{_fmt(e.at)}  {tr('action_' + e.action, lang)} · {e.operator}" + (f" · {extra}" if extra else ""))
        for p in self.models.pending.get(a.id, []):
            extra = " · ".join(x for x in (p.body.department, p.body.note) if x)
            lines.append(f"{_fmt(p.queued_ms)}  {tr('action_' + p.action, lang)} · {p.body.operator}"
                         + (f" · {extra}" if extra else "") + f" · {tr('aj_pending', lang)}")
        self.history.setPlainText("\n".join(lines))

    # ---- actions -----------------------------------------------------------------------

    def _open(self) -> None:
        """The selected alarm where it happened: its enterprise's profile, else its brain's tab
        (in the main window, raised; the journal stays open)."""
        a = self.selected()
        if a is None or self.open_alert is None:
            return
        self.open_alert(a)

    def _do(self, action: str) -> None:
        a = self.selected()
        if a is None or self.act is None:
            return
        if action == "ack":
            self.act(a, "ack", None, None)
            return
        act = self.act
        form = self.form = ActionForm(action, self.lang, self)
        form.accepted.connect(lambda: act(a, action, form.department.currentText().strip()
                                          if action == "assign" else None, form.note.text().strip() or None))
        form.open()

    def csv_rows(self) -> tuple[list[str], list[list[object]]]:
        """The listed alarms as a table (what the CSV export writes): one row per alarm,
        its history in the last column."""
        columns = [tr(c, self.lang) for c in self.COLUMNS] + [tr("aj_history", self.lang)]
        rows: list[list[object]] = []
        for a in self.rows:
            rec = self.models.records.get(a.id)
            steps = [f"{_fmt(e.at)} {tr('action_' + e.action, self.lang)} {e.operator}"
                     + "".join(f" {x}" for x in (e.department, e.note) if x) for e in (rec.history if rec else [])]
            rows.append([*self.row_cells(a), " | ".join(steps)])
        return columns, rows

    def _export(self) -> None:
        from cockpit.ui.export import choose_path, default_name, export_csv

        def write(path: Path) -> None:
            export_csv(path, *self.csv_rows())
            self.notice.setText(tr("export_done", self.lang, p=str(path)))

        choose_path(self, "csv", Path.home() / default_name(tr("aj_title", self.lang), "csv"), write, self.lang)
