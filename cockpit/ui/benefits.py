"""企业码 "一键获取": the benefits of an enterprise's profile, each with its state and an apply button.

Each benefit the profile lists is a row: its name (and sum), the grounds, its state — 可申请,
已申请, 审核中, 已兑现 or 不予支持 with the reason — and 一键获取. A click queues the application
in the alarm desk's queue (saved in the offline cache, sent once with its request id when
the link allows, like an alarm acknowledgement): offline it shows as "已申请 · 待发送". The
states come from the API (``GET /enterprises/{code}/benefits``), asked for when a profile is
shown and refreshed with it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cockpit.api.schema import EnterpriseProfile
from cockpit.ui.text import tr
from widgets import format_number, theme

STATE_COLOR = {"applied": "ACCENT", "reviewing": "WARN", "granted": "OK", "refused": "ALARM"}


class BenefitService:
    """What the benefit rows ask of the cockpit: the alarm desk's queue and the operator."""

    def __init__(self, desk: Any, operator: str, spawn: Callable[[Coroutine[Any, Any, None]], Any]) -> None:
        self.desk = desk
        self.operator = operator
        self.spawn = spawn

    def apply(self, code: str, benefit_id: str) -> None:
        self.desk.apply_benefit(code, benefit_id, self.operator)

    def refresh(self, code: str) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # the app's loop has ended: nothing to ask
            return
        self.spawn(self.desk.load_applications(code))

    def state(self, code: str, benefit_id: str) -> tuple[str | None, Any, bool]:
        """(state or None, reason Names or None, pending: queued, not sent yet)."""
        key = f"{code}/{benefit_id}"
        if self.desk.pending_for(key):
            return "applied", None, True
        a = self.desk.applications.get(key)
        return (a.state, a.reason, False) if a is not None else (None, None, False)


def _plain(text: str = "", name: str = "") -> QLabel:
    lab = QLabel(text)
    lab.setTextFormat(Qt.TextFormat.PlainText)  # API text: data, never markup
    lab.setWordWrap(True)
    if name:
        lab.setObjectName(name)
    return lab


class BenefitsView(QWidget):
    """The benefit rows of the profile shown."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.service_of: Callable[[], BenefitService | None] = lambda: None
        self.profile: EnterpriseProfile | None = None
        self.rows: list[tuple[str, QLabel, QPushButton]] = []  # (benefit id, state label, button)
        self._ids: list[str] = []
        self._listening: Any = None
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.setSpacing(6)
        self.empty = _plain(tr("ent_no_benefits", lang), "benefits")
        self._box.addWidget(self.empty)

    def show_profile(self, profile: EnterpriseProfile) -> None:
        """Rows for the profile's benefits (rebuilt when they differ), then their states."""
        svc = self.service_of()
        if svc is not None and self._listening is not svc.desk:
            self._listening = svc.desk
            svc.desk.listeners.append(self.update_states)
        ids = [b.id for b in profile.benefits]
        code_changed = self.profile is None or self.profile.code != profile.code
        self.profile = profile
        if ids != self._ids or code_changed:
            self._rebuild(profile)
        if svc is not None:
            svc.refresh(profile.code)
        self.update_states()

    def _rebuild(self, profile: EnterpriseProfile) -> None:
        lang = self.lang
        for _, _, btn in self.rows:
            row = btn.parentWidget()
            if row is not None:
                row.deleteLater()
        self.rows = []
        self._ids = [b.id for b in profile.benefits]
        self.empty.setVisible(not profile.benefits)
        for b in profile.benefits:
            row = QFrame()
            row.setObjectName("benefitRow")
            grid = QGridLayout(row)
            grid.setContentsMargins(6, 4, 6, 4)
            name = b.name.pick(lang)
            shown = b.amount is not None and not any(ch.isdigit() for ch in name)  # not when the name says it
            amount = f"（{format_number(b.amount or 0.0, 1)} {tr('wan_yuan', lang)}）" if shown else ""
            title = _plain(f"◆ {name}{amount}", "benefitName")
            basis = _plain(b.basis.pick(lang), "benefits")
            state = _plain("", "benefitState")
            btn = QPushButton(tr("ben_apply", lang))
            btn.setObjectName(f"apply_{b.id}")
            btn.clicked.connect(lambda _=False, bid=b.id: self._apply(bid))
            grid.addWidget(title, 0, 0)
            grid.addWidget(state, 0, 1, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(basis, 1, 0)
            grid.addWidget(btn, 1, 1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.setColumnStretch(0, 1)
            self._box.addWidget(row)
            self.rows.append((b.id, state, btn))

    def _apply(self, benefit_id: str) -> None:
        svc = self.service_of()
        if svc is None or self.profile is None:
            return
        svc.apply(self.profile.code, benefit_id)
        self.update_states()

    def text(self) -> str:
        """Everything the rows say, line by line (the profile's benefits, their grounds and states)."""
        if not self.rows:
            return self.empty.text()
        out: list[str] = []
        for _, state, btn in self.rows:
            row = btn.parentWidget()
            labels = row.findChildren(QLabel) if row is not None else []
            out.extend(lab.text() for lab in labels if lab is not state)
            out.append(state.text())
        return "\n".join(t for t in out if t)

    def state_texts(self) -> dict[str, str]:
        """What each row's state says (benefit id -> text)."""
        return {bid: lab.text() for bid, lab, _ in self.rows}

    def update_states(self) -> None:
        """Each row's state from the desk (its records and its queue)."""
        svc = self.service_of()
        lang = self.lang
        for bid, lab, btn in self.rows:
            if svc is None or self.profile is None:
                lab.setText("")
                btn.setEnabled(False)
                btn.setToolTip(tr("ben_unavailable", lang))
                continue
            state, reason, pending = svc.state(self.profile.code, bid)
            if state is None:
                text, color = tr("ben_none", lang), theme.TEXT_DIM
            else:
                text = tr(f"ben_{state}", lang) + (f" · {tr('ben_pending', lang)}" if pending else "")
                if reason is not None:
                    text += f"\n{reason.pick(lang)}"
                color = getattr(theme, STATE_COLOR[state])
            lab.setText(text)
            lab.setStyleSheet(f"color: {color}; font-weight: bold;")
            btn.setEnabled(state is None)
            btn.setVisible(state is None)  # applied: its state says where it stands
