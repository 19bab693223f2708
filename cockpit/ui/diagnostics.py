"""Diagnostics overlay (F1): how the cockpit is doing, over the window's top right corner.

A translucent panel of plain-text rows, refreshed once a second while shown:

* the rows the app's ``collect()`` gives (connection, cache size and age, heartbeat…),
  in its order, its keys as labels;
* **frames per second** — repaint passes of the window: each ``UpdateRequest`` the
  top-level window handles is one pass in which Qt repaints whatever widgets were marked
  dirty, and flushes them to the screen. An idle screen shows about 1 (the overlay's own
  repaint each second); a tab whose charts move shows their rate. Averaged over 5 s;
* **updates per second** — data updates the app reports with :meth:`note_update`;
* **request latency** — what the app reports with :meth:`note_latency`: the last one,
  and p50 / p95 of the last minute (nearest rank), with how many;
* **memory** — resident set size (Linux ``/proc/self/statm``; elsewhere the peak from
  ``resource``); **uptime** — since the process started.

Every text is drawn with ``QPainter.drawText``: plain text, never markup. The counters
cost an integer increment while the overlay is hidden; the window's event filter and
the 1 s timer run only while it is shown. Qt-only, nothing from the API.
"""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QMainWindow, QWidget

from cockpit.hub.fleet import rss_mb
from cockpit.process import process_age_ms
from cockpit.ui.text import tr
from widgets import theme

__all__ = ["DiagnosticsOverlay", "format_duration", "percentile"]

log = logging.getLogger(__name__)

RATE_WINDOW_S = 5.0
LATENCY_WINDOW_S = 60.0
MAX_LATENCIES = 4096
MARGIN = 12



def _t(key: str, lang: str, **kw: object) -> str:
    """This module's texts, ``diag_*`` in the one table (cockpit/ui/text.py)."""
    return tr(f"diag_{key}", lang, **kw)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of a non-empty list."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(q / 100 * len(s)) - 1))
    return s[k]


def format_duration(seconds: float) -> str:
    """``3 d 04:05:06``, ``04:05:06``."""
    s = int(max(0.0, seconds))
    d, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    hms = f"{h:02d}:{m:02d}:{s:02d}"
    return f"{d} d {hms}" if d else hms


def _ms(v: float) -> str:
    return f"{v:.0f}" if v >= 10 else f"{v:.1f}"


class DiagnosticsOverlay(QWidget):
    """A translucent panel over ``window``'s top right; :meth:`toggle` shows or hides it."""

    def __init__(
        self,
        window: QWidget,
        collect: Callable[[], Mapping[str, str]] | None = None,
        lang: str = "zh",
        *,
        clock: Callable[[], float] = time.monotonic,
        interval_ms: int = 1000,
    ) -> None:
        super().__init__(window)
        self._win = window
        self.collect = collect
        self.lang = lang
        self._clock = clock
        self.frames = 0  # repaint passes of the window seen while shown
        self.updates = 0  # data updates reported by the app
        self._samples: deque[tuple[float, int, int]] = deque()  # (t, frames, updates)
        self._latencies: deque[tuple[float, float]] = deque(maxlen=MAX_LATENCIES)  # (t, ms)
        self._rows: list[tuple[str, str]] = []
        self._collect_failed: str | None = None  # the kind last logged
        self._layout: tuple[int, int, int] = (0, 0, 0)  # label width, value width, line height
        self._shown = False
        self.setObjectName("diagnostics")
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.refresh)
        self.hide()

    # ---- what the app calls ---------------------------------------------------------

    def toggle(self) -> bool:
        """Show (refreshed now, then every second) or hide; returns whether it is shown."""
        self.set_shown(not self._shown)
        return self._shown

    @property
    def shown(self) -> bool:
        """Whether the overlay is switched on (it shows whenever its window does)."""
        return self._shown

    def set_shown(self, on: bool) -> None:
        # no showEvent/hideEvent overrides: Qt sends a hide event to the children of a
        # window destroyed at interpreter exit, when a Python override can no longer run
        if on == self._shown:
            return
        self._shown = on
        if on:
            self._win.installEventFilter(self)
            self._samples.clear()
            self.show()
            self.refresh()
            self._timer.start()
        else:
            self._timer.stop()
            self._win.removeEventFilter(self)
            self.hide()

    def note_update(self, n: int = 1) -> None:
        """One (or ``n``) data updates arrived."""
        self.updates += n

    def note_latency(self, ms: float) -> None:
        """A request took ``ms`` milliseconds (from asking to the whole answer)."""
        if math.isfinite(ms) and ms >= 0:
            self._latencies.append((self._clock(), float(ms)))

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        if self.isVisible():
            self.refresh()

    # ---- what is shown --------------------------------------------------------------

    def rows(self) -> list[tuple[str, str]]:
        """The rows shown (label, value), as of the last refresh."""
        return list(self._rows)

    def text(self) -> str:
        """The rows as lines ``label: value``, the way they are drawn."""
        return "\n".join(f"{k}: {v}" for k, v in self._rows)

    def rate(self, index: int) -> float | None:
        """Per second over the last 5 s: frames (index 1) or updates (index 2); None before 2 samples."""
        if len(self._samples) < 2:
            return None
        t0, t1 = self._samples[0], self._samples[-1]
        dt = t1[0] - t0[0]
        return (t1[index] - t0[index]) / dt if dt > 0 else None

    @property
    def fps(self) -> float | None:
        return self.rate(1)

    @property
    def ups(self) -> float | None:
        return self.rate(2)

    def refresh(self) -> None:
        """Take a sample and recompute the rows (once a second while shown)."""
        now = self._clock()
        self._samples.append((now, self.frames, self.updates))
        while len(self._samples) > 2 and now - self._samples[1][0] >= RATE_WINDOW_S:
            self._samples.popleft()
        while self._latencies and now - self._latencies[0][0] > LATENCY_WINDOW_S:
            self._latencies.popleft()
        lang = self.lang
        rows: list[tuple[str, str]] = []
        if self.collect is not None:
            try:
                rows += [(str(k), str(v)) for k, v in self.collect().items()]
                self._collect_failed = None
            except Exception as exc:  # noqa: BLE001 - the overlay shows what it can
                kind = type(exc).__name__
                if self._collect_failed != kind:
                    self._collect_failed = kind
                    log.warning("diagnostics: collect failed", exc_info=exc)
                rows.append((_t("collect_error", lang), f"{kind}: {exc}"))

        def per_s(v: float | None) -> str:
            return "—" if v is None else _t("per_s", lang, v=f"{v:.1f}")

        rows.append((_t("fps", lang), per_s(self.fps)))
        rows.append((_t("ups", lang), per_s(self.ups)))
        lat = [ms for _, ms in self._latencies]
        if lat:
            rows.append((_t("latency", lang), _t("latency_value", lang, last=_ms(lat[-1]), p50=_ms(percentile(lat, 50)),
                                                 p95=_ms(percentile(lat, 95)), n=len(lat))))
        else:
            rows.append((_t("latency", lang), _t("latency_none", lang)))
        mem = rss_mb()
        rows.append((_t("memory", lang), "—" if mem is None else f"{mem:.0f} MB"))
        rows.append((_t("uptime", lang), format_duration(process_age_ms() / 1000)))
        self._rows = rows
        self._relayout()
        self.update()

    # ---- Qt ---------------------------------------------------------------------------

    def _font_px(self) -> int:
        return max(12, round(self._win.height() / 1080 * 16))

    def _relayout(self) -> None:
        px = self._font_px()
        if self.font().pixelSize() != px:
            self.setFont(theme.pixel_font(px))
        fm = QFontMetrics(self.font())
        pad = fm.height() // 2
        title_w = fm.horizontalAdvance(_t("title", self.lang))
        label_w = max([fm.horizontalAdvance(k) for k, _ in self._rows] or [0])
        max_value = max(fm.horizontalAdvance("M") * 12, int(self._win.width() * 0.45) - label_w)
        value_w = min(max_value, max([fm.horizontalAdvance(v) for _, v in self._rows] or [0]))
        line = fm.height() + max(2, fm.height() // 6)
        self._layout = (label_w, value_w, line)
        w = max(title_w, label_w + pad * 2 + value_w) + pad * 2
        h = line * (len(self._rows) + 1) + pad * 2
        self.resize(w, h)
        self._place()

    def _place(self) -> None:
        area = self._win.rect()
        if isinstance(self._win, QMainWindow):
            cw = self._win.centralWidget()
            if cw is not None:
                area = cw.geometry()
        self.move(QPoint(max(0, area.right() - self.width() - MARGIN + 1), area.top() + MARGIN))
        self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        fm = QFontMetrics(self.font())
        pad = fm.height() // 2
        r = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        p.setPen(QPen(QColor(120, 140, 170, 200), 1))
        p.setBrush(QColor(6, 10, 18, 215))
        p.drawRoundedRect(r, pad / 2, pad / 2)
        label_w, value_w, line = self._layout
        x, y = pad, pad
        p.setPen(QColor("#e8eef7"))
        p.drawText(QRect(x, y, self.width() - 2 * pad, line), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   _t("title", self.lang))
        for label, value in self._rows:
            y += line
            p.setPen(QColor("#9fb0c8"))
            p.drawText(QRect(x, y, label_w, line), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
            p.setPen(QColor("#e8eef7"))
            shown = fm.elidedText(value, Qt.TextElideMode.ElideRight, value_w)
            p.drawText(QRect(x + label_w + 2 * pad, y, value_w, line),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
        p.end()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        try:
            if obj is self._win:
                et = event.type()
                if et == QEvent.Type.UpdateRequest:
                    self.frames += 1
                elif et in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
                    self._place()
        except RuntimeError:  # the window or the overlay is being destroyed
            pass
        return False
