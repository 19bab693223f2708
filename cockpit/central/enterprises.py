"""The simulated enterprises of the industry brains: names, credit codes, districts, sizes.

About a hundred per industry brain (dyeing 109: the mills left after the consolidation,
figures §3; IC 100: the chain's ~100 firms, figures §6; textile, wine and pharma: 100, a
parameter). Everything is a pure function of the seed: the same seed gives the same
enterprises with the same codes.

* Names are **invented**: two trade-name syllables and an industry suffix, e.g.
  "绍兴锦澜印染有限公司" / "Shaoxing Jinlan Dyeing Co., Ltd." A short list of real local
  trade names is refused, so a simulated firm is not mistaken for a real one.
* Codes are valid unified social credit codes (:func:`cockpit.api.uscc.make`) carrying the
  real division code of the district the enterprise is registered in.
* Districts follow the industry's geography: dyeing nearly all in 柯桥 after the
  consolidation; textile mostly 柯桥, socks in 诸暨, ties in 嵊州; wine in 越城, 柯桥, 上虞;
  IC by chain link (越城; equipment and materials in 上虞); pharma by link (越城/滨海, 上虞,
  新昌, 柯桥).
* ``weight`` is the enterprise's share of its brain's size (heavy-tailed, Σ = 1 per brain);
  anchor firms of a chain link are much larger.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from cockpit.api import uscc
from cockpit.api.schema import Names
from cockpit.central import figures as F
from cockpit.central.chains import Pair, link_plans
from cockpit.central.places import BY_ID as DISTRICTS_BY_ID

__all__ = ["ENTERPRISE_BRAINS", "Enterprise", "Registry"]

ENTERPRISE_BRAINS: tuple[str, ...] = ("dyeing", "textile", "wine", "ic", "pharma")

_M64 = (1 << 64) - 1

# trade-name syllables (zh, pinyin): chosen to sound like a company and to match no
# well-known Shaoxing firm
_FIRST: tuple[Pair, ...] = (
    ("锦", "Jin"), ("瑞", "Rui"), ("嘉", "Jia"), ("泓", "Hong"), ("澄", "Cheng"), ("沁", "Qin"), ("璟", "Jing"),
    ("翎", "Ling"), ("棠", "Tang"), ("栩", "Xu"), ("珩", "Heng"), ("峤", "Qiao"), ("霁", "Ji"), ("昀", "Yun"),
    ("湛", "Zhan"), ("蔚", "Wei"), ("桐", "Tong"), ("黛", "Dai"), ("曜", "Yao"), ("朔", "Shuo"), ("砚", "Yan"),
    ("舒", "Shu"), ("禾", "He"), ("晟", "Sheng"), ("逸", "Yi"), ("颂", "Song"), ("澹", "Dan"), ("骏", "Jun"),
    ("芊", "Qian"), ("琮", "Cong"), ("溯", "Su"), ("珂", "Ke"), ("岚", "Lan"), ("滢", "Ying"), ("韶", "Shao"),
    ("望", "Wang"), ("知", "Zhi"), ("若", "Ruo"), ("柘", "Zhe"), ("沐", "Mu"),
)
_SECOND: tuple[Pair, ...] = (
    ("澜", "lan"), ("晖", "hui"), ("源", "yuan"), ("泰", "tai"), ("禧", "xi"), ("辰", "chen"), ("川", "chuan"),
    ("诺", "nuo"), ("弘", "hong"), ("屹", "yi"), ("帆", "fan"), ("衡", "heng"), ("舟", "zhou"), ("锐", "rui"),
    ("峰", "feng"), ("霖", "lin"), ("途", "tu"), ("朗", "lang"), ("嵘", "rong"), ("彤", "tong"), ("瀚", "han"),
    ("骐", "qi"), ("玥", "yue"), ("萃", "cui"), ("璞", "pu"), ("隆", "long"), ("宁", "ning"), ("晏", "yan"),
    ("峻", "jun"), ("霆", "ting"), ("昱", "yu"), ("芃", "peng"), ("泽", "ze"), ("茂", "mao"), ("枫", "feng"),
    ("乔", "qiao"), ("溪", "xi"), ("序", "xu"), ("樾", "yue"), ("禹", "yu"),
)
# real trade names of Shaoxing and of well-known firms named in the figures: never generated
_REAL = frozenset({
    "越新", "永通", "鸿大", "迎丰", "龙盛", "闰土", "皇马", "古越", "会稽", "塔牌", "女儿", "新和", "三花", "万丰",
    "日发", "泰坦", "振德", "震元", "京新", "亚太", "卧龙", "精功", "海亮", "宝业", "中芯", "芯联", "长电", "豪威",
    "歌礼", "德琪", "尚科", "越海", "张江", "亿田", "帅丰", "森歌", "华联", "天马", "盾安", "嘉泰", "锦泰", "瑞丰",
    "嘉禾", "泰和", "锦峰", "晟泰", "舒泰",
})

#: name suffixes of the brains without a chain, by district (zh, en)
_SUFFIX: dict[tuple[str, str], tuple[Pair, ...]] = {
    ("dyeing", "*"): (("印染", "Dyeing"), ("染整", "Dyeing & Finishing"), ("纺织印染", "Textile Dyeing"),
                      ("数码印花", "Digital Printing")),
    ("textile", "keqiao"): (("纺织", "Textile"), ("织造", "Weaving"), ("纺织科技", "Textile Technology"),
                            ("面料", "Fabrics")),
    ("textile", "zhuji"): (("袜业", "Hosiery"), ("针织", "Knitting")),
    ("textile", "shengzhou"): (("领带", "Necktie"), ("丝织", "Silk Weaving")),
    ("textile", "yuecheng"): (("纺织", "Textile"), ("家纺", "Home Textiles")),
    ("wine", "*"): (("酒业", "Wine"), ("酿酒", "Brewery"), ("黄酒", "Rice Wine")),
}
#: district mix of the brains without a chain: (district, count)
_DISTRICT_PLAN: dict[str, tuple[tuple[str, int], ...]] = {
    "dyeing": (("keqiao", 104), ("shangyu", 3), ("zhuji", 2)),
    "textile": (("keqiao", 70), ("zhuji", 18), ("shengzhou", 8), ("yuecheng", 4)),
    "wine": (("yuecheng", 45), ("keqiao", 35), ("shangyu", 20)),
}
#: founding years (lo, hi) by brain; a firm founded from 2015 on has a new-style code body
_FOUNDED: dict[str, tuple[int, int]] = {
    "dyeing": (1992, 2019), "textile": (1994, 2022), "wine": (1985, 2020), "ic": (2008, 2024),
    "pharma": (1990, 2022),
}
_PREFIX: dict[str, Pair] = {
    "yuecheng": ("绍兴", "Shaoxing"), "keqiao": ("绍兴", "Shaoxing"), "shangyu": ("绍兴", "Shaoxing"),
    "zhuji": ("诸暨", "Zhuji"), "shengzhou": ("嵊州", "Shengzhou"), "xinchang": ("新昌", "Xinchang"),
}
_NEW_BODY_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_PARETO_ALPHA = 1.2
_PARETO_CAP = 30.0  # soft cap: an ordinary firm stays below 30× the smallest; anchors are set apart


def _key(seed: int, *parts: object) -> int:
    text = "|".join([str(seed), *map(str, parts)]).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "little")


def _u(key: int, i: int) -> float:
    """Uniform [0, 1) from (key, i)."""
    x = (key ^ ((i + 1) * 0x9E3779B97F4A7C15)) & _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return ((x ^ (x >> 31)) >> 11) * 2.0**-53


@dataclass(frozen=True)
class Enterprise:
    """One simulated enterprise. Static; its live figures come from :mod:`cockpit.central.firms`."""

    index: int  # position within its brain (0-based); ``no`` = index + 1
    brain: str
    code: str
    trade_zh: str
    trade_en: str
    name: Names
    district: str
    weight: float  # share of the brain's size; Σ over a brain = 1
    link: str | None  # chain link (ic, pharma)
    kind: str  # pharma: the by_type category; others ""
    founded: int
    key: int  # seed-dependent 64-bit key for the enterprise's own draws
    anchor: bool = False
    attrs: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def no(self) -> int:
        return self.index + 1

    @property
    def district_name(self) -> Names:
        return DISTRICTS_BY_ID[self.district].names

    def u(self, i: int) -> float:
        """The enterprise's i-th uniform draw (static)."""
        return _u(self.key, i)


class Registry:
    """Every simulated enterprise of one seed, by brain and by code."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)
        self._by_brain: dict[str, tuple[Enterprise, ...]] = {}
        self._by_code: dict[str, Enterprise] = {}
        names = self._trade_names()
        for brain in ENTERPRISE_BRAINS:
            firms = self._make(brain, names)
            self._by_brain[brain] = firms
            for e in firms:
                self._by_code[e.code] = e

    # ---- lookups -----------------------------------------------------------------------
    def of(self, brain: str) -> tuple[Enterprise, ...]:
        """The brain's enterprises in registry order (empty for a brain without any)."""
        return self._by_brain.get(brain, ())

    def get(self, code: str) -> Enterprise | None:
        return self._by_code.get(code)

    def __iter__(self) -> Iterator[Enterprise]:
        for brain in ENTERPRISE_BRAINS:
            yield from self._by_brain[brain]

    def __len__(self) -> int:
        return len(self._by_code)

    def search(self, q: str, brain: str | None = None) -> list[Enterprise]:
        """Enterprises whose Chinese or English name contains ``q`` (case-insensitive), or
        whose code starts with ``q`` (spaces and dashes ignored); all when ``q`` is blank.
        Code matches first, then by brain and size."""
        q = q.strip()
        pool = self.of(brain) if brain is not None else tuple(self)
        if not q:
            hits = list(pool)
        else:
            low = q.casefold()
            code_q = uscc.normalise(q)
            by_code = [e for e in pool if code_q and e.code.startswith(code_q)]
            seen = {e.code for e in by_code}
            by_name = [e for e in pool if e.code not in seen
                       and (low in e.name.zh.casefold() or low in e.name.en.casefold())]
            return by_code + sorted(by_name, key=_order)
        return sorted(hits, key=_order)

    # ---- generation --------------------------------------------------------------------
    def _trade_names(self) -> Iterator[tuple[Pair, Pair]]:
        """Unique trade names in a seeded order."""
        combos = [(a, b) for a in _FIRST for b in _SECOND if a[0] + b[0] not in _REAL and a[1].lower() != b[1]]
        k = _key(self.seed, "trade-names")
        combos.sort(key=lambda ab: _u(k, hash_pair(ab)))
        yield from combos

    def _make(self, brain: str, names: Iterator[tuple[Pair, Pair]]) -> tuple[Enterprise, ...]:
        slots: list[tuple[str, str | None, float, float, tuple[Pair, ...], str, bool]] = []
        # (district, link, size, anchor_size, suffixes, kind, anchor)
        plans = link_plans(brain)
        if plans:
            for plan in plans:
                ks = _key(self.seed, brain, plan.id, "districts")
                for j in range(plan.count):
                    d = _pick_district(plan.districts, _u(ks, j))
                    anchor = plan.anchor_size > 0 and j == 0
                    slots.append((d, plan.id, plan.size, plan.anchor_size if anchor else 0.0, plan.suffixes,
                                  plan.kind, anchor))
        else:
            for d, n in _DISTRICT_PLAN[brain]:
                suffixes = _SUFFIX.get((brain, d)) or _SUFFIX[(brain, "*")]
                slots.extend((d, None, 1.0, 0.0, suffixes, "", False) for _ in range(n))
        raw: list[float] = []
        keys: list[int] = []
        for i, (_d, _link, size, anchor_size, *_rest) in enumerate(slots):
            k = _key(self.seed, brain, "enterprise", i)
            keys.append(k)
            p = (1.0 - _u(k, 0)) ** (-1.0 / _PARETO_ALPHA)
            pareto = _PARETO_CAP * p / (_PARETO_CAP + p - 1.0)
            raw.append(size * (anchor_size if anchor_size > 0 else pareto))
        if brain == "wine":
            raw, wine_kinds = _wine_sizes(keys)
            slots = [(d, link, sz, a, sf, wine_kinds[i], wine_kinds[i] == "leader")
                     for i, (d, link, sz, a, sf, _k, _a) in enumerate(slots)]
        raw = _cap_shares(raw, _MAX_SHARE.get(brain))
        total = math.fsum(raw)
        lo, hi = _FOUNDED[brain]
        out: list[Enterprise] = []
        big = sorted(raw, reverse=True)[max(0, len(raw) // 12 - 1)]  # the top ~8 % are "浙江" firms
        for i, (d, link, _size, _anchor_size, suffixes, kind, anchor) in enumerate(slots):
            k = keys[i]
            (c1, p1), (c2, p2) = next(names)
            suffix = suffixes[int(_u(k, 1) * len(suffixes))]
            prefix = ("浙江", "Zhejiang") if raw[i] >= big else _PREFIX[d]
            form_zh = "股份有限公司" if raw[i] >= big and _u(k, 2) < 0.5 else "有限公司"
            trade_zh, trade_en = c1 + c2, p1 + p2
            name = Names(zh=f"{prefix[0]}{trade_zh}{suffix[0]}{form_zh}",
                         en=f"{prefix[1]} {trade_en} {suffix[1]} Co., Ltd.")
            founded = lo + int((_u(k, 3) ** (0.7 if raw[i] >= big else 1.0)) * (hi - lo + 1))
            if raw[i] >= big:
                founded = min(founded, lo + (hi - lo) // 2)
            code = self._code(d, founded, k)
            out.append(Enterprise(
                index=i, brain=brain, code=code, trade_zh=trade_zh, trade_en=trade_en, name=name, district=d,
                weight=raw[i] / total, link=link, kind=kind, founded=founded, key=k, anchor=anchor,
            ))
        return tuple(out)

    def _code(self, district_id: str, founded: int, k: int) -> str:
        division = DISTRICTS_BY_ID[district_id].division
        for attempt in range(100):
            u = [_u(k, 10 + 9 * attempt + j) for j in range(9)]
            if founded >= 2015:  # new-style organisation body issued with the credit code
                body = "MA2" + "".join(_NEW_BODY_CHARS[int(x * len(_NEW_BODY_CHARS))] for x in u[:5])
            else:  # an old numeric organisation code
                body = "1467"[int(u[0] * 4)] + "".join(str(int(x * 10)) for x in u[1:8])
            code = uscc.make(division, body)
            if code not in self._by_code:
                self._by_code[code] = None  # type: ignore[assignment]  # reserved; replaced when made
                return code
        raise RuntimeError("could not make a unique credit code")  # pragma: no cover


#: the largest share of its brain one enterprise may have, so that no simulated firm is bigger
#: than the largest real one: dyeing, a mill of ~80万 m/day (figures §3) of the simulated
#: capacity; IC, the largest firm's revenue (parameter) of the 2025 platform output (§6)
_MAX_SHARE: dict[str, float] = {
    "dyeing": F.DYEING_TOP_MILL_M_PER_DAY / (F.DYEING_CAPACITY_YI_M * 1e8 / 365),
    "ic": F.IC_TOP_REVENUE_YI / F.IC_OUTPUT_2025,
}
#: wine: the registry positions of the three leading producers (越城, 柯桥, 柯桥: where
#: 古越龙山, 会稽山 and 塔牌 are) and of the other eight above designated size (11, §5)
WINE_LEADERS = (0, 45, 46)
WINE_ABOVE_OTHERS = (10, 20, 33, 55, 60, 70, 85, 90)


def _cap_shares(raw: list[float], cap: float | None) -> list[float]:
    """Water-filling: no share above ``cap``; what is cut goes to the others pro rata."""
    if cap is None:
        return raw
    w = [x / math.fsum(raw) for x in raw]
    for _ in range(len(w)):
        over = [i for i, x in enumerate(w) if x > cap]
        if not over:
            break
        excess = math.fsum(w[i] - cap for i in over)
        for i in over:
            w[i] = cap
        free = math.fsum(x for x in w if x < cap)
        w = [x if x >= cap else x + excess * x / free for x in w]
    return w


def _wine_sizes(keys: list[int]) -> tuple[list[float], list[str]]:
    """Wine producers' sizes (shares of sales) and kinds: three leaders sized like 古越龙山
    (its 2023 revenue, §5), 会稽山 and 塔牌 (parameters), eight more above the 规上 line
    (≥2000万 a year) sharing the rest of the 规上 sales, and small producers sharing the
    small ones' sales (parameter), none of them near the 规上 line."""
    n = len(keys)
    above = F.WINE_SALES_2023
    total = above + F.WINE_SMALL_SALES_YI
    leaders = (F.GUYUE_REVENUE_2023 / above, F.WINE_KUAIJI_SHARE, F.WINE_TAPAI_SHARE)
    rest = 1.0 - math.fsum(leaders)
    raw = [0.0] * n
    kinds = ["small"] * n
    for i, sh in zip(WINE_LEADERS, leaders, strict=True):
        raw[i], kinds[i] = sh * above / total, "leader"
    spread = [0.8 + 0.4 * _u(keys[i], 0) for i in WINE_ABOVE_OTHERS]
    for i, sp in zip(WINE_ABOVE_OTHERS, spread, strict=True):
        raw[i], kinds[i] = rest * above / total * sp / math.fsum(spread), "above"
    small = [i for i in range(n) if kinds[i] == "small"]
    sw = [0.4 + 1.2 * _u(keys[i], 0) for i in small]
    for i, x in zip(small, sw, strict=True):
        raw[i] = F.WINE_SMALL_SALES_YI / total * x / math.fsum(sw)
    return raw, kinds


def hash_pair(ab: tuple[Pair, Pair]) -> int:
    return int.from_bytes(hashlib.blake2b((ab[0][0] + ab[1][0]).encode(), digest_size=8).digest(), "little")


def _pick_district(mix: tuple[tuple[str, float], ...], u: float) -> str:
    total = sum(s for _, s in mix)
    acc = 0.0
    for d, s in mix:
        acc += s / total
        if u < acc:
            return d
    return mix[-1][0]


_BRAIN_ORDER = {b: i for i, b in enumerate(ENTERPRISE_BRAINS)}


def _order(e: Enterprise) -> tuple[int, float, int]:
    return (_BRAIN_ORDER[e.brain], -e.weight, e.index)
