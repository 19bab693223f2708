"""The ShareChart's stacked area: shares of 100 % over ordered x labels (see
widgets/share_chart.py)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen, QPolygonF

from widgets import theme
from widgets._panel import DASH, elide
from widgets._share_base import ShareBase, _percent


class AreaLook(ShareBase):
    """The series stacked as shares, the y axis 0–100 %, x labels and the latest shares."""

    def shares(self) -> list[list[float | None]]:
        """The area's shares in % per series and x, as stacked (None where the x is a gap)."""
        n = len(self._x_labels)
        out: list[list[float | None]] = [[None] * n for _ in self._series]
        for j in range(n):
            col = [vals[j] for _, vals in self._series]
            if not col or any(v is None for v in col):
                continue
            known = [v for v in col if v is not None]
            total = sum(known)
            if self._normalise:
                if total <= 0:
                    continue
                for i, v in enumerate(known):
                    out[i][j] = 100.0 * v / total
            else:
                for i, v in enumerate(known):
                    out[i][j] = v
        return out

    def _layout_area(self) -> None:
        c = self._content
        s = self._scale
        fm = QFontMetrics(self._label_font)
        lh = fm.height()
        shares = self.shares()
        # legend row at the top of the content
        legend_h = lh * 1.5 if self._series else 0.0
        self._legend_rect = QRectF(c.left(), c.top(), c.width(), legend_h)
        self._layout_area_legend(shares)
        y_w = fm.horizontalAdvance("100%") + 0.02 * s
        end_w = fm.horizontalAdvance(_percent(100.0, self._precision)) + 0.03 * s if self._series else 0.0
        top = c.top() + legend_h + lh * 0.6
        bottom = c.bottom() - lh * 1.4
        left = c.left() + y_w
        right = c.right() - end_w - fm.horizontalAdvance("0") * 0.5
        self._plot = QRectF(left, top, max(0.0, right - left), max(0.0, bottom - top))
        p = self._plot
        ticks = (0, 25, 50, 75, 100) if p.height() > lh * 5 else (0, 50, 100)
        self._y_ticks = [(f"{t}%", p.bottom() - p.height() * t / 100) for t in ticks]
        self._layout_x_labels(fm)
        # latest shares at the right edge, pushed apart so they never overlap
        self._end_labels = []
        last = self._last_valid(shares)
        if last is None or self._no_data():
            return
        items: list[tuple[float, str, int]] = []
        acc = 0.0
        for i, row in enumerate(shares):
            v = row[last] or 0.0
            items.append((self._y_of(acc + v / 2), _percent(v, self._precision), i))
            acc += v
        items.sort(key=lambda t: t[0])
        ys = [t[0] for t in items]
        half = lh / 2
        lo, hi = p.top() - half * 0.5 + half, p.bottom() + half * 0.5 - half
        for k in range(len(ys)):  # push down from the top, then up from the bottom
            ys[k] = max(ys[k], lo if k == 0 else ys[k - 1] + lh)
        for k in range(len(ys) - 1, -1, -1):
            ys[k] = min(ys[k], hi if k == len(ys) - 1 else ys[k + 1] - lh)
        self._end_labels = [(t, y, i) for y, (_, t, i) in zip(ys, items, strict=True)]

    def _layout_area_legend(self, shares: list[list[float | None]]) -> None:
        lr = self._legend_rect
        if not self._series:
            return
        px = self._label_px
        font = self._label_font
        fm = QFontMetrics(font)
        sw, gap = px * 0.75, px * 0.4
        spacing = px * 1.2
        names = [name for name, _ in self._series]
        need = sum(sw + gap + fm.horizontalAdvance(nm) for nm in names) + spacing * (len(names) - 1)
        if need > lr.width():  # too wide: an equal share of the row for each name
            each = (lr.width() - spacing * (len(names) - 1)) / len(names) - sw - gap
            shown = [elide(fm, nm, each) for nm in names]
        else:
            shown = names
        last = self._last_valid(shares)
        x = lr.left()
        rows = []
        for i, nm in enumerate(shown):
            wdt = sw + gap + fm.horizontalAdvance(nm)
            if last is None or self._no_data():
                pct = DASH
            else:
                pct = _percent(shares[i][last] or 0.0, self._precision)
            rows.append((nm, "", pct, QRectF(x, lr.top(), wdt, lr.height()), i))
            x += wdt + spacing
        self._legend_rows = rows
        self._legend_font = font

    def _layout_x_labels(self, fm: QFontMetrics) -> None:
        labels = self._x_labels
        n = len(labels)
        p = self._plot
        if n == 0:
            return
        label_w = max(fm.horizontalAdvance(t) for t in labels) + fm.horizontalAdvance("0") * 1.2
        lh = fm.height()
        y = p.bottom() + lh * 0.35
        if n == 1:
            idx = [0]
        else:
            step = p.width() / (n - 1)
            k = max(1, math.ceil(label_w / max(step, 1e-6)))
            idx = list(range(0, n, k))
            if idx[-1] != n - 1:  # the latest x is always labelled
                if len(idx) > 1 and (n - 1 - idx[-1]) * step < label_w:
                    idx[-1] = n - 1
                else:
                    idx.append(n - 1)
            if len(idx) > 1 and (idx[-1] - idx[-2]) * step < label_w:
                idx = idx[:-2] + idx[-1:]  # only one label fits: keep the latest
        shown = []
        for i in idx:
            x = self._x_of(i)
            tw = fm.horizontalAdvance(labels[i])
            shown.append((labels[i], QRectF(x - tw / 2, y, tw, lh)))
        self._x_shown = shown

    def _x_of(self, i: int) -> float:
        n = len(self._x_labels)
        p = self._plot
        if n <= 1:
            return p.center().x()
        return p.left() + p.width() * i / (n - 1)

    def _y_of(self, pct: float) -> float:
        p = self._plot
        return p.bottom() - p.height() * min(100.0, max(0.0, pct)) / 100.0

    @staticmethod
    def _last_valid(shares: list[list[float | None]]) -> int | None:
        if not shares:
            return None
        for j in range(len(shares[0]) - 1, -1, -1):
            if shares[0][j] is not None:
                return j
        return None

    def _paint_area(self, p: QPainter) -> None:
        pl = self._plot
        if pl.width() < 2 or pl.height() < 2:
            return
        fm = QFontMetrics(self._label_font)
        p.setFont(self._label_font)
        # grid and y labels
        grid = QPen(QColor(theme.EDGE), max(1.0, self._scale / 450))
        for text, y in self._y_ticks:
            p.setPen(grid)
            p.drawLine(QPointF(pl.left(), y), QPointF(pl.right(), y))
            p.setPen(QColor(theme.TEXT_DIM))
            lw = pl.left() - self._content.left()
            p.drawText(
                QRectF(
                    self._content.left(),
                    y - fm.height() / 2,
                    lw - fm.horizontalAdvance("0") * 0.5,
                    fm.height(),
                ),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        p.setPen(QColor(theme.TEXT_DIM))
        for text, r in self._x_shown:
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, text)
        shares = self.shares()
        if self._no_data() or self._last_valid(shares) is None:
            dash_font = theme.pixel_font(max(10, round(self._scale * 0.12)), True)
            p.setFont(dash_font)
            p.setPen(QColor(theme.TEXT_DIM))
            p.drawText(pl, Qt.AlignmentFlag.AlignCenter, DASH)
            return
        self._paint_bands(p, shares)
        p.setFont(self._label_font)
        x = pl.right() + fm.horizontalAdvance("0") * 0.6
        for text, y, i in self._end_labels:
            p.setPen(self._series_text_color(i))
            p.drawText(
                QRectF(x, y - fm.height() / 2, self._content.right() - x, fm.height()),
                Qt.AlignmentFlag.AlignVCenter,
                text,
            )

    def _paint_bands(self, p: QPainter, shares: list[list[float | None]]) -> None:
        n = len(self._x_labels)
        runs: list[tuple[int, int]] = []
        j = 0
        while j < n:
            if shares[0][j] is None:
                j += 1
                continue
            k = j
            while k + 1 < n and shares[0][k + 1] is not None:
                k += 1
            runs.append((j, k))
            j = k + 1
        pl = self._plot
        single_w = max(2.0, (pl.width() / max(1, n - 1)) * 0.25 if n > 1 else pl.width() * 0.2)
        p.setPen(Qt.PenStyle.NoPen)
        for a, b in runs:
            acc = [0.0] * (b - a + 1)
            for i, row in enumerate(shares):
                color = self._series_color(i)
                lower = list(acc)
                for t in range(a, b + 1):
                    acc[t - a] += row[t] or 0.0
                if a == b:
                    x = self._x_of(a)
                    y0, y1 = self._y_of(lower[0]), self._y_of(acc[0])
                    p.fillRect(QRectF(x - single_w / 2, y1, single_w, y0 - y1), color)
                    continue
                poly = QPolygonF()
                for t in range(a, b + 1):
                    poly.append(QPointF(self._x_of(t), self._y_of(acc[t - a])))
                for t in range(b, a - 1, -1):
                    poly.append(QPointF(self._x_of(t), self._y_of(lower[t - a])))
                p.setBrush(color)
                p.drawPolygon(poly)
        p.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_area_legend(self, p: QPainter) -> None:
        """One row of swatch and name per series (hollow swatches without data)."""
        if not self._legend_rows:
            return
        font = self._legend_font
        p.setFont(font)
        gap = font.pixelSize() * 0.4
        for name, _val, _pct, row, i in self._legend_rows:
            x = self._paint_swatch(p, row, i, self._no_data()) + gap
            p.setPen(QColor(theme.NEUTRAL))
            p.drawText(QRectF(x, row.top(), row.right() - x, row.height()), Qt.AlignmentFlag.AlignVCenter, name)
