"""The ShareChart's donut: parts of a whole at one moment (see widgets/share_chart.py)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen

from widgets import theme
from widgets._panel import DASH, elide, fit_font, format_number
from widgets._share_base import _HOLE, _MORE, ShareBase, _percent, _text_color


class DonutLook(ShareBase):
    """Ring segments, the total in the hole and a legend beside or below the ring."""

    def _donut_rows(self) -> list[tuple[str, str, str]]:
        known = [v for _, v in self._parts if v is not None]
        total = sum(known)
        rows = []
        for name, v in self._parts:
            if self._no_data() or v is None:
                rows.append((name, DASH, DASH))
            else:
                pct = _percent(100.0 * v / total) if total > 0 else DASH
                rows.append((name, format_number(v, self._precision), pct))
        return rows

    def _layout_donut(self) -> None:
        c = self._content
        s = self._scale
        rows = self._donut_rows()
        n = len(rows)
        gap = 0.04 * s
        base_row = self._label_px * 1.7
        wide = c.width() >= c.height() * 1.25
        if n == 0:
            d = max(0.0, min(c.width(), c.height()))
            self._ring = QRectF(c.center().x() - d / 2, c.center().y() - d / 2, d, d)
            return
        if wide:
            d = max(0.0, min(c.height(), c.width() * 0.48))
            self._ring = QRectF(c.left(), c.center().y() - d / 2, d, d)
            lx = self._ring.right() + gap
            self._legend_rect = QRectF(lx, c.top(), max(0.0, c.right() - lx), c.height())
        else:
            legend_h = min(n * base_row, c.height() * 0.45)
            d = max(0.0, min(c.width(), c.height() - legend_h - gap))
            top = c.top() + max(0.0, (c.height() - d - gap - legend_h) / 2)  # ring and legend centred
            self._ring = QRectF(c.center().x() - d / 2, top, d, d)
            ly = self._ring.bottom() + gap
            self._legend_rect = QRectF(c.left(), ly, c.width(), max(0.0, min(legend_h, c.bottom() - ly)))
        self._layout_legend_rows(rows, base_row)

    def _layout_legend_rows(self, rows: list[tuple[str, str, str]], base_row: float) -> None:
        lr = self._legend_rect
        n = len(rows)
        row_h = min(base_row, lr.height() / max(1, n))
        min_row = 8 * 1.35
        shown = n
        if row_h < min_row:  # not all fit even small: as many as fit and a "+N" row
            row_h = min_row
            shown = max(0, int(lr.height() // row_h) - 1)
        px = max(8, min(self._label_px, int(row_h / 1.45)))
        font = theme.pixel_font(px)
        fm = QFontMetrics(font)
        self._legend_font = font
        sw = px * 0.75  # swatch
        gap = px * 0.6
        val_w = max((fm.horizontalAdvance(r[1]) for r in rows[:shown]), default=0)
        pct_w = fm.horizontalAdvance("100.0%")
        name_w = lr.width() - sw - gap * 3 - val_w - pct_w
        if name_w < 3 * px:  # narrow: names need the room more than the raw values
            val_w = 0
            name_w = lr.width() - sw - gap * 2 - pct_w
        name_w = max(0.0, name_w)
        self._legend_cols = (name_w, val_w, pct_w)
        used = (shown + (1 if shown < n else 0)) * row_h
        y = lr.top() + max(0.0, (lr.height() - used) / 2)
        out = []
        for i, (name, val, pct) in enumerate(rows[:shown]):
            out.append(
                (
                    elide(fm, name, name_w),
                    val if val_w else "",
                    pct,
                    QRectF(lr.left(), y, lr.width(), row_h),
                    i,
                )
            )
            y += row_h
        if shown < n:
            out.append((_MORE.format(n=n - shown), "", "", QRectF(lr.left(), y, lr.width(), row_h), -1))
        self._legend_rows = out

    def _center_caption(self) -> str:
        """The word over the total ("合计"; "已知合计" when a part is unknown), or ""."""
        if self._center_label or self._center_text() == DASH:
            return ""
        return self._total_captions[1 if any(v is None for _, v in self._parts) else 0]

    def _center_text(self) -> str:
        if self._center_label:
            return self._center_label
        known = [v for _, v in self._parts if v is not None]
        if self._no_data() or not known:
            return DASH
        return format_number(sum(known), self._precision)

    def _paint_donut(self, p: QPainter) -> None:
        ring = self._ring
        if ring.width() < 4:
            return
        outer = ring.width() / 2
        thick = outer * (1 - _HOLE)
        mid = outer - thick / 2
        cx, cy = ring.center().x(), ring.center().y()
        arc_rect = QRectF(cx - mid, cy - mid, 2 * mid, 2 * mid)
        track = QPen(QColor(theme.EDGE), thick, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)
        known = [(i, v) for i, (_, v) in enumerate(self._parts) if v is not None and v > 0]
        total = sum(v for _, v in known)
        if self._no_data() or total <= 0:
            p.setPen(track)
            p.drawArc(arc_rect, 0, 360 * 16)
        else:
            start = 90.0
            bounds = []
            for i, v in known:
                sweep = 360.0 * v / total
                p.setPen(QPen(self._series_color(i), thick, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
                p.drawArc(arc_rect, round(start * 16), -round(sweep * 16))
                bounds.append(start)
                start -= sweep
            if len(known) > 1:  # thin panel-coloured gaps between segments
                p.setPen(QPen(QColor(theme.PANEL), max(1.0, outer * 0.02)))
                r0, r1 = outer * _HOLE - 1, outer + 1
                for a in bounds:
                    ca, sa = math.cos(math.radians(a)), -math.sin(math.radians(a))
                    p.drawLine(QPointF(cx + r0 * ca, cy + r0 * sa), QPointF(cx + r1 * ca, cy + r1 * sa))
        # the hole: total (or the chosen label) with caption and unit
        inner = outer * _HOLE
        box_w = inner * 1.5
        text = self._center_text()
        num_h = inner * 0.5
        small_px = max(8, round(inner * 0.2))
        small = theme.pixel_font(min(small_px, self._label_px + 2))
        sfm = QFontMetrics(small)
        caption = self._center_caption()
        num_font = fit_font(max(9, round(inner * 0.46)), text, box_w, bold=True)
        p.setFont(num_font)
        p.setPen(QColor(theme.TEXT_DIM) if text == DASH else _text_color(self._state))
        p.drawText(QRectF(cx - box_w / 2, cy - num_h / 2, box_w, num_h), Qt.AlignmentFlag.AlignCenter, text)
        p.setFont(small)
        p.setPen(QColor(theme.TEXT_DIM))
        if caption:
            p.drawText(
                QRectF(cx - box_w / 2, cy - num_h / 2 - sfm.height(), box_w, sfm.height()),
                Qt.AlignmentFlag.AlignCenter,
                elide(sfm, caption, box_w),
            )
        if self._unit and text != DASH and not self._center_label:
            p.drawText(
                QRectF(cx - box_w / 2, cy + num_h / 2, box_w, sfm.height()),
                Qt.AlignmentFlag.AlignCenter,
                elide(sfm, self._unit, box_w),
            )

    def _paint_donut_legend(self, p: QPainter) -> None:
        """Rows of swatch, name, value and percentage ("+N" when not all fit)."""
        if not self._legend_rows:
            return
        font = self._legend_font
        p.setFont(font)
        gap = font.pixelSize() * 0.6
        name_w, val_w, pct_w = self._legend_cols
        value_color = _text_color(self._state)
        for name, val, pct, row, i in self._legend_rows:
            if i < 0:  # "+N"
                p.setPen(QColor(theme.TEXT_DIM))
                p.drawText(row, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
                continue
            unknown = self._parts[i][1] is None or self._no_data()
            x = self._paint_swatch(p, row, i, unknown) + gap
            p.setPen(QColor(theme.TEXT_DIM) if unknown else QColor(theme.NEUTRAL))
            p.drawText(QRectF(x, row.top(), name_w, row.height()), Qt.AlignmentFlag.AlignVCenter, name)
            right = row.right()
            pr = QRectF(right - pct_w, row.top(), pct_w, row.height())
            p.setPen(QColor(theme.TEXT_DIM) if pct == DASH else self._series_text_color(i))
            p.drawText(pr, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, pct)
            if val_w:
                vr = QRectF(pr.left() - gap - val_w, row.top(), val_w, row.height())
                p.setPen(QColor(theme.TEXT_DIM) if val == DASH else value_color)
                p.drawText(vr, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, val)
