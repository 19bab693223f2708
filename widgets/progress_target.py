"""ProgressToTarget: a value against a target (e.g. a cluster's output against its 千亿 goal).

A big current value with its unit, the percentage of the target, a horizontal bar filled to
value / target (accent below the target, OK-green at or over it; over the target the bar is
full and a chevron mark beyond its end says so), the target labelled at the bar's end, and
optionally the path of earlier years as a mini bar series under it, with the target as a
dashed line across. Without a target the value is shown without a percentage: never a
made-up one. Everything is drawn into the cached static layer; nothing repaints when idle.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets._changes import change_parts, fitting_parts, paint_changes
from widgets._panel import DASH, Panel, elide, format_number
from widgets.state import DataState


def _clean(value: object, what: str) -> float | None:
    if value is None:
        return None
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{what}: not a number: {value!r}") from None
    return v if math.isfinite(v) else None


class ProgressToTarget(Panel):
    """A value, its share of a target as a bar and a percentage, and the path so far."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = ""
        self._unit = ""
        self._precision = 1
        self._value: float | None = None
        self._target: float | None = None
        self._target_label = ""
        self._path: list[tuple[str, float | None]] = []
        self._changes: list[tuple[str, float | None]] = []
        self._up_is_good: bool | None = None
        self._done_caption = "完成率"
        self._target_caption = "目标"
        self._relayout()

    # ---- public API -----------------------------------------------------------------

    def _text_changed(self, what: str) -> None:
        self._changed()

    def set_value(self, value: float | None) -> None:
        """The current value; None (or NaN) shows a dash, no percentage and an empty bar."""
        v = _clean(value, "value")
        if v != self._value:
            self._value = v
            self._changed()

    def value(self) -> float | None:
        return self._value

    def set_target(self, target: float | None, label: str = "") -> None:
        """The target (> 0) and its name (e.g. "千亿目标"); None: no target, no percentage."""
        t = _clean(target, "target")
        if t is not None and t <= 0:
            raise ValueError(f"a target must be positive, got {t}")
        if (t, str(label)) != (self._target, self._target_label):
            self._target, self._target_label = t, str(label)
            self._changed()

    def target(self) -> float | None:
        return self._target

    def set_changes(self, changes: list[tuple[str, float | None]]) -> None:
        """The change line at the header's right, e.g. [("同比", 18.0)] in percent (None: unknown)."""
        clean = [(str(label), _clean(pct, f"change {label}")) for label, pct in changes]
        if clean != self._changes:
            self._changes = clean
            self._changed()

    def changes_text(self) -> str:
        """The change line as drawn, e.g. "同比 ▲18.0%" ("" without changes or data, or when
        not live: the state note takes its place)."""
        if not self._live():
            return ""
        return "  ".join(f"{label} {value}" for label, value, _ in self._change_parts())

    def set_up_is_good(self, up_is_good: bool | None) -> None:
        """Whether a rise is good (True), bad (False) or neither (None): colours ▲/▼."""
        if up_is_good != self._up_is_good:
            self._up_is_good = up_is_good
            self._changed()

    def set_captions(self, done: str, target: str) -> None:
        """The words in the UI's language: over the percentage ("完成率", "Done") and a
        target's name when it has none of its own ("目标", "Target")."""
        if (done, target) != (self._done_caption, self._target_caption):
            self._done_caption, self._target_caption = str(done), str(target)
            self._changed()

    def set_path(self, path: Iterable[tuple[str, float | None]]) -> None:
        """Earlier values as (label, value), oldest first (e.g. [("2021", 400), ...]); None = unknown."""
        clean = []
        for i, item in enumerate(path):
            try:
                label, v = item
            except (TypeError, ValueError):
                raise ValueError(f"path step {i}: expected (label, value), got {item!r}") from None
            clean.append((str(label), _clean(v, f"path step {i} ({label})")))
        if clean != self._path:
            self._path = clean
            self._changed()

    # ---- what is drawn (read-only, for tests and tools) -------------------------------

    def value_text(self) -> str:
        """The big number as drawn, or a dash."""
        if self._value is None or self._state == DataState.NO_DATA:
            return DASH
        return format_number(self._value, self._precision)

    def ratio(self) -> float | None:
        """value / target, or None when either is unknown (or there is no data)."""
        if self._value is None or self._target is None or self._state == DataState.NO_DATA:
            return None
        return self._value / self._target

    def percent_text(self) -> str:
        """The percentage of the target as drawn ("" without a target or a value)."""
        r = self.ratio()
        return "" if r is None else format_number(100 * r, 1) + "%"

    def target_text(self) -> str:
        """The target's label at the bar's end ("" without a target)."""
        if self._target is None:
            return ""
        name = self._target_label or self._target_caption
        unit = f" {self._unit}" if self._unit else ""
        return f"{name} {format_number(self._target, self._precision)}{unit}"

    def value_rect(self) -> QRectF:
        """The row of the big value (left) and the percentage (right)."""
        return QRectF(self._value_rect)

    def bar_rect(self) -> QRectF:
        """The bar's track (its right end is the target)."""
        return QRectF(self._bar)

    def fill_rect(self) -> QRectF:
        """The filled part of the bar (empty without a ratio)."""
        r = self.ratio()
        if r is None or self._bar.isEmpty():
            return QRectF()
        f = min(1.0, max(0.0, r))
        return QRectF(self._bar.left(), self._bar.top(), self._bar.width() * f, self._bar.height())

    def over_target(self) -> bool:
        """Whether the value is over the target (the overflow mark is drawn)."""
        r = self.ratio()
        return r is not None and r > 1.0

    def path_bars(self) -> list[tuple[str, QRectF | None]]:
        """The path's bars as drawn: (label, rect), rect None where the value is unknown."""
        return [(lab, QRectF(r) if r is not None else None) for lab, r, _ in self._bars]

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(700, 450)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(220, 120)

    # ---- layout ---------------------------------------------------------------------

    def _changed(self) -> None:
        self._relayout()
        self.invalidate()

    def _state_changed(self) -> None:
        self._relayout()

    def _relayout(self) -> None:
        w, h = max(1, self.width()), max(1, self.height())
        want_path = bool(self._path) and self._state != DataState.NO_DATA
        # the text scales with the panel: with a path the value and bar take about half the
        # height, without one the value and bar fill it (a wide short panel gets big text)
        for with_path in (True, False) if want_path else (False,):
            s = max(60.0, min(w / 1.6, h / (0.95 if with_path else 0.55)))
            pad = max(4.0, 0.035 * s)
            small_font = theme.pixel_font(max(8, round(0.034 * s)))
            sfm = QFontMetrics(small_font)
            value_h = 0.2 * s
            bar_h = max(6.0, 0.055 * s)
            label_h = sfm.height() * 1.3
            top = pad * 0.8 + 0.095 * s
            avail = h - pad - top
            block = value_h + 0.04 * s + bar_h + label_h
            path_h = avail - block - 0.05 * s
            show_path = with_path and path_h >= max(40.0, sfm.height() * 4)
            if show_path or not with_path:
                break
        self._scale = s
        self._pad = pad
        self._small_font = small_font
        self._title_font = theme.pixel_font(max(9, round(0.05 * s)))
        self._note_font = theme.pixel_font(max(8, round(0.036 * s)))
        self._header = QRectF(pad, pad * 0.8, max(0.0, w - 2 * pad), 0.075 * s)
        cw = max(0.0, w - 2 * pad)
        if not show_path:  # value and bar centred in the space left
            top += max(0.0, (avail - block) / 2)
        self._value_rect = QRectF(pad, top, cw, value_h)
        self._over_w = 0.07 * s  # room right of the bar for the overflow mark
        y = top + value_h + 0.04 * s
        self._bar = QRectF(pad, y, max(0.0, cw - self._over_w), bar_h)
        self._label_rect = QRectF(pad, y + bar_h, max(0.0, cw - self._over_w), label_h)
        self._path_rect = (
            QRectF(pad, y + bar_h + label_h + 0.05 * s, cw, max(0.0, path_h)) if show_path else QRectF()
        )
        # big number and unit: fitted together into the left ~62 % of the row
        num_px = max(12, round(0.16 * s))
        unit_px = max(8, round(0.055 * s))
        text = self.value_text()
        pct = self.percent_text()
        self._pct_font = theme.pixel_font(max(10, round(0.085 * s)), True)
        pct_w = QFontMetrics(self._pct_font).horizontalAdvance(pct) + pad if pct else 0.0
        room = cw - pct_w
        unit = self._unit if text != DASH else ""
        while True:
            nf, uf = theme.figure_font(num_px, True), theme.pixel_font(unit_px)
            need = QFontMetrics(nf).horizontalAdvance(text)
            if unit:
                need += QFontMetrics(uf).horizontalAdvance(" " + unit)
            if need <= room or num_px <= 10:
                break
            num_px = max(10, int(num_px * 0.92))
            unit_px = max(8, int(unit_px * 0.92))
        self._num_font, self._unit_font = nf, uf
        self._layout_path(sfm)

    def _path_scale(self) -> float:
        vals = [v for _, v in self._path if v is not None]
        vals += [x for x in (self._target, self._value) if x is not None]
        return max([v for v in vals if v > 0], default=1.0)

    def _layout_path(self, fm: QFontMetrics) -> None:
        self._bars: list[tuple[str, QRectF | None, str]] = []  # label, bar, value text
        self._path_labels: list[tuple[str, QRectF]] = []
        self._path_values: list[tuple[str, QRectF]] = []
        pr = self._path_rect
        n = len(self._path)
        if pr.isEmpty() or n == 0:
            return
        lh = fm.height()
        chart = QRectF(pr.left(), pr.top() + lh * 1.1, pr.width(), pr.height() - lh * 2.3)
        self._chart = chart
        slot = chart.width() / n
        bw = min(slot * 0.55, self._scale * 0.09)
        vmax = self._path_scale()
        value_texts = [DASH if v is None else format_number(v, self._precision) for _, v in self._path]
        show_values = max(fm.horizontalAdvance(t) for t in value_texts) <= slot * 0.95
        label_w = max(fm.horizontalAdvance(lab) for lab, _ in self._path) + fm.horizontalAdvance("0")
        every = max(1, math.ceil(label_w / max(slot, 1e-6)))
        for i, ((label, v), vt) in enumerate(zip(self._path, value_texts, strict=True)):
            cx = chart.left() + slot * (i + 0.5)
            bar: QRectF | None = None
            if v is not None:
                bh = chart.height() * max(0.0, v) / vmax
                bar = QRectF(cx - bw / 2, chart.bottom() - bh, bw, bh)
            self._bars.append((label, bar, vt))
            top = bar.top() if bar is not None else chart.bottom()
            if show_values or v is None:
                tw = fm.horizontalAdvance(vt)
                self._path_values.append((vt, QRectF(cx - tw / 2, top - lh * 1.05, tw, lh)))
            if (n - 1 - i) % every == 0:  # the latest always labelled, then every k-th back
                tw = fm.horizontalAdvance(label)
                # centred under its bar, kept inside the chart (the newest label is often the longest)
                x = min(max(cx - tw / 2, pr.left()), pr.right() - tw)
                self._path_labels.append((label, QRectF(x, chart.bottom() + lh * 0.15, tw, lh)))

    # ---- colours --------------------------------------------------------------------

    def _c(self, color: str | QColor) -> QColor:
        """A data colour in the current state."""
        if self._state == DataState.STALE:
            return theme.blend(color, theme.PANEL, 0.45)
        if self._state == DataState.OFFLINE:
            c = theme.qcolor(color)
            g = round(0.3 * c.red() + 0.59 * c.green() + 0.11 * c.blue())
            return theme.blend(QColor(g, g, g), theme.PANEL, 0.4)
        return theme.qcolor(color)

    def _text_color(self) -> QColor:
        if self._state == DataState.STALE:
            return theme.blend(theme.TEXT, theme.PANEL, 0.45)
        if self._state == DataState.OFFLINE:
            return QColor(theme.OFFLINE_VALUE)
        return QColor(theme.TEXT)

    # ---- painting -------------------------------------------------------------------

    def _paint_static(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._paint_header(p)
        self._paint_value(p)
        self._paint_bar(p)
        self._paint_path(p)

    def _change_parts(self) -> list[tuple[str, str, int]]:
        if self._value is None or self._state == DataState.NO_DATA:
            return []
        return change_parts(self._changes, 1)  # in percent, as the big number's change line

    def _paint_header(self, p: QPainter) -> None:
        r = QRectF(self._header)
        parts = self._change_parts()
        if parts and self._live():  # the 同比 at the right (a state note takes that place when not live)
            fm = QFontMetrics(self._title_font)
            parts, used = fitting_parts(parts, fm, r.width() * 0.5)
            paint_changes(p, r, parts, self._title_font, self._state, self._up_is_good, Qt.AlignmentFlag.AlignRight)
            r.setWidth(max(0.0, r.width() - used - self._pad))
        self._paint_title_row(p, r, self._title, self._title_font, self._note_font, self._pad)

    def _paint_value(self, p: QPainter) -> None:
        r = self._value_rect
        text = self.value_text()
        fm = QFontMetrics(self._num_font)
        base = r.top() + (r.height() + fm.ascent() - fm.descent()) / 2
        p.setFont(self._num_font)
        if text == DASH:
            p.setPen(QColor(theme.TEXT_DIM))
            p.drawText(QPointF(r.left(), base), DASH)
        else:
            p.setPen(self._text_color())
            p.drawText(QPointF(r.left(), base), text)
            if self._unit:
                p.setFont(self._unit_font)
                p.setPen(QColor(theme.TEXT_DIM))
                ufm = QFontMetrics(self._unit_font)
                p.drawText(
                    QPointF(r.left() + fm.horizontalAdvance(text) + ufm.horizontalAdvance(" "), base),
                    self._unit,
                )
        pct = self.percent_text()
        if pct:
            ratio = self.ratio() or 0.0
            p.setFont(self._pct_font)
            p.setPen(self._c(theme.OK) if ratio >= 1.0 else self._text_color())
            pfm = QFontMetrics(self._pct_font)
            p.drawText(QPointF(r.right() - pfm.horizontalAdvance(pct), base), pct)
            cap = self._done_caption
            p.setFont(self._small_font)
            p.setPen(QColor(theme.TEXT_DIM))
            sfm = QFontMetrics(self._small_font)
            p.drawText(
                QPointF(r.right() - sfm.horizontalAdvance(cap), base - pfm.ascent() - sfm.descent() - 2), cap
            )

    def _paint_bar(self, p: QPainter) -> None:
        bar = self._bar
        if bar.width() < 2:
            return
        radius = bar.height() / 2
        if self._target is None:  # no target: no scale to fill against
            p.setPen(QPen(QColor(theme.NO_DATA_EDGE), max(1.0, self._scale / 350), Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(bar, radius, radius)
            return
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(theme.EDGE))
        p.drawRoundedRect(bar, radius, radius)
        fill = self.fill_rect()
        ratio = self.ratio()
        color = self._c(theme.OK if ratio is not None and ratio >= 1.0 else theme.ACCENT)
        if fill.width() > 0:
            p.setBrush(color)
            p.drawRoundedRect(fill, min(radius, fill.width() / 2), radius)
        p.setBrush(Qt.BrushStyle.NoBrush)
        # the target at the bar's end
        tick = QColor(theme.NEUTRAL if self._live() else theme.TEXT_DIM)
        ext = bar.height() * 0.35
        p.setPen(QPen(tick, max(2.0, self._scale / 200)))
        p.drawLine(QPointF(bar.right(), bar.top() - ext), QPointF(bar.right(), bar.bottom() + ext))
        if self.over_target():  # a chevron beyond the end: over the target
            h2 = bar.height() * 0.7
            x = bar.right() + self._over_w * 0.2
            step = self._over_w * 0.32
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(color)
            cy = bar.center().y()
            for k in range(2):
                x0 = x + k * step
                p.drawPolygon(
                    QPolygonF(
                        [
                            QPointF(x0, cy - h2),
                            QPointF(x0 + step * 0.55, cy - h2),
                            QPointF(x0 + step * 1.15, cy),
                            QPointF(x0 + step * 0.55, cy + h2),
                            QPointF(x0, cy + h2),
                            QPointF(x0 + step * 0.6, cy),
                        ]
                    )
                )
            p.setBrush(Qt.BrushStyle.NoBrush)
        lr = self._label_rect
        p.setFont(self._small_font)
        p.setPen(QColor(theme.TEXT_DIM))
        fm = QFontMetrics(self._small_font)
        p.drawText(lr, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "0")
        p.drawText(
            lr,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            elide(fm, self.target_text(), lr.width() - fm.horizontalAdvance("00")),
        )

    def _paint_path(self, p: QPainter) -> None:
        if not self._bars:
            return
        chart = self._chart
        p.setFont(self._small_font)
        p.setPen(QPen(QColor(theme.EDGE), max(1.0, self._scale / 400)))
        p.drawLine(QPointF(chart.left(), chart.bottom()), QPointF(chart.right(), chart.bottom()))
        target = self._target
        if target is not None:
            y = chart.bottom() - chart.height() * target / self._path_scale()
            pen = QPen(QColor(theme.TEXT_DIM), max(1.0, self._scale / 350), Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(chart.left(), y), QPointF(chart.right(), y))
            fm = QFontMetrics(self._small_font)
            # named at the left end, above the oldest (smallest) bars
            p.drawText(QPointF(chart.left(), y - fm.descent() - 2), self._target_label or self._target_caption)
        p.setPen(Qt.PenStyle.NoPen)
        for (_, bar, _), (_, v) in zip(self._bars, self._path, strict=True):
            if bar is None or v is None:
                continue
            reached = target is not None and v >= target
            p.setBrush(self._c(theme.OK) if reached else self._c(theme.blend(theme.ACCENT, theme.PANEL, 0.3)))
            p.drawRect(bar)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QColor(theme.TEXT_DIM))
        for text, r in self._path_labels:
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, text)
        value_color = theme.blend(self._text_color(), theme.PANEL, 0.2)
        for text, r in self._path_values:
            p.setPen(QColor(theme.TEXT_DIM) if text == DASH else value_color)
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, text)


def _preview() -> None:
    from widgets._preview import run_preview

    def make(state: DataState, note: str) -> ProgressToTarget:
        w = ProgressToTarget()
        w.set_title("集成电路产业集群规模 · 冲刺千亿")
        w.set_unit("亿元")
        w.set_precision(1)
        w.set_target(1000, "千亿目标")
        w.set_path([("2020", 312.6), ("2021", 402.4), ("2022", 561.8), ("2023", 708.9), ("2024", 865.2)])
        w.set_value(1003.3)
        w.set_state(state, note)
        return w

    n = [0]

    def tick(ws: list) -> None:
        n[0] += 1
        ws[0].set_value(900 + 20 * (n[0] % 8))

    run_preview("ProgressToTarget preview", make, tick, columns=2, size=(1400, 900))


if __name__ == "__main__":
    _preview()
