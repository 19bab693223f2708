"""The enterprise-code tab (企业码): look an enterprise up by name or credit code, see its profile.

A typed 18-character unified social credit code is checked (GB 32100 check character)
before anything is asked: a mistyped code says what is wrong. A name part searches. The
profile shows production, operation, logistics, finance and credit figures, the policy
benefits the enterprise qualifies for and a QR code of its enterprise code; it refreshes
while shown. Clicking an enterprise anywhere in the cockpit (a ranking, an alert) opens
it here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from cockpit.api import uscc
from cockpit.api.schema import EnterpriseList, EnterpriseProfile
from cockpit.ui.benefits import BenefitsView
from cockpit.ui.panels import district_name
from cockpit.ui.text import plain_tip, stamp, tr
from widgets import format_number, theme
from widgets.qr_code import QrCode

REFRESH_MS = 10_000  # a shown profile is live: asked again this often
_CODE_LIKE = re.compile(r"^[0-9A-Za-z]{15,20}$")

SearchFn = Callable[[str, Callable[[EnterpriseList | None, str], None]], None]
ProfileFn = Callable[[str, Callable[..., None]], None]


def _plain(text: str = "", name: str = "") -> QLabel:
    lab = QLabel(text)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        lab.setObjectName(name)
    return lab


def code_problem(text: str, lang: str) -> str | None:
    """Why a typed credit code is wrong (in the language), or None if it is valid."""
    try:
        uscc.validate(text)
    except uscc.InvalidCode as exc:
        zh, _, en = str(exc).partition(" / ")
        return en if lang == "en" and en else zh
    return None


class EnterpriseTab(QWidget):
    """Search, results and the enterprise-code profile."""

    def __init__(self, lang: str, search: SearchFn | None, profile: ProfileFn | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self._search_fn = search
        self._profile_fn = profile
        self.profile: EnterpriseProfile | None = None
        self.profile_error = ""
        self.fetched_ms: int | None = None
        self.results: EnterpriseList | None = None
        self.brain_names: dict[str, str] = {}  # brain id -> its name, for the profile header
        self.recent: list[tuple[str, str]] = []  # (code, name) of profiles opened, newest first
        # the sections on screen: (section id, field keys) and the value labels, in order
        self._section_shape: list[tuple[str, list[str]]] = []
        self._value_labels: list[QLabel] = []
        self._pending_code: str | None = None
        self.setObjectName("enterpriseTab")

        self.entry = QLineEdit()
        self.entry.setPlaceholderText(tr("ent_placeholder", lang))
        self.entry.setMaxLength(60)
        self.entry.returnPressed.connect(self.submit)
        self.button = QPushButton(tr("ent_search", lang))
        self.button.clicked.connect(self.submit)
        self.message = _plain("", "entMessage")
        self.message.setWordWrap(True)
        self.list = QListWidget()
        self.list.itemActivated.connect(self._item_chosen)
        self.list.itemClicked.connect(self._item_chosen)
        self.results_label = _plain(tr("ent_results", lang), "sectionTitle")

        self.name = _plain("", "entName")
        self.name.setWordWrap(True)
        self.meta = _plain("", "entMeta")
        self.meta.setWordWrap(True)
        self.status = _plain("", "entStatus")
        self.note = _plain("", "entNote")
        self.note.setWordWrap(True)
        self.qr = QrCode()
        # 孪生同现: the plant's live view in its own window (cockpit.ui.twin_view)
        self.twin_fn: Callable[..., None] | None = None
        self.twin_button = QPushButton(tr("twin_button", lang))
        self.twin_button.setObjectName("twinButton")
        self.twin_button.clicked.connect(self.open_twin)
        self.twin_view: QWidget | None = None
        self.sections = QGridLayout()
        self.sections.setSpacing(10)
        self.benefits = BenefitsView(lang)  # 一键获取: each benefit with its state and an apply button
        self.empty = _plain(tr("ent_hint", lang), "entHint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        search_row = QHBoxLayout()
        search_row.addWidget(self.entry, 4)
        search_row.addWidget(self.button, 1)
        left = QVBoxLayout()
        left.addLayout(search_row)
        left.addWidget(self.message)
        left.addWidget(self.results_label)
        left.addWidget(self.list, 1)

        head_text = QVBoxLayout()
        head_text.addWidget(self.name)
        head_text.addWidget(self.meta)
        head_text.addWidget(self.status)
        head_text.addWidget(self.note)
        head_text.addWidget(self.twin_button, 0, Qt.AlignmentFlag.AlignLeft)
        head_text.addStretch(1)
        head = QHBoxLayout()
        head.addLayout(head_text, 3)
        head.addWidget(self.qr, 1)
        self.profile_box = QWidget()
        self.profile_box.setObjectName("profile")
        pbox = QVBoxLayout(self.profile_box)
        pbox.addLayout(head, 2)
        pbox.addLayout(self.sections, 4)
        ben_title = _plain(tr("ent_benefits", lang), "sectionTitle")
        pbox.addWidget(ben_title)
        pbox.addWidget(self.benefits, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.profile_box)
        self.profile_box.hide()

        right = QVBoxLayout()
        right.addWidget(self.empty, 1)
        right.addWidget(scroll, 1)
        self._scroll = scroll
        scroll.hide()

        outer = QHBoxLayout(self)
        outer.setContentsMargins(12, 12, 12, 12)
        outer.setSpacing(16)
        outer.addLayout(left, 1)
        outer.addLayout(right, 2)

        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self._refresh)
        self._timer.start()

    # ---- actions ------------------------------------------------------------------

    def submit(self) -> None:
        """Search for the typed text: a credit code opens its profile, a name part searches."""
        text = self.entry.text().strip()
        if not text:
            self._say(tr("ent_empty", self.lang), "warn")
            return
        norm = uscc.normalise(text)
        if _CODE_LIKE.match(norm) and any(ch.isdigit() for ch in norm[:8]):
            problem = code_problem(norm, self.lang)
            if problem is not None:
                self._say(problem, "alarm")
                return
            self._say("", "")
            self.open_code(norm)
            return
        self._say(tr("ent_searching", self.lang, q=text), "")
        if self._search_fn is not None:
            self._search_fn(text, self._show_results)

    def open_code(self, code: str) -> None:
        """Open an enterprise's profile (from a click anywhere, or a typed code)."""
        code = uscc.normalise(code)
        problem = code_problem(code, self.lang)
        if problem is not None:
            self._say(problem, "alarm")
            return
        self._pending_code = code
        if self.profile is None or self.profile.code != code:
            self.note.setText(tr("ent_loading", self.lang, c=code))
        if self._profile_fn is not None:
            self._profile_fn(code, self.show_profile)

    def _item_chosen(self, item: QListWidgetItem) -> None:
        code = item.data(Qt.ItemDataRole.UserRole)
        if code:
            self.open_code(str(code))

    def _refresh(self) -> None:
        if self.profile is not None and self.isVisible() and self._profile_fn is not None:
            self._profile_fn(self.profile.code, self.show_profile)

    # ---- answers ------------------------------------------------------------------

    def _show_results(self, result: EnterpriseList | None, error: str) -> None:
        lang = self.lang
        self.list.clear()
        self.results = result
        self.results_label.setText(tr("ent_results", lang))
        if result is None:
            self._say(tr("ent_failed", lang, e=error), "alarm")
            return
        for e in result.items:
            district = district_name(e.district, lang, e.district_name)
            text = f"{e.name.pick(lang)}\n{e.code} · {district} · {tr('status_' + e.status, lang)}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, e.code)
            item.setToolTip(plain_tip(e.name.pick(lang)))  # a platform's text, never markup
            self.list.addItem(item)
        if not result.items:
            self._say(tr("ent_none", lang, q=result.q), "warn")
        else:
            shown = len(result.items)
            msg = tr("ent_found", lang, n=result.total) if shown == result.total else tr(
                "ent_found_some", lang, n=result.total, k=shown)
            self._say(msg + (f" · {tr('cached_answer', lang, t='', e=error)}" if error else ""), "")
            if shown == 1:
                self.open_code(result.items[0].code)

    def show_profile(self, profile: EnterpriseProfile | None, error: str, missing: bool = False,
                     fetched_ms: int | None = None) -> None:
        lang = self.lang
        if profile is None:
            if missing:
                self._say(tr("ent_unknown", lang, c=self._pending_code or ""), "warn")
            else:
                self._say(tr("ent_failed", lang, e=error), "alarm")
            if self.profile is not None and self._pending_code == self.profile.code:
                self.note.setText(tr("ent_not_refreshed", lang, e=error))
            return
        if self._pending_code is not None and profile.code != self._pending_code and self.profile is not None \
                and self.profile.code == profile.code:
            return  # a refresh of the previous enterprise answered after a new one was asked for
        same = self.profile is not None and self.profile.code == profile.code
        self.profile, self.profile_error, self.fetched_ms = profile, error, fetched_ms
        self.empty.hide()
        self._scroll.show()
        self.profile_box.show()
        self.name.setText(profile.name.pick(lang))
        self.meta.setText(f"{tr('ent_code', lang)}：{profile.code}\n{tr('ent_district', lang)}："
                          f"{profile.district_name.pick(lang)} · {tr('ent_brain', lang)}："
                          f"{self.brain_names.get(profile.brain, profile.brain)}")
        self.status.setText(f"● {tr('status_' + profile.status, lang)}")
        color = {"running": theme.OK, "idle": theme.WARN, "stopped": theme.ALARM}[profile.status]
        self.status.setStyleSheet(f"color: {color}; font-weight: bold;")
        when = stamp(profile.ts)
        self.note.setText(tr("ent_as_of", lang, t=when) if not error else tr("cached_answer", lang, t=stamp(fetched_ms or profile.ts), e=error))
        if not same:
            self.qr.set_text(profile.code)
            self.qr.set_caption(profile.code)
            self._remember(profile.code, profile.name.pick(lang))
        self._fill_sections(profile)
        self.benefits.show_profile(profile)

    def open_twin(self) -> None:
        """Open the shown enterprise's plant twin in its own window (one at a time)."""
        from cockpit.ui.twin_view import TwinView

        if self.profile is None:
            return
        if self.twin_view is not None:  # one twin window: the previous one goes
            self.twin_view.close()
            self.twin_view.deleteLater()
        view = TwinView(self.lang, self.profile.code, self.profile.name.pick(self.lang), self.twin_fn, self)
        self.twin_view = view
        win = self.window()
        view.resize(win.size() if win is not None else view.sizeHint())
        view.show()

    def _remember(self, code: str, name: str) -> None:
        """Recently opened enterprises fill the list until the user searches."""
        self.recent = [(code, name)] + [r for r in self.recent if r[0] != code][:19]
        if self.results is None:
            self.results_label.setText(tr("ent_recent", self.lang))
            self.list.clear()
            for c, n in self.recent:
                item = QListWidgetItem(f"{n}\n{c}")
                item.setData(Qt.ItemDataRole.UserRole, c)
                self.list.addItem(item)

    def _fill_sections(self, profile: EnterpriseProfile) -> None:
        lang = self.lang
        shape: list[tuple[str, list[str]]] = [(str(sec.id), [f.key for f in sec.fields]) for sec in profile.sections]
        if shape == self._section_shape:  # the 10-s refresh of the same profile: new values only
            values = [f for sec in profile.sections for f in sec.fields]
            for label, f in zip(self._value_labels, values, strict=True):
                label.setText(self._field_text(f))
            return
        self._section_shape = shape
        self._value_labels = []
        while self.sections.count():
            item = self.sections.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        for i, sec in enumerate(profile.sections):
            box = QFrame()
            box.setObjectName("section")
            grid = QGridLayout(box)
            grid.setVerticalSpacing(4)
            grid.addWidget(_plain(sec.name.pick(lang), "sectionTitle"), 0, 0, 1, 2)
            for r, f in enumerate(sec.fields, 1):
                grid.addWidget(_plain(f.name.pick(lang), "fieldName"), r, 0)
                value = _plain(self._field_text(f), "fieldValue")
                self._value_labels.append(value)
                grid.addWidget(value, r, 1)
            grid.setRowStretch(len(sec.fields) + 1, 1)
            self.sections.addWidget(box, i // 3, i % 3)

    def _field_text(self, f: Any) -> str:
        if f.text is not None:
            return f.text.pick(self.lang)
        if f.value is None:
            return "—"
        unit = f.unit.pick(self.lang) if f.unit is not None else ""
        return f"{format_number(f.value, f.precision)} {unit}".strip()

    def _say(self, text: str, level: str) -> None:
        self.message.setText(text)
        color = {"warn": theme.WARN, "alarm": theme.ALARM}.get(level, theme.TEXT_DIM)
        self.message.setStyleSheet(f"color: {color};")

    def message_text(self) -> str:
        return self.message.text()

    def restyle(self) -> None:
        """The palette changed: re-make the style sheet with its colours."""
        self.resizeEvent(None)

    def text_floor_changed(self) -> None:
        """The display profile's minimum text height changed (cockpit.ui.legibility)."""
        self.resizeEvent(None)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event is not None:
            super().resizeEvent(event)
        px = max(12, theme.min_text_px(), round(self.height() / 1000 * 18))
        self.setStyleSheet(
            f"#enterpriseTab QLabel, #enterpriseTab QLineEdit, #enterpriseTab QPushButton, "
            f"#enterpriseTab QListWidget {{ font-size: {px}px; }}"
            f" #enterpriseTab #entName {{ font-size: {round(px * 1.6)}px; font-weight: bold; }}"
            f" #enterpriseTab #sectionTitle {{ font-size: {round(px * 1.1)}px; font-weight: bold; color: {theme.TEXT_DIM}; }}"
            f" #enterpriseTab #entHint {{ font-size: {round(px * 1.3)}px; color: {theme.TEXT_DIM}; }}"
            f" #enterpriseTab #fieldValue {{ font-weight: bold; }}"
            f" #enterpriseTab #section {{ border: 1px solid {theme.EDGE}; background: {theme.PANEL}; }}"
        )
        self.qr.setMinimumSize(round(px * 9), round(px * 9))

