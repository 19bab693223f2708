"""孪生同现: the live plant view of one enterprise (``GET /api/v1/enterprises/{code}/twin``),
opened from its 企业码 profile ("孪生视图").

A window with the plant's floor plan (widgets.plant_floor): areas, and units coloured by
state with their meters. Asked again at the twin's cadence while the window is shown (the
timer stops when it is hidden). A simulated twin says so in the header, on screen; every
text from the API is plain text.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from cockpit.api.twin import Twin
from cockpit.ui.text import stamp, tr
from widgets import theme
from widgets.plant_floor import FloorArea, FloorMeter, FloorUnit, PlantFloor
from widgets.state import DataState

TwinFn = Callable[[str, Callable[..., None]], None]
STATES = ("running", "idle", "stopped", "fault", "cleaning")


def _fmt(v: float | None, precision: int) -> str:
    return "—" if v is None else f"{v:,.{precision}f}"


def floor_units(tw: Twin, lang: str) -> list[FloorUnit]:
    """The twin's units as the floor widget draws them: "温度 130 °C", "工序 保温染色"."""
    out = []
    for u in tw.units:
        meters = []
        for m in u.meters:
            if m.text is not None:
                text = f"{m.name.pick(lang)} {m.text.pick(lang)}"
            else:
                unit = m.unit.pick(lang) if m.unit is not None else ""
                text = f"{m.name.pick(lang)} {_fmt(m.value, m.precision)}{(' ' + unit) if unit and m.value is not None else ''}"
            meters.append(FloorMeter(text, m.level))
        out.append(FloorUnit(u.id, u.name.pick(lang), u.x, u.y, u.w, u.h, u.state, tuple(meters),
                             round=u.kind.endswith("tank") or u.kind == "jet_dyer"))
    return out


class TwinView(QWidget):
    """The twin of ``code``, asked through ``fetch`` (answers by callback)."""

    def __init__(self, lang: str, code: str, name: str, fetch: TwinFn | None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("twinView")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.lang, self.code, self._fetch = lang, code, fetch
        self.twin: Twin | None = None
        self.error = ""
        self.pending = False
        self.setWindowTitle(tr("twin_window", lang, n=name))
        self.title = QLabel(tr("twin_window", lang, n=name))
        self.title.setObjectName("twinTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.badge = QLabel()
        self.badge.setObjectName("twinBadge")
        self.badge.setTextFormat(Qt.TextFormat.PlainText)
        self.when = QLabel()
        self.when.setObjectName("twinWhen")
        self.when.setTextFormat(Qt.TextFormat.PlainText)
        self.floor = PlantFloor()
        self.floor.set_state_labels({s: tr("twin_state_" + s, lang) for s in STATES})
        self.floor.set_state(DataState.NO_DATA, tr("waiting", lang))
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.badge)
        head.addWidget(self.when)
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 8, 12, 8)
        box.addLayout(head)
        box.addWidget(self.floor, 1)
        self._timer = QTimer(self, interval=5000)
        self._timer.timeout.connect(self.refresh)
        self._restyle()

    # ---- data --------------------------------------------------------------------------
    def refresh(self) -> None:
        if self._fetch is None or self.pending:
            return
        self.pending = True
        self._fetch(self.code, self.show_twin)

    def show_twin(self, tw: Twin | None, error: str, missing: bool = False, fetched_ms: int | None = None) -> None:
        self.pending = False
        self.error = error
        lang = self.lang
        if tw is None:
            text = tr("twin_none", lang) if missing else tr("bad_part", lang, r=error or "—")
            self.floor.set_state(DataState.NO_DATA if self.twin is None else DataState.STALE, text)
            return
        self.twin = tw
        self._timer.setInterval(int(min(max(tw.cadence_s, 1.0), 3600.0) * 1000))
        self.floor.set_plant(tw.floor_w, tw.floor_h,
                             [FloorArea(a.id, a.name.pick(lang), a.x, a.y, a.w, a.h) for a in tw.areas],
                             floor_units(tw, lang))
        self.badge.setText(tr("twin_simulated", lang) if tw.simulated else "")
        self.badge.setVisible(tw.simulated)
        self.when.setText(tr("data_as_of", lang, t=stamp(tw.ts)))
        if error:  # an answer from the cache: the API could not be asked
            self.floor.set_state(DataState.STALE, tr("cached_answer", lang, t=stamp(fetched_ms or tw.ts), e=error))
        else:
            self.floor.set_state(DataState.LIVE, tw.source.pick(lang) if tw.source is not None else "")

    # ---- Qt ----------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt override)
        super().showEvent(event)
        self._timer.start()
        self.refresh()

    def hideEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt override)
        self._timer.stop()
        super().hideEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt override)
        super().resizeEvent(event)
        self._restyle()

    def _restyle(self) -> None:
        px = max(14, round(self.height() / 1080 * 18))
        self.setStyleSheet(
            f"#twinView {{ background: {theme.BACKGROUND}; }}"
            f" #twinView QLabel {{ color: {theme.TEXT}; font-size: {px}px; }}"
            f" #twinView #twinTitle {{ font-size: {round(px * 1.4)}px; font-weight: bold; }}"
            f" #twinView #twinBadge {{ color: {theme.BACKGROUND}; background: {theme.WARN}; padding: 2px 10px;"
            f" font-weight: bold; }}")
