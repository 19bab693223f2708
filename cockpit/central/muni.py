"""要素消耗 · "亩均论英雄": output and tax per mu of land and energy per 万元 of output, by
enterprise, by district and by brain, with Zhejiang's A/B/C/D evaluation classes.

Zhejiang rates its industrial firms each year on 亩均 (per-mu) figures — tax per mu, value
per mu, energy and emissions per unit of value, R&D, labour productivity — and sorts them
into classes A (优先发展), B (提升发展), C (整治提升) and D (淘汰整治) that decide land, power and
water prices. The figures table has one 亩均 number: 柯桥's dyeing mills' tax per mu after
the consolidation, 28.77万元/亩 (§3). Everything else here is a named parameter: the other
brains' levels, the score's weights and the class shares (the table has no evaluation
rules). Dyeing's energy per 万元 follows from the mills' own energy per 100 m (the dyeing
screen's column) and the processing fee per metre, so the two screens agree.

Per enterprise the figures are fixed for a month (the evaluation is a statistic, not a
meter): a brain's level times the enterprise's own factor (seeded, heavy-tailed).
Districts and brains aggregate their enterprises: Σ tax / Σ land, Σ energy / Σ output.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np

from cockpit.central import figures as F
from cockpit.central.enterprises import ENTERPRISE_BRAINS, Enterprise

__all__ = ["BRAIN_LEVELS", "CLASSES", "FirmMuni", "evaluate"]

DYEING_TAX_PER_MU = F.fig("DYEING_TAX_PER_MU", 28.77, 3, "Effects of consolidation (柯桥)", "7.5 → 28.77 万元", 2021)


@dataclass(frozen=True)
class BrainLevel:
    """A brain's typical 亩均产值 (万元/亩), 亩均税收 (万元/亩) and energy (吨标煤/万元)."""

    output_per_mu: float
    tax_per_mu: float
    energy: float


_WHY = "亩均 levels are not published for this industry (the table's only 亩均 figure is 柯桥 dyeing's, §3)"
BRAIN_LEVELS: dict[str, BrainLevel] = {
    "dyeing": BrainLevel(F.par("MUNI_DYEING_OUTPUT_PER_MU", 520.0, "dyeing 亩均产值: " + _WHY), DYEING_TAX_PER_MU,
                         math.nan),  # energy: from the mills' energy per 100 m (see above)
    "textile": BrainLevel(F.par("MUNI_TEXTILE_OUTPUT_PER_MU", 420.0, "weaving 亩均产值: " + _WHY),
                          F.par("MUNI_TEXTILE_TAX_PER_MU", 18.0, "weaving 亩均税收: " + _WHY),
                          F.par("MUNI_TEXTILE_ENERGY", 0.12, "weaving energy per 万元 output (吨标煤/万元): " + _WHY)),
    "wine": BrainLevel(F.par("MUNI_WINE_OUTPUT_PER_MU", 280.0, "rice-wine 亩均产值 (cellars take land): " + _WHY),
                       F.par("MUNI_WINE_TAX_PER_MU", 36.0, "rice-wine 亩均税收 (consumption tax included): " + _WHY),
                       F.par("MUNI_WINE_ENERGY", 0.06, "brewing energy per 万元 output (吨标煤/万元): " + _WHY)),
    "ic": BrainLevel(F.par("MUNI_IC_OUTPUT_PER_MU", 1600.0, "IC 亩均产值: " + _WHY),
                     F.par("MUNI_IC_TAX_PER_MU", 65.0, "IC 亩均税收: " + _WHY),
                     F.par("MUNI_IC_ENERGY", 0.09, "IC energy per 万元 output (吨标煤/万元): " + _WHY)),
    "pharma": BrainLevel(F.par("MUNI_PHARMA_OUTPUT_PER_MU", 900.0, "biopharma 亩均产值: " + _WHY),
                         F.par("MUNI_PHARMA_TAX_PER_MU", 72.0, "biopharma 亩均税收: " + _WHY),
                         F.par("MUNI_PHARMA_ENERGY", 0.08, "biopharma energy per 万元 output (吨标煤/万元): " + _WHY)),
}
#: an enterprise's spread around its brain's level: exp(σ·z)
SPREAD = F.par("MUNI_SPREAD", 0.45, "spread (log-normal σ) of firms around their industry's 亩均 level; not published")
#: the evaluation score: weights of the tax, output and energy percentiles
W_TAX = F.par("MUNI_W_TAX", 0.5, "weight of 亩均税收 in the simulated evaluation score; the real weights are not in the table")
W_OUTPUT = F.par("MUNI_W_OUTPUT", 0.3, "weight of 亩均产值 in the simulated evaluation score; not in the table")
W_ENERGY = F.par("MUNI_W_ENERGY", 0.2, "weight of (low) energy per 万元 in the simulated score; not in the table")
#: the classes' shares of the enterprises, best first
CLASS_SHARES = (F.par("MUNI_A_SHARE", 0.20, "share of firms rated A; the evaluation's class shares are not in the table"),
                F.par("MUNI_B_SHARE", 0.50, "share of firms rated B; not in the table"),
                F.par("MUNI_C_SHARE", 0.22, "share of firms rated C; not in the table"),
                F.par("MUNI_D_SHARE", 0.08, "share of firms rated D; not in the table"))
CLASSES = (("A", "A类 · 优先发展", "A · priority"), ("B", "B类 · 提升发展", "B · improve"),
           ("C", "C类 · 整治提升", "C · rectify"), ("D", "D类 · 淘汰整治", "D · phase out"))


@dataclass(frozen=True)
class FirmMuni:
    e: Enterprise
    output_per_mu: float  # 万元/亩
    tax_per_mu: float  # 万元/亩
    energy: float  # 吨标煤/万元
    land_mu: float  # 亩 (from the enterprise's annual output)
    output_wan: float  # 万元 a year
    score: float  # 0..100
    cls: str  # "A".."D"


def _z(key: int, salt: int) -> float:
    """A standard-normal-ish draw from a key (sum of four uniforms, centred and scaled)."""
    d = hashlib.blake2b(f"{key}|{salt}".encode(), digest_size=16).digest()
    s = sum(int.from_bytes(d[4 * i: 4 * i + 4], "big") / 2**32 for i in range(4))
    return (s - 2.0) * math.sqrt(3.0)


def _pct_rank(x: np.ndarray) -> np.ndarray:
    order = np.argsort(np.argsort(x, kind="stable"), kind="stable")
    return order / max(1, len(x) - 1)


def evaluate(firms: dict[str, tuple[Enterprise, ...]], annual_output_yi: dict[str, float],
             dyeing_energy_per_100m: np.ndarray, fee_yuan_per_m: float, month: int) -> list[FirmMuni]:
    """Every enterprise's 亩均 figures and class for the month ``month`` (months since 1970).

    ``annual_output_yi``: each brain's annual output that its enterprises share by weight;
    ``dyeing_energy_per_100m``: the mills' kgce per 100 m (NaN: no reading)."""
    rows: list[tuple[Enterprise, float, float, float, float]] = []
    for brain in ENTERPRISE_BRAINS:
        lv = BRAIN_LEVELS[brain]
        for e in firms.get(brain, ()):
            zo, zt, ze = _z(e.key, 1), _z(e.key, 2), _z(e.key, 3 + month % 12)
            drift = 1 + 0.01 * _z(e.key, 100 + month)  # a month's statistic moves a little
            out_mu = lv.output_per_mu * math.exp(SPREAD * zo) * drift
            # tax follows output per mu (a productive plot pays more) with its own spread
            tax_mu = lv.tax_per_mu * math.exp(SPREAD * (0.6 * zo + 0.8 * zt)) * drift
            if brain == "dyeing":
                kgce_100m = float(dyeing_energy_per_100m[e.index]) if e.index < len(dyeing_energy_per_100m) else math.nan
                # kgce per 100 m over the fee per 100 m (元) → kgce/元 → ×10 = 吨标煤/万元
                energy = kgce_100m / (fee_yuan_per_m * 100) * 10 if math.isfinite(kgce_100m) else math.nan
            else:
                energy = lv.energy * math.exp(0.5 * SPREAD * ze - 0.3 * SPREAD * zo)
            output_wan = annual_output_yi.get(brain, 0.0) * e.weight * 10_000
            rows.append((e, out_mu, tax_mu, energy, output_wan))
    if not rows:
        return []
    tax = np.array([r[2] for r in rows])
    out = np.array([r[1] for r in rows])
    en = np.array([r[3] for r in rows])
    en_filled = np.where(np.isfinite(en), en, np.nanmedian(en))
    score = 100 * (W_TAX * _pct_rank(tax) + W_OUTPUT * _pct_rank(out) + W_ENERGY * (1 - _pct_rank(en_filled)))
    rank = np.argsort(np.argsort(-score, kind="stable"), kind="stable")  # 0 = best
    bounds = np.cumsum(CLASS_SHARES) * len(rows)
    result = []
    for i, (e, out_mu, tax_mu, energy, output_wan) in enumerate(rows):
        cls = CLASSES[int(np.searchsorted(bounds, rank[i], side="right"))][0] if rank[i] < bounds[-1] else "D"
        result.append(FirmMuni(e, round(out_mu, 1), round(tax_mu, 2), round(energy, 3) if math.isfinite(energy)
                               else math.nan, output_wan / out_mu if out_mu > 0 else 0.0, output_wan,
                               round(float(score[i]), 1), cls))
    return result


def aggregate(items: list[FirmMuni]) -> tuple[float, float, float] | None:
    """(亩均产值, 亩均税收, energy per 万元) of a group: Σ output / Σ land, Σ tax / Σ land,
    Σ energy / Σ output (over the enterprises with an energy figure)."""
    land = sum(f.land_mu for f in items)
    if land <= 0:
        return None
    output = sum(f.output_wan for f in items)
    tax = sum(f.tax_per_mu * f.land_mu for f in items)
    with_energy = [f for f in items if math.isfinite(f.energy)]
    out_e = sum(f.output_wan for f in with_energy)
    energy = sum(f.energy * f.output_wan for f in with_energy) / out_e if out_e > 0 else math.nan
    return output / land, tax / land, energy
