"""Aged rice-wine batches: provenance, monthly storage records and the vintage verdict.

A batch number is ``HJ<producer>-<brew year>-<serial>``, e.g. ``HJ007-2012-015``: the
producer's number among the wine brain's enterprises (001…100), the year the wine was
brewed (the winter season starting at 立冬 of that year) and a serial. Each producer
brewed a few to a few dozen batches a year from its founding (not before 2000: the
contract's timestamps start then) to 2020;
other numbers are unknown (404). A text that is not a batch number of the contract at all
(``BATCH_PATTERN``: 4–32 capitals, digits or dashes) is malformed (400).

Everything about a batch is a pure function of the seed and its number: the label's age,
the dates, the storage records. The verdict is then *computed from the records*:

* ``unverifiable`` — a run of 6 or more months without a storage record; no recorded age;
* ``inconsistent`` — the recorded age (stored_since → bottled_on) is less than the label
  says, or the wine spent 3 or more months in a row outside 5–20 °C (figures §5);
* ``consistent`` — otherwise.

The labelled ages and how often each verdict occurs are simulator parameters (no
published rule was found, figures §10: GB/T 13662-2018's wording was not read).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from dataclasses import dataclass
from typing import Literal

from cockpit.api.schema import BATCH_PATTERN, Batch, EnterpriseSummary, Names, StoragePoint
from cockpit.central.enterprises import Enterprise, Registry
from cockpit.central.places import BY_ID as DISTRICTS
from cockpit.central.seasons import lichun, lidong, local_ms

__all__ = ["BATCH_FORMAT", "BatchBook", "MalformedBatch", "parse"]

BATCH_FORMAT = re.compile(r"^HJ(\d{3})-(\d{4})-(\d{3})$")
_CONTRACT = re.compile(BATCH_PATTERN)
FIRST_BREW_YEAR = 2000  # the contract's timestamps start in 2000
LAST_BREW_YEAR = 2020
#: labelled ages on the market (年陈), parameters
LABEL_AGES = (3, 5, 6, 8, 10, 12, 15, 20, 30)
#: the newest label year: a batch labelled L years brewed in Y was bottled by about Y + L + 2
LABEL_HORIZON = 2023
STORE_LO, STORE_HI = 5.0, 20.0  # °C (figures §5)
OUT_OF_RANGE_MONTHS = 3  # this many months in a row outside 5–20 °C: not counted as ageing
GAP_MONTHS = 6  # this many months in a row without a record: unverifiable
_CN_NUM = {3: "三", 5: "五", 6: "六", 8: "八", 10: "十", 12: "十二", 15: "十五", 20: "二十", 30: "三十"}
_STYLES = (("花雕", "Huadiao"), ("加饭", "Jiafan"), ("善酿", "Shanniang"), ("元红", "Yuanhong"))
_M64 = (1 << 64) - 1


class MalformedBatch(ValueError):
    """Not a batch number of the contract; the message says what one looks like."""


def normalise(text: str) -> str:
    return text.strip().upper()


def parse(text: str) -> tuple[int, int, int] | None:
    """``HJ007-2012-015`` → (7, 2012, 15) (case and surrounding spaces forgiven); None for a batch
    number of another scheme; MalformedBatch for a text that is no batch number at all."""
    raw = normalise(text)
    if not _CONTRACT.match(raw):
        raise MalformedBatch(
            f"批次号应为4–32位大写字母、数字或短横线（本平台如HJ007-2012-015）；输入为{text[:40]!r}"
            f" / a batch number has 4–32 capitals, digits or dashes (here like HJ007-2012-015), got {text[:40]!r}"
        )
    m = BATCH_FORMAT.match(raw)
    if m is None:
        return None
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def number(producer_no: int, year: int, serial: int) -> str:
    return f"HJ{producer_no:03d}-{year}-{serial:03d}"


def _u(key: int, i: int) -> float:
    x = (key ^ ((i + 1) * 0x9E3779B97F4A7C15)) & _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return ((x ^ (x >> 31)) >> 11) * 2.0**-53


def _key(seed: int, *parts: object) -> int:
    text = "|".join([str(seed), *map(str, parts)]).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "little")


def _add_days(d: dt.date, n: float) -> dt.date:
    return d + dt.timedelta(days=int(n))


def _month_start(d: dt.date) -> dt.date:
    return dt.date(d.year, d.month, 1)


def _next_month(d: dt.date) -> dt.date:
    return dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)


@dataclass(frozen=True)
class _Plan:
    producer: Enterprise
    year: int
    serial: int
    label: int
    style: tuple[str, str]
    brewed: dt.date
    stored: dt.date
    bottled: dt.date
    cellar: int
    months: tuple[tuple[dt.date, float | None, float | None], ...]


class BatchBook:
    """The batches of one seed's wine producers."""

    def __init__(self, seed: int, registry: Registry) -> None:
        self.seed = seed
        self.producers = registry.of("wine")

    def serials(self, e: Enterprise, year: int) -> int:
        """How many batches producer ``e`` brewed in ``year`` (0 outside its years)."""
        if not max(FIRST_BREW_YEAR, e.founded) <= year <= LAST_BREW_YEAR:
            return 0
        return 4 + int(e.weight * 800 * (0.6 + 0.8 * _u(_key(self.seed, "serials", e.code, year), 0)))

    def exists(self, batch_no: str) -> bool:
        try:
            return self._plan(batch_no) is not None
        except MalformedBatch:
            return False

    def _plan(self, batch_no: str) -> _Plan | None:
        parsed = parse(batch_no)
        if parsed is None:
            return None
        no, year, serial = parsed
        if not 1 <= no <= len(self.producers):
            return None
        e = self.producers[no - 1]
        if not 1 <= serial <= self.serials(e, year):
            return None
        k = _key(self.seed, "batch", e.code, year, serial)
        ages = [a for a in LABEL_AGES if a <= LABEL_HORIZON - year]
        label = ages[int(_u(k, 1) * len(ages))]
        brewed = _add_days(lidong(year), _u(k, 2) * 60)
        pressed = _add_days(lichun(year + 1), 5 + _u(k, 3) * 20)
        stored = _add_days(pressed, 3 + _u(k, 4) * 10)
        kind = _u(k, 0)
        if kind < 0.70:  # the records support the label
            years = label + 0.15 + 1.2 * _u(k, 5)
        elif kind < 0.84:  # bottled earlier than the label says
            years = label * (0.5 + 0.38 * _u(k, 5))
        else:  # age fine, but the storage records fail
            years = label + 0.2 + 1.0 * _u(k, 5)
        bottled = _add_days(stored, years * 365.25)
        months = []
        m = _month_start(stored)
        while m <= bottled:
            months.append(m)
            m = _next_month(m)
        temps: list[float | None] = []
        rhs: list[float | None] = []
        for i, mo in enumerate(months):
            seasonal = 12.8 + 6.0 * math.sin(2 * math.pi * (mo.month - 4.5) / 12)
            t = min(max(seasonal + 1.2 * (_u(k, 100 + i) - 0.5), STORE_LO + 0.3), STORE_HI - 0.3)
            temps.append(round(t, 1))
            rhs.append(round(78 + 5 * math.sin(2 * math.pi * (mo.month - 5) / 12) + 4 * (_u(k, 2000 + i) - 0.5), 0))
        n = len(months)
        if 0.84 <= kind < 0.91 and n > 12:  # a hot stretch: moved to an uncooled store for a summer
            run = 4 + int(_u(k, 6) * 5)
            summers = [i for i, mo in enumerate(months) if mo.month == 5 and i + run <= n]
            if summers:
                s0 = summers[int(_u(k, 7) * len(summers))]
                for i in range(s0, s0 + run):
                    temps[i] = round(22.5 + 5.0 * _u(k, 3000 + i), 1)
        elif kind >= 0.91 and n > 12:  # months of records lost
            run = GAP_MONTHS + 1 + int(_u(k, 6) * 24)
            run = min(run, n - 2)
            s0 = 1 + int(_u(k, 7) * max(1, n - run - 1))
            for i in range(s0, s0 + run):
                temps[i] = rhs[i] = None
        return _Plan(e, year, serial, label, _STYLES[int(_u(k, 8) * len(_STYLES))], brewed, stored, bottled,
                     1 + int(_u(k, 9) * 18), tuple(zip(months, temps, rhs, strict=True)))

    def batch(self, batch_no: str, now_ms: int, producer: EnterpriseSummary) -> Batch | None:
        """The batch (None when unknown; MalformedBatch when not a batch number)."""
        p = self._plan(batch_no)
        if p is None:
            return None
        verdict, recorded, reasons = _verdict(p)
        e = p.producer
        d = DISTRICTS[e.district]
        style_zh, style_en = p.style
        return Batch(
            batch_no=number(e.no, p.year, p.serial),
            ts=now_ms,
            product=Names(zh=f"绍兴{style_zh}酒（{_CN_NUM[p.label]}年陈）",
                          en=f"Shaoxing {style_en} wine, aged {p.label} years"),
            producer=producer,
            labelled_age_years=p.label,
            brewed_on=local_ms(p.brewed),
            stored_since=local_ms(p.stored),
            bottled_on=local_ms(p.bottled),
            location=Names(zh=f"{e.trade_zh}第{p.cellar}号酒库（{d.zh}）",
                           en=f"{e.trade_en} cellar no. {p.cellar}, {d.en}"),
            recorded_age_years=recorded,
            storage=[StoragePoint(ts=local_ms(mo), temp_c=t, rh=rh) for mo, t, rh in p.months],
            verdict=verdict,
            reasons=reasons,
        )

    def verdict(self, batch_no: str) -> str | None:
        p = self._plan(batch_no)
        return None if p is None else _verdict(p)[0]

    def samples(self) -> list[str]:
        """Recently checked batches: a fixed, seeded sample with every verdict (5 consistent,
        4 inconsistent — at least one each for the age and for storage —, 3 unverifiable)."""
        want = {"consistent": 5, "inconsistent": 4, "unverifiable": 3}
        got: dict[str, list[str]] = {k: [] for k in want}
        storage_reason = age_reason = False
        k = _key(self.seed, "samples")
        for i in range(20_000):
            e = self.producers[int(_u(k, 3 * i) * len(self.producers))]
            lo = max(FIRST_BREW_YEAR, e.founded)
            if lo > LAST_BREW_YEAR:
                continue
            year = lo + int(_u(k, 3 * i + 1) * (LAST_BREW_YEAR - lo + 1))
            n = self.serials(e, year)
            no = number(e.no, year, 1 + int(_u(k, 3 * i + 2) * n))
            p = self._plan(no)
            if p is None or any(no in v for v in got.values()):
                continue
            verdict, recorded, reasons = _verdict(p)
            if len(got[verdict]) >= want[verdict]:
                continue
            if verdict == "inconsistent":
                is_age = recorded is not None and recorded < p.label
                if len(got[verdict]) == want[verdict] - 1 and not (storage_reason if is_age else age_reason):
                    continue  # keep the last place for the kind not yet seen
                storage_reason |= not is_age
                age_reason |= is_age
            got[verdict].append(no)
            if all(len(got[v]) >= want[v] for v in want):
                break
        return got["consistent"] + got["inconsistent"] + got["unverifiable"]


def _ym(d: dt.date) -> str:
    return f"{d.year}-{d.month:02d}"


Verdict = Literal["consistent", "inconsistent", "unverifiable"]


def _verdict(p: _Plan) -> tuple[Verdict, float | None, list[Names]]:
    """(verdict, recorded age in years, reasons) computed from the records alone."""
    months = p.months
    # the longest run of months without a record
    best, run, run_start, gap = 0, 0, 0, (0, 0)
    for i, (_, t, _rh) in enumerate(months):
        if t is None:
            if run == 0:
                run_start = i
            run += 1
            if run > best:
                best, gap = run, (run_start, i)
        else:
            run = 0
    if best >= GAP_MONTHS:
        a, b = months[gap[0]][0], months[gap[1]][0]
        return "unverifiable", None, [Names(
            zh=f"缺少{_ym(a)}至{_ym(b)}共{best}个月的贮存记录，无法核验标注的{p.label}年酒龄",
            en=f"no storage record from {_ym(a)} to {_ym(b)} ({best} months): the labelled {p.label} years "
               "cannot be checked",
        )]
    recorded = round((p.bottled - p.stored).days / 365.25, 1)
    reasons: list[Names] = []
    # the longest run of months outside 5–20 °C
    best, run, gap = 0, 0, (0, 0)
    hottest = 0.0
    for i, (_, t, _rh) in enumerate(months):
        if t is not None and not STORE_LO <= t <= STORE_HI:
            if run == 0:
                run_start = i
            run += 1
            if run > best:
                best, gap = run, (run_start, i)
        else:
            run = 0
    if best >= OUT_OF_RANGE_MONTHS:
        temps = [t for _, t, _ in months[gap[0] : gap[1] + 1] if t is not None]
        hottest = max(temps)
        a, b = months[gap[0]][0], months[gap[1]][0]
        reasons.append(Names(
            zh=f"{_ym(a)}至{_ym(b)}连续{best}个月贮存温度超出5–20°C（最高{hottest:.1f}°C），记录不支持按陈酿计龄",
            en=f"{best} months in a row outside 5–20 °C from {_ym(a)} to {_ym(b)} (up to {hottest:.1f} °C): "
               "the records do not support counting them as ageing",
        ))
    if recorded < p.label:
        reasons.insert(0, Names(zh=f"记录酒龄{recorded:.1f}年，少于标注的{p.label}年",
                                en=f"recorded age {recorded:.1f} years, less than the labelled {p.label}"))
    if reasons:
        return "inconsistent", recorded, reasons
    return "consistent", recorded, [Names(
        zh=f"记录酒龄{recorded:.1f}年，不少于标注的{p.label}年；贮存温度均在5–20°C",
        en=f"recorded age {recorded:.1f} years, not less than the labelled {p.label}; stored at 5–20 °C throughout",
    )]

