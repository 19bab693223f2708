"""Aged rice-wine batches: provenance, monthly storage records and the vintage verdict.

A batch number is ``HJ<producer>-<brew year>-<serial>``, e.g. ``HJ007-2012-015``: the
producer's number among the wine brain's enterprises (001…100), the year the wine was
brewed (the winter season starting at 立冬 of that year) and a serial. Each producer
brewed a few to a few dozen batches a year from its founding (not before 2000: the
contract's timestamps start then) to 2020;
other numbers are unknown (404). A text that is not a batch number of the contract at all
(``BATCH_PATTERN``: 4–32 capitals, digits or dashes) is malformed (400).

Everything about a batch is a pure function of the seed and its number: the label's age,
the blend, the dates, the storage records and the producer's books of the vintage. The
verdict is then *computed from the records* that decide a wine's age — not from the cellar
temperature (traditional jar cellars are not air-conditioned; heat does not make wine
younger), which is shown as evidence only:

1. **brewing record** — the batch's main base wine (原酒) was brewed in the winter season
   of the batch's year and is on the producer's brewing book (volume in kL);
2. **continuous storage record** — monthly records from storage to bottling; a run of 6 or
   more months without one makes the batch ``unverifiable``;
3. **blending (勾调)** — the volume-weighted mean age of the base wines in the blend must be
   at least the labelled age (the weighted-average practice; GB/T 13662-2018 defines 原酒,
   勾调 and 标注酒龄, and dropped 2008's "≥50 % of the base wine of the labelled age" — its
   exact 2018 wording was not read, figures §10);
4. **mass balance** (一个数据可见分晓) — the vintage's brewed volume, less storage loss
   (0.5–1.0 % a year, figures §5), must cover what the producer has drawn from it for wine
   sold under aged labels plus what it still holds; more sold than the vintage allows is
   ``inconsistent``.

A failed check 3 or 4 makes the batch ``inconsistent``; a missing record ``unverifiable``;
otherwise ``consistent``. Batch sizes, labelled ages and how often each case occurs are
simulator parameters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from dataclasses import dataclass
from typing import Literal

from cockpit.api.schema import (
    BATCH_PATTERN,
    Batch,
    BatchCheckItem,
    BlendPart,
    EnterpriseSummary,
    Names,
    StoragePoint,
)
from cockpit.central import figures as F
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
STORE_LO, STORE_HI = F.STORE_LO_C, F.STORE_HI_C  # °C (figures §5): consumer guidance, shown, not a test
GAP_MONTHS = 6  # this many months in a row without a record: unverifiable
#: kL of base wine per brewing batch: 古越's ~20,000 t a year by hand (§5) over its ~200 batches
BATCH_KL = F.par("WINE_BATCH_KL", 100.0, "kL of base wine per brewing batch; not published, sized on 古越's "
                 "~20,000 t/yr over its simulated ~200 batches (§5)")
LOSS_PER_YEAR = F.JAR_LOSS_PCT / 100.0  # storage loss in jars, figures §5
STANDARD_ZH = "GB/T 13662-2018《黄酒》（2019-04-01实施）定义原酒、勾调与标注酒龄；条文原文未核读，本平台按勾调原酒体积加权平均酒龄计；2008版“标注酒龄的基酒不低于50%”要求已删除（二手资料）"
STANDARD_EN = ("GB/T 13662-2018 (in force 2019-04-01) defines base wine, blending and labelled age; its exact wording "
               "was not read: the volume-weighted mean age of the blend is used; 2008's '≥50 % base wine of the "
               "labelled age' was dropped (secondary source)")
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


Scenario = Literal["ok", "young_blend", "oversold", "warm", "gap"]


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
    scenario: Scenario
    blend: tuple[tuple[int, float], ...]  # (vintage, share 0..1), main vintage first
    brewed_kl: float  # the producer's brewing book for the main vintage
    drawn_kl: float  # drawn from it for wine sold under aged labels (sales records × recipes)
    stock_kl: float  # still in its jars


def _pressed(vintage: int) -> dt.date:
    return lichun(vintage + 1)


def _age_at(vintage: int, d: dt.date) -> float:
    return (d - _pressed(vintage)).days / 365.25


class BatchBook:
    """The batches of one seed's wine producers."""

    def __init__(self, seed: int, registry: Registry) -> None:
        self.seed = seed
        self.producers = registry.of("wine")

    def serials(self, e: Enterprise, year: int) -> int:
        """How many batches producer ``e`` brewed in ``year`` (0 outside its years)."""
        if not max(FIRST_BREW_YEAR, e.founded) <= year <= LAST_BREW_YEAR:
            return 0
        base = 20 if e.kind in ("leader", "above") else 2  # a 规上 producer brews far more
        return base + int(e.weight * 400 * (0.6 + 0.8 * _u(_key(self.seed, "serials", e.code, year), 0)))

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
        stored = _add_days(_pressed(year), 5 + _u(k, 3) * 20)
        u0 = _u(k, 34)
        scenario: Scenario = ("ok" if u0 < 0.66 else "young_blend" if u0 < 0.76 else "oversold" if u0 < 0.86
                              else "warm" if u0 < 0.93 else "gap")
        # the blend: the main vintage (the batch's year) and one older base wine, sometimes a younger one
        s_main = 0.55 + 0.3 * _u(k, 10)
        older = year - 1 - int(_u(k, 11) * 3)
        parts: list[tuple[int, float]] = [(year, s_main)]
        younger_share = 0.1 * _u(k, 12) if _u(k, 13) < 0.5 else 0.0
        parts.append((older, 1.0 - s_main - younger_share))
        offset = sum(sh * (year - v) for v, sh in parts)  # weighted age = main age + offset
        if scenario == "young_blend":  # blended too young for the label
            target = label * (0.55 + 0.3 * _u(k, 5))
        else:
            target = label + 0.15 + 1.1 * _u(k, 5)
        if younger_share:
            younger = year + 1
            main_age = (target - offset + younger_share) / 1.0
            if main_age - 1 < 0.8:
                younger_share = 0.0
                parts[1] = (older, 1.0 - s_main)
            else:
                parts.append((younger, younger_share))
        offset = sum(sh * (year - v) for v, sh in parts)
        main_age = max(target - offset, 0.6)
        bottled = _add_days(_pressed(year), main_age * 365.25)
        bottled = max(bottled, _add_days(stored, 120))
        months = []
        m = _month_start(stored)
        while m <= bottled:
            months.append(m)
            m = _next_month(m)
        temps: list[float | None] = []
        rhs: list[float | None] = []
        for i, mo in enumerate(months):  # an unheated, uncooled jar cellar follows the seasons
            seasonal = 15.5 + 9.0 * math.sin(2 * math.pi * (mo.month - 4.5) / 12)
            temps.append(round(seasonal + 1.5 * (_u(k, 100 + i) - 0.5), 1))
            rhs.append(round(78 + 5 * math.sin(2 * math.pi * (mo.month - 5) / 12) + 4 * (_u(k, 2000 + i) - 0.5), 0))
        n = len(months)
        if scenario == "warm" and n > 12:  # a summer in an upper-floor store: warmer, still ageing
            summers = [i for i, mo in enumerate(months) if mo.month == 6 and i + 3 <= n]
            if summers:
                s0 = summers[int(_u(k, 7) * len(summers))]
                for i in range(s0, s0 + 3):
                    temps[i] = round(27.0 + 4.0 * _u(k, 3000 + i), 1)
        elif scenario == "gap" and n > 12:  # months of records lost
            run = min(GAP_MONTHS + 1 + int(_u(k, 6) * 24), n - 2)
            s0 = 1 + int(_u(k, 7) * max(1, n - run - 1))
            for i in range(s0, s0 + run):
                temps[i] = rhs[i] = None
        elif scenario == "gap":
            scenario = "ok"
        # the vintage's books: brewed volume, what aged labels drew from it, what is left
        brewed_kl = round(self.serials(e, year) * BATCH_KL * (0.9 + 0.2 * _u(k, 20)), 0)
        years_kept = max(0.0, LABEL_HORIZON + 2 - year - 0.1)
        avail = brewed_kl * (1.0 - LOSS_PER_YEAR) ** years_kept
        stock = round(avail * (0.05 + 0.3 * _u(k, 21)), 0)
        if scenario == "oversold":
            drawn = round(avail * (1.15 + 0.5 * _u(k, 22)) - stock, 0)
        else:
            drawn = round((avail - stock) * (0.8 + 0.18 * _u(k, 22)), 0)
        return _Plan(e, year, serial, label, _STYLES[int(_u(k, 8) * len(_STYLES))], brewed, stored, bottled,
                     1 + int(_u(k, 9) * 18), tuple(zip(months, temps, rhs, strict=True)), scenario,
                     tuple(parts), brewed_kl, drawn, stock)

    def batch(self, batch_no: str, now_ms: int, producer: EnterpriseSummary) -> Batch | None:
        """The batch (None when unknown; MalformedBatch when not a batch number)."""
        p = self._plan(batch_no)
        if p is None:
            return None
        verdict, recorded, reasons, checks = _verdict(p)
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
            blend=[BlendPart(vintage=v, share_pct=round(100 * sh, 1), age_years=round(_age_at(v, p.bottled), 1))
                   for v, sh in p.blend],
            checks=checks,
        )

    def verdict(self, batch_no: str) -> str | None:
        p = self._plan(batch_no)
        return None if p is None else _verdict(p)[0]

    def failed_checks(self, batch_no: str) -> list[str]:
        p = self._plan(batch_no)
        return [] if p is None else [c.id for c in _verdict(p)[3] if c.result == "fail"]

    def samples(self) -> list[str]:
        """Recently checked batches: a fixed, seeded sample with every verdict (5 consistent,
        4 inconsistent — at least one each for the blend and for the mass balance —, 3
        unverifiable)."""
        want = {"consistent": 5, "inconsistent": 4, "unverifiable": 3}
        got: dict[str, list[str]] = {k: [] for k in want}
        blend_seen = balance_seen = False
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
            verdict, _recorded, _reasons, checks = _verdict(p)
            if len(got[verdict]) >= want[verdict]:
                continue
            if verdict == "inconsistent":
                is_blend = any(c.id == "blend" and c.result == "fail" for c in checks)
                if len(got[verdict]) == want[verdict] - 1 and not (balance_seen if is_blend else blend_seen):
                    continue  # keep the last place for the kind not yet seen
                blend_seen |= is_blend
                balance_seen |= not is_blend
            got[verdict].append(no)
            if all(len(got[v]) >= want[v] for v in want):
                break
        return got["consistent"] + got["inconsistent"] + got["unverifiable"]


def _ym(d: dt.date) -> str:
    return f"{d.year}-{d.month:02d}"


Verdict = Literal["consistent", "inconsistent", "unverifiable"]


def _check(cid: str, zh: str, en: str, result: Literal["pass", "fail", "unknown", "info"], dzh: str,
           den: str) -> BatchCheckItem:
    return BatchCheckItem(id=cid, name=Names(zh=zh, en=en), result=result, detail=Names(zh=dzh[:200], en=den[:200]))


def _verdict(p: _Plan) -> tuple[Verdict, float | None, list[Names], list[BatchCheckItem]]:
    """(verdict, weighted age in years, reasons, checks) computed from the records alone."""
    months = p.months
    checks: list[BatchCheckItem] = []
    # 1. brewing record of the main vintage
    checks.append(_check(
        "brewing", "酿造记录", "Brewing record", "pass",
        f"主原酒{p.year}年冬酿（立冬{lidong(p.year):%m-%d}开酿、立春{lichun(p.year + 1):%m-%d}榨酒），"
        f"酿造台账{p.brewed_kl:.0f}千升，本批在册",
        f"main base wine brewed in the {p.year} winter season; brewing book {p.brewed_kl:.0f} kL, this batch on it"))
    # 2. continuous storage record: the longest run of months without one
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
        zh = f"缺少{_ym(a)}至{_ym(b)}共{best}个月的贮存记录，无法核验标注的{p.label}年酒龄"
        en = (f"no storage record from {_ym(a)} to {_ym(b)} ({best} months): the labelled {p.label} years "
              "cannot be checked")
        checks.append(_check("storage", "连续贮存记录", "Continuous storage record", "unknown", zh, en))
        checks.append(_check("standard", "依据标准", "Standard", "info", STANDARD_ZH, STANDARD_EN))
        return "unverifiable", None, [Names(zh=zh, en=en)], checks
    checks.append(_check(
        "storage", "连续贮存记录", "Continuous storage record", "pass",
        f"{_ym(months[0][0])}至{_ym(months[-1][0])}共{len(months)}个月记录完整",
        f"{len(months)} monthly records from {_ym(months[0][0])} to {_ym(months[-1][0])}, none missing"))
    # 3. blending: the volume-weighted mean age of the base wines
    weighted = round(math.fsum(sh * _age_at(v, p.bottled) for v, sh in p.blend), 1)
    parts_zh = "、".join(f"{v}年原酒{100 * sh:.0f}%（{_age_at(v, p.bottled):.1f}年）" for v, sh in p.blend)
    parts_en = ", ".join(f"{v} {100 * sh:.0f} % ({_age_at(v, p.bottled):.1f} y)" for v, sh in p.blend)
    ok_blend = weighted >= p.label
    checks.append(_check(
        "blend", "勾调配方与加权酒龄", "Blend and weighted age", "pass" if ok_blend else "fail",
        f"{parts_zh}；加权平均酒龄{weighted:.1f}年，{'不少于' if ok_blend else '少于'}标注的{p.label}年",
        f"{parts_en}; weighted mean age {weighted:.1f} years, {'not less than' if ok_blend else 'less than'} "
        f"the labelled {p.label}"))
    # 4. mass balance of the main vintage
    years_kept = max(0.0, LABEL_HORIZON + 2 - p.year - 0.1)
    avail = p.brewed_kl * (1.0 - LOSS_PER_YEAR) ** years_kept
    used = p.drawn_kl + p.stock_kl
    ok_balance = used <= avail * 1.02
    checks.append(_check(
        "balance", "年份酒物料平衡", "Vintage mass balance", "pass" if ok_balance else "fail",
        f"{p.year}年原酒酿造{p.brewed_kl:.0f}千升，扣除贮存损耗（年0.5–1.0%）后至多{avail:.0f}千升；"
        f"年份酒标签已售耗用{p.drawn_kl:.0f}千升＋现库存{p.stock_kl:.0f}千升＝{used:.0f}千升"
        + ("，平衡" if ok_balance else f"，超出{used - avail:.0f}千升：售出的年份酒多于该年份库存所能支撑"),
        f"{p.year} base wine brewed {p.brewed_kl:.0f} kL, at most {avail:.0f} kL after storage loss; sold under "
        f"aged labels {p.drawn_kl:.0f} kL + in stock {p.stock_kl:.0f} kL = {used:.0f} kL"
        + (": balanced" if ok_balance else f": {used - avail:.0f} kL more than the vintage could supply")))
    # 5. temperature: evidence, not a test
    temps = [t for _, t, _ in months if t is not None]
    warm = sum(1 for t in temps if t > STORE_HI)
    checks.append(_check(
        "temperature", "贮存温度（参考）", "Storage temperature (evidence)", "info",
        f"月均{min(temps):.1f}–{max(temps):.1f}°C，{warm}个月高于{STORE_HI:g}°C；传统酒库不控温，温度影响风味、不改变酒龄，仅作参考",
        f"monthly means {min(temps):.1f}–{max(temps):.1f} °C, {warm} months above {STORE_HI:g} °C; jar cellars are "
        "not cooled: heat changes the taste, not the age; shown as evidence only"))
    checks.append(_check("standard", "依据标准", "Standard", "info", STANDARD_ZH, STANDARD_EN))
    failed = [c for c in checks if c.result == "fail"]
    if failed:
        return "inconsistent", weighted, [c.detail for c in failed], checks
    return "consistent", weighted, [
        Names(zh=f"加权平均酒龄{weighted:.1f}年，不少于标注的{p.label}年", en=f"weighted mean age {weighted:.1f} years, "
              f"not less than the labelled {p.label}"),
        Names(zh=f"{p.year}年原酒物料平衡：耗用与库存{used:.0f}千升，不超过可用{avail:.0f}千升",
              en=f"{p.year} vintage balanced: used and in stock {used:.0f} kL within {avail:.0f} kL available"),
    ], checks
