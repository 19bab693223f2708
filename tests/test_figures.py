"""Every magnitude the simulator cites exists in the team's figures table.

The table (``shared/data/shaoxing_figures.md``) lives beside the repository, not in it: in a
worktree or CI clone it is ``<repo>/../shared/data/``. The test fails, loudly, when the
table is not there: a citation that cannot be checked is not a citation.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cockpit.central import figures as F
from cockpit.central import muni as _muni  # noqa: F401  (registers the 亩均 magnitudes)
from cockpit.central import projects as _projects  # noqa: F401  (registers the chain projects' magnitudes)

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT.parent / "shared" / "data" / "shaoxing_figures.md"


def _rows() -> dict[int, list[tuple[str, str]]]:
    """Section number → [(figure cell, whole row text)]."""
    if not TABLE.is_file():
        pytest.fail(f"the figures table is missing: expected {TABLE} (the repository's ../shared/data/)")
    out: dict[int, list[tuple[str, str]]] = {}
    section = 0
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^## (\d+)\. ", line)
        if m:
            section = int(m.group(1))
            continue
        if line.startswith("|") and not line.startswith("|---") and section:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cells and cells[0] != "Figure":
                out.setdefault(section, []).append((cells[0], line))
    return out


def test_the_table_parses() -> None:
    rows = _rows()
    assert set(range(1, 10)) <= set(rows), sorted(rows)
    assert sum(len(v) for v in rows.values()) > 80


def test_every_cited_figure_is_a_row_holding_its_number() -> None:
    rows = _rows()
    bad = []
    for f in F.FIGURES.values():
        hits = [text for cell, text in rows.get(f.section, []) if cell.startswith(f.row)]
        if not hits:
            bad.append(f"{f.name}: no row '{f.row}…' in §{f.section}")
        elif not any(f.text in text for text in hits):
            bad.append(f"{f.name}: row '{f.row}…' of §{f.section} does not say {f.text!r}")
    assert not bad, "\n".join(bad)


def test_every_parameter_says_why() -> None:
    assert F.PARAMETERS
    for p in F.PARAMETERS.values():
        assert len(p.why) > 15, p


def test_a_wrong_citation_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check can fail: a made-up row or a number the row does not hold."""
    rows = _rows()
    fake = F.Figure("X", 1.0, 5, "规上 黄酒 producers in 绍兴", "12")
    hits = [t for c, t in rows[fake.section] if c.startswith(fake.row)]
    assert hits and not any(fake.text in t for t in hits)
    assert not [c for c, _ in rows[6] if c.startswith("IC output 2020")]


def test_simulator_magnitudes_come_from_the_registry() -> None:
    """The metric specs use the registered values (spot checks of the numbers in section 2 of #11)."""
    from cockpit.central import metrics as M

    assert M.CITY_POWER_LOAD_WAN_KW == F.CITY_POWER_LOAD_WAN_KW
    assert M.WINE_BASE_STOCK_KL == pytest.approx(F.GUYUE_JARS * F.JAR_LITRES / 1000)
    assert M.DYEING_CAPACITY_WANMI_PER_DAY == pytest.approx(F.DYEING_CAPACITY_YI_M * 1e8 / 365 / 1e4)


def test_framework_clusters_and_three_vats_agree() -> None:
    """One set of industry levels behind "3+2+4", the clusters and 三缸→三片 (#11): shares of
    ALL 规上 output, the traditional and classic industries near the published "nearly 70 %"
    around 2020, and 三片 nowhere near "two thirds"."""
    from cockpit.central import industries as I

    groups = {gid: sum(I.level(i, 2020) for i in inds) / I.above_output(2020) for gid, _z, _e, inds in I.FRAMEWORK}
    assert 0.55 <= groups["3"] + groups["2"] <= 0.75, groups  # figures §1: "nearly 70%" (~2020)
    for year in (2015, 2020, 2026):
        everything = sum(I.level(i, year) for _g, _z, _e, inds in I.FRAMEWORK for i in inds)
        assert everything < I.above_output(year), year  # a framework inside all 规上 output
        pieces = (sum(I.level(i, year) for i in I.THREE_PIECES) + I.textile_without_dyeing(year)) / I.above_output(year)
        vats = sum(I.level(i, year) for i in I.THREE_VATS) / I.above_output(year)
        assert vats < pieces < 0.5, year
    assert sum(c.key_firms for c in I.CLUSTERS) == 100
    assert sum(c.kind == "key" for c in I.CLUSTERS) == 5 and all(c.named for c in I.CLUSTERS if c.kind == "key")
    # the clusters share the framework's levels where they are the same industry
    by_id = {c.id: c for c in I.CLUSTERS}
    assert I.level(by_id["ic"], 2026) == I.level(I.ELECTRONICS, 2026)
    assert I.level(by_id["green_chemicals"], 2024) > F.FLUORO_CHEM_OUTPUT  # 上虞 fluoro alone >250亿 (§2)
