"""The simulated enterprises: registry, consistency with their brains, alerts, chains,
profiles, batches and the snapshot panels. Simulator level (no HTTP): fast, exact."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter

import numpy as np
import pytest

from cockpit.api import uscc
from cockpit.api.schema import Snapshot
from cockpit.central.batches import MalformedBatch, parse
from cockpit.central.chains import CHAINS
from cockpit.central.enterprises import _REAL, ENTERPRISE_BRAINS, Registry
from cockpit.central.firms import INTENSITIES
from cockpit.central.panels import CADENCE, COLUMNS, tick_of
from cockpit.central.places import BY_ID, DISTRICTS
from cockpit.central.seasons import lichun, lidong
from cockpit.central.simulator import DAY_S, TZ_OFFSET_S, Simulator

# 2026-11-25 14:00:00 local (a Wednesday, day 19 of the 2026–27 brewing season), on a 10 s tick
NOW = 1_795_586_400_000
LOCAL = dt.timezone(dt.timedelta(hours=8))
SPLITS = [  # (brain, column, metric, scale): the column adds up to the metric × scale
    ("dyeing", "output_today", "dyeing.output_today", 1.0),
    ("textile", "output_today", "textile.fabric_today", 1.0),
    ("textile", "orders", "textile.orders", 1.0),
    ("wine", "sales_mtd", "wine.sales_mtd", 1.0),
    ("wine", "base_stock", "wine.base_stock", 1.0),
    ("ic", "output_mtd", "ic.output_mtd", 1e4),  # 万元 vs 亿元
    ("pharma", "output_mtd", "pharma.output_mtd", 1e4),
    ("pharma", "batches_today", "pharma.batches_today", 1.0),
]


@pytest.fixture(scope="module")
def sim() -> Simulator:
    return Simulator(seed=13)


def instants(n: int, seed: int = 1) -> list[int]:
    """``n`` panel ticks spread over the week before NOW."""
    rng = np.random.default_rng(seed)
    return [NOW - int(k) * 10_000 for k in rng.integers(0, 7 * 8640, n)]


def rows(sim: Simulator, brain: str, t: int) -> dict[str, dict[str, float | None]]:
    p = sim.panels.panel(brain, "enterprises", tick_of(t, 10))
    return {r.key: r.values for r in p.rows}


# ---- the registry --------------------------------------------------------------------------


def test_about_a_hundred_enterprises_per_brain_with_valid_unique_codes(sim: Simulator) -> None:
    reg = sim.firms.registry
    sizes = {b: len(reg.of(b)) for b in ENTERPRISE_BRAINS}
    assert sizes == {"dyeing": 109, "textile": 100, "wine": 100, "ic": 100, "pharma": 100}
    assert reg.of("city") == ()
    codes = [e.code for e in reg]
    assert len(set(codes)) == len(codes) == 509
    assert len({e.name.zh for e in reg}) == 509 and len({e.name.en for e in reg}) == 509
    for e in reg:
        assert uscc.validate(e.code) == e.code
        assert e.code[:2] == "91" and e.code[2:8] == BY_ID[e.district].division, e
        assert reg.get(e.code) is e
        assert re.fullmatch(r"(绍兴|诸暨|嵊州|新昌|浙江)\w{2}\w+(股份)?有限公司", e.name.zh), e.name.zh
        assert e.name.en.endswith(" Co., Ltd.") and e.trade_en in e.name.en and e.trade_zh in e.name.zh
        assert e.trade_zh not in _REAL  # never a real local trade name
        assert (e.founded >= 2015) == (e.code[8:11] == "MA2")  # new-style organisation bodies
    assert math.isclose(sum(e.weight for e in reg.of("dyeing")), 1.0)


def test_districts_follow_each_industry(sim: Simulator) -> None:
    reg = sim.firms.registry
    by = {b: Counter(e.district for e in reg.of(b)) for b in ENTERPRISE_BRAINS}
    assert by["dyeing"]["keqiao"] >= 100  # nearly all in 柯桥 after the consolidation
    assert by["textile"]["keqiao"] > 50 and by["textile"]["zhuji"] > 0 and by["textile"]["shengzhou"] > 0
    assert all("袜" in e.name.zh or "针织" in e.name.zh for e in reg.of("textile") if e.district == "zhuji")
    assert all("领带" in e.name.zh or "丝织" in e.name.zh for e in reg.of("textile") if e.district == "shengzhou")
    assert set(by["wine"]) == {"yuecheng", "keqiao", "shangyu"}
    assert by["ic"].most_common(1)[0][0] == "yuecheng"
    eq_mat = Counter(e.district for e in reg.of("ic") if e.link and e.link.startswith(("ic_eq", "ic_mat")))
    assert eq_mat.most_common(1)[0][0] == "shangyu"
    assert set(by["pharma"]) <= {"yuecheng", "shangyu", "xinchang", "keqiao"}


def test_sizes_are_heavy_tailed_and_anchors_large(sim: Simulator) -> None:
    for b in ENTERPRISE_BRAINS:
        w = np.sort([e.weight for e in sim.firms.registry.of(b)])[::-1]
        if b != "dyeing":  # dyeing mills are capped at the largest real mill's size (#11)
            assert w[0] / np.median(w) > 5, b
        assert w[: len(w) // 10].sum() > (0.15 if b == "dyeing" else 0.25), b  # the largest tenth
    dyeing = max(e.weight for e in sim.firms.registry.of("dyeing"))
    assert dyeing * 185e8 / 365 <= 800_000 * 1.001  # no mill above ~80万 m a day (figures §3)
    assert max(e.weight for e in sim.firms.registry.of("ic")) * 1003.3 <= 65.0 * 1.001  # top IC firm
    wine = sim.firms.registry.of("wine")
    assert [e.kind for e in wine].count("leader") == 3 and [e.kind for e in wine].count("above") == 8
    leaders = sorted((e for e in wine if e.kind == "leader"), key=lambda e: -e.weight)
    assert leaders[0].weight * 39 == pytest.approx(17.84, rel=0.01)  # sized like 古越龙山's 2023 revenue
    # every small producer below the 规上 line of 2000万 a year, every 规上 one above it
    assert all(e.weight * 39e4 < 2000 for e in wine if e.kind == "small")
    assert all(e.weight * 39e4 > 2000 for e in wine if e.kind != "small")
    ic = sim.firms.registry.of("ic")
    fab8 = next(e for e in ic if e.link == "ic_fab_8in")
    assert fab8.anchor and fab8.weight == max(e.weight for e in ic)


def test_same_seed_same_enterprises_other_seed_others() -> None:
    a, b, c = Registry(4), Registry(4), Registry(5)
    assert [(e.code, e.name, e.district, e.weight) for e in a] == [(e.code, e.name, e.district, e.weight) for e in b]
    assert len({e.code for e in a} & {e.code for e in c}) < 10
    assert [e.name.zh for e in a] != [e.name.zh for e in c]


# ---- consistent with the brains --------------------------------------------------------------


def test_enterprise_figures_add_up_to_the_brain_at_the_same_time(sim: Simulator) -> None:
    for t in instants(12):
        for brain, col, metric, scale in SPLITS:
            vals = [v[col] for v in rows(sim, brain, t).values()]
            assert all(v is not None and v >= 0 for v in vals), (brain, col)
            assert math.fsum(vals) == pytest.approx(sim.value(metric, t) * scale, rel=1e-12, abs=1e-6), (brain, col, t)


def test_firms_running_is_the_count_of_running_enterprises(sim: Simulator) -> None:
    seen: set[float] = set()
    for t in instants(20, seed=2):
        snap = sim.snapshot("dyeing", t)
        statuses = Counter(r.status for r in snap.panels["enterprises"].rows)
        assert statuses["running"] == snap.values["dyeing.firms_running"].value
        seen.add(snap.values["dyeing.firms_running"].value or 0)
        pharma = sim.snapshot("pharma", t)
        assert sum(r.status == "running" for r in pharma.panels["enterprises"].rows) == \
            pharma.values["pharma.firms_running"].value
    assert len(seen) > 3  # it moves
    assert min(seen) > 80  # mostly running (of 109)


def test_statuses_change_now_and_then_mostly_running_in_working_hours(sim: Simulator) -> None:
    day = int(dt.datetime(2026, 11, 24, tzinfo=LOCAL).timestamp() * 1000)  # a Tuesday
    st = np.array([sim.firms.status("wine", day + h * 3_600_000) for h in range(24)])
    running = (st == 0).mean(axis=1)
    assert running[9:18].mean() > 0.8 and running[0:5].mean() < running[9:18].mean() - 0.2  # day work
    changed = (st[1:] != st[:-1]).any(axis=0).sum()
    assert 10 < changed < 100  # some enterprises change over a day, not all every hour
    assert set(np.unique(st)) == {0, 1, 2}
    # within the hour the status holds
    assert (sim.firms.status("wine", day + 3_600_000) == sim.firms.status("wine", day + 7_199_000)).all()


def test_run_rates_and_intensities_average_to_the_brain(sim: Simulator) -> None:
    for t in instants(8, seed=3):
        w = np.array([e.weight for e in sim.firms.registry.of("dyeing")])
        v = sim.panels.values("dyeing", t)
        assert (w * v["run_rate"]).sum() == pytest.approx(sim.value("dyeing.run_rate", t), abs=0.06)
        share = sim.firms.slot("dyeing", t // 1000 // 3600).share
        for col in ("water_per_100m", "energy_per_100m", "cod"):
            prec = sim.metric(f"dyeing.{col}").precision  # type: ignore[union-attr]
            assert np.nansum(share * v[col]) == pytest.approx(sim.value(f"dyeing.{col}", t), abs=10.0**-prec)
            assert np.isnan(v[col][sim.firms.status("dyeing", t) != 0]).all()  # no intensity when not producing
        temps = [r.values["ferment_temp"] for r in sim.panels.panel("wine", "enterprises", t).rows]
        assert min(temps) < sim.value("wine.ferment_temp", t) < max(temps)  # type: ignore[type-var]


def test_running_totals_grow_through_the_day_and_reset_at_midnight(sim: Simulator) -> None:
    midnight = (NOW // 1000 + TZ_OFFSET_S) // DAY_S * DAY_S * 1000 - TZ_OFFSET_S * 1000
    prev = None
    for t in range(midnight - DAY_S * 1000 + 600_000, midnight, 1_200_000):
        v = sim.panels.values("dyeing", t)["output_today"]
        if prev is not None:  # never back by more than the last digit (largest-remainder rounding)
            assert (v - prev >= -0.0011).all()
        prev = v
    after = sim.panels.values("dyeing", midnight + 10_000)["output_today"]
    assert after.sum() < prev.sum() * 0.01  # type: ignore[union-attr]


# ---- alerts ------------------------------------------------------------------------------------


def _enterprise_alert_times(sim: Simulator, n: int = 30) -> list[int]:
    return [t for t in instants(n, seed=4) if any(a.enterprise for a in sim.alerts("dyeing", t))]


def test_enterprise_alerts_name_the_enterprise_and_a_limit_actually_exceeded(sim: Simulator) -> None:
    times = _enterprise_alert_times(sim)
    assert len(times) >= 10  # a few enterprises are past a limit most of the time
    limits = {it.column: it for b in INTENSITIES.values() for it in b}
    kinds: set[str] = set()
    for t in times[:8]:
        snap = sim.snapshot("dyeing", t)
        Snapshot.model_validate_json(snap.model_dump_json())
        table = {r.code: r for r in snap.panels["enterprises"].rows}
        for a in (a for a in snap.alerts if a.enterprise):
            col = a.id.split(":")[1]
            it = limits[col]
            e = sim.firms.registry.get(a.enterprise)  # type: ignore[arg-type]
            assert e is not None and e.brain == "dyeing" and a.metric is None and a.level == "alarm"
            assert a.value is not None and a.value > it.limit  # type: ignore[operator]
            assert table[e.code].values[col] == a.value  # the number the table shows
            assert a.message.zh.startswith(e.name.zh + " " + it.zh)
            assert f"超过限值{it.limit:g}" in a.message.zh and f"{a.value:.{it.precision}f}" in a.message.zh
            assert e.name.en in a.message.en and f"limit of {it.limit:g}" in a.message.en
            assert a.id.startswith(e.code + ":") and a.ts <= t
            kinds.add(col)
    assert len(kinds) >= 2
    # the message format of the brief
    a = next(a for t in times for a in sim.alerts("dyeing", t) if a.id.split(":")[1] == "water_per_100m") \
        if any(a.id.split(":")[1] == "water_per_100m" for t in times for a in sim.alerts("dyeing", t)) else None
    if a is not None:
        assert re.fullmatch(r".+有限公司 百米取水量\d\.\d\d吨，超过限值1\.6吨", a.message.zh), a.message.zh


def test_enterprise_alert_keeps_its_id_through_the_episode(sim: Simulator) -> None:
    t = _enterprise_alert_times(sim)[0]
    first = {a.id: a for a in sim.alerts("dyeing", t) if a.enterprise}
    fresh = {a.id for a in Simulator(seed=13).alerts("dyeing", t + 30_000) if a.enterprise}
    later = {a.id for a in sim.alerts("dyeing", t + 30_000) if a.enterprise}
    assert later == fresh
    assert first.keys() & later  # still the same episodes 30 s later
    for aid in first.keys() & later:
        start = first[aid].ts
        code, col = aid.split(":")[:2]
        i = sim.firms.registry.get(code).index  # type: ignore[union-attr]
        before = sim.firms.intensity("dyeing", col, start - 10_000)[i]
        assert not before > next(it.limit for it in INTENSITIES["dyeing"] if it.column == col)  # type: ignore[operator]


def test_city_alert_count_includes_the_enterprises(sim: Simulator) -> None:
    for t in _enterprise_alert_times(sim)[:4]:
        sec = t + 3000
        total = sum(len(sim.snapshot(b, sec).alerts) for b in sim.brain_ids)
        assert sim.value("city.alerts", sec) == total
        assert sim.values("city.alerts", [sec])[0] == total  # the series path agrees
        district_alerts = sum(r.values["alerts"] or 0 for r in sim.panels.panel("city", "districts", t).rows)
        assert district_alerts == sum(1 for b in ("dyeing", "wine") for a in sim.alerts(b, t) if a.enterprise)


# ---- chains --------------------------------------------------------------------------------------


@pytest.mark.parametrize("brain", ["ic", "pharma"])
def test_chain_counts_are_the_enterprises_on_each_link(sim: Simulator, brain: str) -> None:
    chain = sim.chain(brain, NOW)
    assert chain is not None and chain.brain == brain
    on_link = Counter(e.link for e in sim.firms.registry.of(brain))
    links = [ln for st in chain.stages for ln in st.links]
    assert sum(ln.enterprises for ln in links) == len(sim.firms.registry.of(brain))
    for ln in links:
        assert ln.enterprises == on_link.get(ln.id, 0), ln.id
        assert (ln.strength == "missing") == (ln.enterprises == 0)
        assert (ln.output is None) == (ln.enterprises == 0)
    strengths = Counter(ln.strength for ln in links)
    assert strengths["missing"] >= 1 and strengths["weak"] >= 2 and strengths["strong"] >= 5
    assert {g.link for g in chain.gaps} == {ln.id for ln in links if ln.strength != "strong"}
    for g in chain.gaps:
        ln = next(x for x in links if x.id == g.link)
        assert ln.name.zh in g.reason.zh
        if ln.enterprises:
            assert f"仅{ln.enterprises}家企业" in g.reason.zh
    assert sum(ln.output or 0 for ln in links) == pytest.approx({"ic": 1003.3, "pharma": 356.0}[brain], abs=0.2)
    anchors = {a.zh for ln in links for a in ln.anchors}
    assert {"ic": "长电绍兴", "pharma": "浙江医药"}[brain] in anchors
    assert sim.chain("dyeing", NOW) is None and sim.chain("city", NOW) is None


def test_ic_chain_stages() -> None:
    stages = [s.zh for s in CHAINS["ic"]]
    assert stages == ["设计", "制造", "封装测试", "设备", "材料", "应用"]
    fab = [ln.zh for ln in CHAINS["ic"][1].links]
    assert "8英寸晶圆制造" in fab and "12英寸晶圆制造" in fab


# ---- search and profile ------------------------------------------------------------------------


def test_search_by_name_part_code_prefix_and_brain(sim: Simulator) -> None:
    reg = sim.firms.registry
    e = reg.of("wine")[7]
    hit = sim.search(e.trade_zh, None, 50, NOW)
    assert e.code in [i.code for i in hit.items] and hit.total == len(hit.items)
    assert all(e.trade_zh in i.name.zh or e.trade_en.lower() in i.name.en.lower() for i in hit.items)
    en = sim.search(e.trade_en.upper(), None, 50, NOW)  # English, any case
    assert e.code in [i.code for i in en.items]
    pre = sim.search(e.code[:12].lower(), None, 50, NOW)
    assert pre.items[0].code == e.code and all(i.code.startswith(e.code[:12]) for i in pre.items)
    assert sim.search(e.code, None, 50, NOW).total == 1
    dye = sim.search("印染", "dyeing", 5, NOW)
    assert dye.total > 20 and len(dye.items) == 5 and all(i.brain == "dyeing" for i in dye.items)
    assert sim.search("", None, 500, NOW).total == 509 and sim.search("", "city", 50, NOW).total == 0
    assert sim.search("no such firm", None, 50, NOW).total == 0
    item = sim.search(e.code, None, 1, NOW).items[0]
    assert item.district == e.district and item.district_name.zh == BY_ID[e.district].zh
    assert item.status == sim.firms.status_of(e, NOW)


def test_profile_is_the_enterprise_live(sim: Simulator) -> None:
    for brain in ENTERPRISE_BRAINS:
        e = sorted(sim.firms.registry.of(brain), key=lambda x: -x.weight)[3]
        p = sim.enterprise(e.code, NOW + 4321)
        assert p is not None and p.code == e.code and p.brain == brain and p.chain_link == e.link
        assert [s.id for s in p.sections] == ["production", "operation", "logistics", "finance", "credit"]
        row = rows(sim, brain, NOW)[e.code]
        prod = {f.key: f.value for f in p.sections[0].fields}
        for c in COLUMNS[brain]:
            want = row[c.key]
            assert prod[c.key] == (None if want is None else round(want, c.precision)), (brain, c.key)
        credit = {f.key: f for f in p.sections[4].fields}
        assert credit["rating"].text is not None and credit["rating"].text.zh in ("AAA", "AA", "A", "BBB")
        assert credit["dishonest"].value == 0
        # the 亩均 class is the 亩均 screen's (cockpit.central.muni): the benefit only for class A
        assert credit["mu_class"].text is not None and credit["mu_class"].text.zh[1] == "类"
        for b in p.benefits:
            if b.id == "mu_efficiency_a":
                assert credit["mu_class"].text.zh.startswith("A类")
                assert credit["mu_class"].text.zh.split("亩均税收")[1][:5] in b.basis.zh
            if b.id == "tech_upgrade_grant":
                invest = float(re.search(r"投入(\d+)万元", b.basis.zh).group(1))  # type: ignore[union-attr]
                assert invest >= 500 and b.amount == pytest.approx(min(invest * 0.1, 500), abs=0.6)
    assert sim.enterprise(uscc.make("330603", "12345678"), NOW) is None
    ids = {b.id for e in sim.firms.registry.of("ic")[:40] for b in sim.enterprise(e.code, NOW).benefits}  # type: ignore[union-attr]
    assert {"high_tech_tax", "rnd_super_deduction"} <= ids


# ---- batches -----------------------------------------------------------------------------------


def _runs(flags: list[bool]) -> int:
    best = run = 0
    for f in flags:
        run = run + 1 if f else 0
        best = max(best, run)
    return best


def test_batch_verdicts_follow_from_the_records(sim: Simulator) -> None:
    """The verdict rests on the brewing record, the continuous storage record, the blend's
    weighted age and the vintage's mass balance; temperature is shown, never a veto (#11)."""
    panel = sim.panels.panel("wine", "batches", tick_of(NOW, 3600))
    verdicts = Counter()
    blend_kind = balance_kind = False
    for r in panel.rows:
        b = sim.batch(r.key, NOW)
        assert b is not None and b.batch_no == r.key and b.producer.code == r.code
        verdicts[b.verdict] += 1
        assert r.values["labelled_age"] == b.labelled_age_years and r.values["recorded_age"] == b.recorded_age_years
        assert r.values["consistent"] == {"consistent": 1, "inconsistent": 0, "unverifiable": None}[b.verdict]
        assert b.brewed_on < b.stored_since < (b.bottled_on or 0) < NOW
        brewed = dt.datetime.fromtimestamp(b.brewed_on / 1000, LOCAL).date()
        year = int(b.batch_no.split("-")[1])
        assert lidong(year) <= brewed < lichun(year + 1)  # brewed in that winter season
        temps = [p.temp_c for p in b.storage]
        months = [dt.datetime.fromtimestamp(p.ts / 1000, LOCAL).date() for p in b.storage]
        assert all(m.day == 1 for m in months) and months == sorted(months)
        checks = {c.id: c for c in b.checks}
        assert checks["temperature" if b.verdict != "unverifiable" else "storage"]
        assert all(c.result == "info" for c in b.checks if c.id in ("temperature", "standard"))
        assert "GB/T 13662-2018" in checks["standard"].detail.zh
        assert b.blend[0].vintage == year and sum(p.share_pct for p in b.blend) == pytest.approx(100, abs=0.2)
        if b.verdict == "unverifiable":
            assert b.recorded_age_years is None and _runs([t is None for t in temps]) >= 6
            assert f"共{_runs([t is None for t in temps])}个月" in b.reasons[0].zh
            assert checks["storage"].result == "unknown"
            continue
        assert None not in temps
        weighted = sum(p.share_pct / 100 * p.age_years for p in b.blend)
        assert b.recorded_age_years == pytest.approx(weighted, abs=0.11)  # parts are rounded
        failed = {c.id for c in b.checks if c.result == "fail"}
        assert failed <= {"blend", "balance"}
        assert (b.verdict == "inconsistent") == bool(failed)
        assert ("blend" in failed) == (b.recorded_age_years < b.labelled_age_years)  # type: ignore[operator]
        if "blend" in failed:
            blend_kind = True
            assert f"加权平均酒龄{b.recorded_age_years:.1f}年，少于标注的{b.labelled_age_years}年" in b.reasons[0].zh
        if "balance" in failed:
            balance_kind = True
            assert "多于该年份库存所能支撑" in checks["balance"].detail.zh
    assert verdicts == {"consistent": 5, "inconsistent": 4, "unverifiable": 3}
    assert blend_kind and balance_kind


def test_the_sample_batch_passes_for_the_right_reasons() -> None:
    """HJ034-2008-018 (README, screenshots; the cockpit's default seed) is consistent although
    its cellar was above 20 °C for whole summers: heat is evidence, the age rests on the records."""
    b = Simulator(seed=20261127).batch("HJ034-2008-018", NOW)
    assert b is not None and b.verdict == "consistent"
    assert sum(1 for p in b.storage if (p.temp_c or 0) > 20) >= 3
    assert {c.id: c.result for c in b.checks} == {"brewing": "pass", "storage": "pass", "blend": "pass",
                                                  "balance": "pass", "temperature": "info", "standard": "info"}
    assert (b.recorded_age_years or 0) >= b.labelled_age_years


def test_batch_numbers_parse_and_unknown_ones_are_none(sim: Simulator) -> None:
    assert parse(" hj007-2012-015 ") == (7, 2012, 15)
    for bad in ("HJ7", "", "HJ007_2012_015", "批次1234", "-HJ007-2012-015", "X" * 33):  # no batch number at all
        with pytest.raises(MalformedBatch, match="HJ007-2012-015"):
            sim.batch(bad, NOW)
    for other in ("HJ7-2012-15", "HJ007-12-015", "XX007-2012-015", "HJ-0000-0000"):  # another scheme: unknown
        assert parse(other) is None and sim.batch(other, NOW) is None
    assert sim.batch("HJ999-2012-001", NOW) is None  # no producer 999
    assert sim.batch("HJ001-1999-001", NOW) is None  # before 2000
    assert sim.batch("HJ001-2015-999", NOW) is None  # no such serial
    no = sim.panels.panel("wine", "batches", tick_of(NOW, 3600)).rows[0].key
    assert Simulator(seed=13).batch(no, NOW) == sim.batch(no, NOW)  # deterministic


# ---- panels ------------------------------------------------------------------------------------


def test_every_brain_sends_its_panels(sim: Simulator) -> None:
    want = {
        "city": ["districts", "transition", "clusters", "framework", "double_ten"],
        "dyeing": ["enterprises"], "textile": ["enterprises"],
        "wine": ["enterprises", "vintage_stock", "tanks", "season", "batches"],
        "ic": ["enterprises", "output_path"], "pharma": ["enterprises", "by_type", "approvals"],
        "muni": ["muni_brains", "muni_districts", "muni_firms", "muni_energy", "muni_classes"],
    }
    for brain, ids in want.items():
        snap = sim.snapshot(brain, NOW + 1234)
        assert list(snap.panels) == ids
        for pid, p in snap.panels.items():
            assert p.cadence_s == CADENCE[brain][pid] and p.ts == tick_of(NOW + 1234, CADENCE[brain][pid])
            assert p.source is not None and p.rows
        if brain in COLUMNS:
            ent = snap.panels["enterprises"]
            assert [c.key for c in ent.columns] == [c.key for c in COLUMNS[brain]]
            assert all(r.code == r.key and r.district and r.status for r in ent.rows)
    dye = sim.snapshot("dyeing", NOW).panels["enterprises"]
    assert [c.key for c in dye.columns] == ["output_today", "water_per_100m", "energy_per_100m", "cod", "run_rate"]


def test_city_panels(sim: Simulator) -> None:
    snap = sim.snapshot("city", NOW)
    d = snap.panels["districts"]
    assert [r.key for r in d.rows] == [x.id for x in DISTRICTS]
    assert [r.key for r in d.rows] == ["yuecheng", "keqiao", "shangyu", "zhuji", "shengzhou", "xinchang"]
    assert math.fsum(r.values["output_mtd"] or 0 for r in d.rows) == pytest.approx(
        round(sim.value("city.iva_mtd", d.ts) * 4.0, 2), abs=1e-6)
    assert math.fsum(r.values["power_today"] or 0 for r in d.rows) == pytest.approx(
        sim.value("city.power_today", d.ts), abs=1e-6)
    keqiao = next(r for r in d.rows if r.key == "keqiao")
    assert keqiao.values["output_mtd"] == max(r.values["output_mtd"] for r in d.rows)  # type: ignore[type-var]
    assert sum(r.values["enterprises"] or 0 for r in d.rows) == 509
    t = snap.panels["transition"]
    assert [r.key for r in t.rows] == [str(y) for y in range(2015, 2027)]
    first, last = t.rows[0].values, t.rows[-1].values
    assert first["three_vats"] > last["three_vats"] and first["three_pieces"] < last["three_pieces"]  # type: ignore[operator]
    assert "模拟" in t.source.zh  # type: ignore[union-attr]
    c = {r.key: r for r in snap.panels["clusters"].rows}
    assert c["ic"].values["output"] == round(sim.value("ic.output_ytd", snap.panels["clusters"].ts), 1)
    # 三缸, 三片 and the rest are shares of ALL 规上 output (#11)
    assert all(abs(sum(r.values.values()) - 100) < 0.05 for r in t.rows)  # type: ignore[arg-type]
    assert (last["three_pieces"] or 0) < 50
    # 上虞 (its published share of 规上 value added) is not ranked below 越城 on industrial output
    out = {r.key: r.values["output_mtd"] or 0 for r in d.rows}
    assert out["shangyu"] > out["yuecheng"]
    # the framework and the clusters agree (the same industry levels)
    f = {r.key: r for r in snap.panels["framework"].rows}
    assert f["electronics"].values["output_ytd"] == c["ic"].values["output"] and f["electronics"].brain == "ic"
    assert c["chemicals"].values["output"] > 250  # 上虞's fluoro/fine chemicals alone >250亿 a year (§2)
    assert c["dyeing"].values["enterprises"] == 109 and c["pharma"].values["enterprises"] == 365


def test_wine_panels(sim: Simulator) -> None:
    snap = sim.snapshot("wine", NOW)
    v = snap.panels["vintage_stock"]
    assert [r.key for r in v.rows][:2] == ["2025", "2024"] and len(v.rows) == 30  # pressed at 立春 2026
    assert math.fsum(r.values["stock"] or 0 for r in v.rows) == pytest.approx(sim.value("wine.base_stock", v.ts))
    tanks = snap.panels["tanks"]
    assert len(tanks.rows) == 24 and tanks.rows[0].name.zh == "1号罐"
    on = [r for r in tanks.rows if r.values["day"] is not None]
    assert 15 <= len(on) < 24 and all(1 <= (r.values["day"] or 0) <= 5 for r in on)
    assert np.mean([r.values["temp"] for r in on]) == pytest.approx(sim.value("wine.ferment_temp", tanks.ts), abs=0.06)
    (s,) = snap.panels["season"].rows
    assert s.name.zh == "2026–27 冬酿季（立冬 11-07 → 立春 02-04）"
    assert s.values == {"day": 19.0, "length": 89.0, "progress": round(100 * 19 / 89, 1), "days_to_start": None}
    summer = sim.panels.panel("wine", "season", tick_of(NOW - 150 * 86_400_000, 3600)).rows[0]
    assert summer.values["day"] is None and summer.values["progress"] is None
    assert summer.values["days_to_start"] is not None and summer.values["days_to_start"] > 100


def test_ic_and_pharma_panels(sim: Simulator) -> None:
    ic = sim.snapshot("ic", NOW).panels["output_path"]
    path = {r.key: r.values for r in ic.rows}
    assert list(path) == [str(y) for y in range(2018, 2027)]
    assert path["2021"]["output"] == 400 and path["2025"]["output"] == 1003.3
    assert path["2020"]["output"] == 300  # the seed's figure, a parameter and labelled so
    names = {r.key: r.name.zh for r in ic.rows}
    assert "参数" in names["2020"] and names["2026"].startswith("2026年至")  # year to date, said so
    assert all(path[y]["output"] is None for y in ("2018", "2019", "2022", "2023", "2024"))
    assert path["2026"]["output"] == sim.value("ic.output_ytd", ic.ts)
    # late November: year to date of 1003.3 × 1.18 a year, i.e. above 2025's pace, consistent with +18 %
    assert 0.85 * 1003.3 * 1.18 < (path["2026"]["output"] or 0) < 0.95 * 1003.3 * 1.18
    assert path["2022"]["plan"] == 200 and path["2025"]["plan"] == 500
    assert ic.targets == {"output": round(1003.3 * 1.18, 1)}
    assert "1003.3" in ic.source.zh and "非全年" in ic.source.zh  # type: ignore[union-attr]
    pharma = sim.snapshot("pharma", NOW)
    by = {r.key: r.values for r in pharma.panels["by_type"].rows}
    assert {k: by[k]["firms"] for k in ("chem", "tcm", "bio", "api", "devices")} == \
        {"chem": 55, "tcm": 26, "bio": 9, "api": 41, "devices": 215}
    assert sum(v["connected"] or 0 for v in by.values()) == 100
    ap = {r.key: r.values["approvals"] for r in pharma.panels["approvals"].rows}
    assert sum(ap[str(y)] or 0 for y in range(2019, 2024)) == 86
    assert ap["2026"] == sim.value("pharma.approvals_ytd", pharma.panels["approvals"].ts)


def test_panels_are_built_once_per_tick(sim: Simulator) -> None:
    a = sim.snapshot("dyeing", NOW + 1000).panels["enterprises"]
    b = sim.snapshot("dyeing", NOW + 9000).panels["enterprises"]
    c = sim.snapshot("dyeing", NOW + 10_000).panels["enterprises"]
    assert a is b and c.ts == a.ts + 10_000


def test_year_and_month_counters_are_sums_of_days(sim: Simulator) -> None:
    jan2 = int(dt.datetime(2026, 1, 2, 12, tzinfo=LOCAL).timestamp() * 1000)
    assert sim.value("ic.output_ytd", jan2) == pytest.approx(
        sim.value("ic.output_mtd", jan2), abs=1e-3)  # in January the year is the month
    nov1 = int(dt.datetime(2026, 11, 1, tzinfo=LOCAL).timestamp() * 1000)
    assert sim.value("ic.output_ytd", nov1 + 5000) == pytest.approx(
        sum(sim.value("ic.output_mtd", int(dt.datetime(2026, m + 1, 1, tzinfo=LOCAL).timestamp() * 1000) - 1)
            for m in range(1, 11)), abs=0.01)
    # wine.sales_mtd is the month's sales_today days
    days = [int(dt.datetime(2026, 11, d, tzinfo=LOCAL).timestamp() * 1000) for d in range(2, 26)]
    assert sim.value("wine.sales_mtd", days[-1] - 1) == pytest.approx(
        sum(sim.value("wine.sales_today", t - 1) for t in days), abs=0.05)
    ts = np.arange(NOW - 2 * DAY_S * 1000, NOW, 60_000)
    assert np.all(np.diff(sim.values("ic.output_ytd", ts)) >= 0)  # through a midnight too


def test_same_seed_same_snapshots_other_seed_other_panels() -> None:
    a, b, c = Simulator(seed=31), Simulator(seed=31), Simulator(seed=32)
    for brain in ("city", "dyeing", "wine", "ic", "pharma", "textile"):
        sa, sb = a.snapshot(brain, NOW + 777), b.snapshot(brain, NOW + 777)
        assert sa.model_dump_json() == sb.model_dump_json(), brain
        assert sa.panels != c.snapshot(brain, NOW + 777).panels, brain
    assert a.chain("ic", NOW) == b.chain("ic", NOW)
    code = a.firms.registry.of("wine")[5].code
    assert a.enterprise(code, NOW) == b.enterprise(code, NOW) and c.enterprise(code, NOW) is None


def test_the_samples_in_the_api_docs_are_true() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "API.md").read_text(encoding="utf-8")
    sim = Simulator(seed=0)  # the documented default
    section = doc[doc.index("## Samples"):doc.index("## How the cockpit")]
    batches = 0
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) < 2:
            continue
        if cells[0].startswith(("consistent", "inconsistent", "unverifiable")):
            verdict = cells[0].split()[0]
            for no in re.findall(r"`(HJ\d{3}-\d{4}-\d{3})`", cells[1]):
                b = sim.batch(no, NOW)
                assert b is not None and b.verdict == verdict, no
                batches += 1
        m = re.fullmatch(r"`([0-9A-Z]{18})`", cells[1]) if cells[0] in ENTERPRISE_BRAINS else None
        if m:
            e = sim.firms.registry.get(m.group(1))
            assert e is not None and e.brain == cells[0] and cells[2].startswith(e.name.zh), cells
    assert batches == 12
    assert set(sim.panels.batches.samples()) == set(re.findall(r"`(HJ\d{3}-\d{4}-\d{3})`", section))
