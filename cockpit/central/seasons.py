"""The winter brewing season of Shaoxing rice wine: 立冬开酿，立春榨酒 (figures §5).

Dates of the two solar terms by the standard "寿星" formula: day = ⌊Y·D + C⌋ − L with
D = 0.2422, Y the year's last two digits (Y = year − 1900 in the 20th century) and L the
leap years before it (for 立春, a January/February term, counted up to the year before).
C is 3.87 (立春) and 7.438 (立冬) in the 21st century, 4.6295 and 8.218 in the 20th.
Right to the day for 1990–2099 (立冬 falls on Nov 7 or 8, 立春 on Feb 3, 4 or 5).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

TZ = dt.timezone(dt.timedelta(hours=8))
_D = 0.2422


def _term(year: int, c20: float, c21: float, jan_feb: bool) -> int:
    if not 1901 <= year <= 2099:
        raise ValueError(f"solar terms are computed for 1901–2099, not {year}")
    y = year - 1900 if year <= 2000 else year - 2000
    c = c20 if year <= 2000 else c21
    leap = (y - 1) // 4 if jan_feb else y // 4
    return int(y * _D + c) - leap


def lichun(year: int) -> dt.date:
    """立春 (Start of Spring) of ``year``: Feb 3–5."""
    return dt.date(year, 2, _term(year, 4.6295, 3.87, True))


def lidong(year: int) -> dt.date:
    """立冬 (Start of Winter) of ``year``: Nov 7–8."""
    return dt.date(year, 11, _term(year, 8.218, 7.438, False))


@dataclass(frozen=True)
class Season:
    """A winter brewing season: 立冬 of ``year`` to 立春 of ``year + 1``."""

    year: int
    start: dt.date
    end: dt.date

    @property
    def length_days(self) -> int:
        return (self.end - self.start).days

    def day(self, d: dt.date) -> int | None:
        """1 on 立冬 … ``length_days`` on the eve of 立春; None outside the season."""
        if self.start <= d < self.end:
            return (d - self.start).days + 1
        return None

    @property
    def label_zh(self) -> str:
        return (f"{self.year}–{(self.year + 1) % 100:02d} 冬酿季（立冬 {self.start:%m-%d} → 立春 {self.end:%m-%d}）")

    @property
    def label_en(self) -> str:
        return (f"Winter brewing {self.year}–{(self.year + 1) % 100:02d} "
                f"(Start of Winter {self.start:%m-%d} → Start of Spring {self.end:%m-%d})")


def season(year: int) -> Season:
    return Season(year, lidong(year), lichun(year + 1))


def season_of(d: dt.date) -> Season:
    """The season ``d`` falls in, or the next one when ``d`` is between 立春 and 立冬."""
    if d >= lidong(d.year):
        return season(d.year)
    if d < lichun(d.year):
        return season(d.year - 1)
    return season(d.year)


def local_date(t_ms: int) -> dt.date:
    return dt.datetime.fromtimestamp(t_ms / 1000, TZ).date()


def local_ms(d: dt.date) -> int:
    """Local midnight (Asia/Shanghai) of ``d`` in epoch ms."""
    return int(dt.datetime(d.year, d.month, d.day, tzinfo=TZ).timestamp() * 1000)


def latest_vintage(d: dt.date) -> int:
    """The brew year of the newest base wine in store on ``d`` (pressed at 立春)."""
    return d.year - 1 if d >= lichun(d.year) else d.year - 2
