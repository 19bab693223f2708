"""Drill-down views of the simulator (:mod:`cockpit.api.drill`): a district, an industry in a
district, a chain link — all from the same panels, enterprises and alerts the snapshots
carry, so a drilled figure equals the overview's (the district's figures are its row of
the city's ``districts`` panel; an industry's sums are sums of its ``enterprises`` panel).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cockpit.api.drill import BrainInDistrict, ChainLinkView, ClusterView, DistrictView
from cockpit.api.schema import Alert, DataPanel, Names, ProfileField
from cockpit.central.panels import COLUMNS
from cockpit.central.places import BY_ID as DISTRICTS_BY_ID

if TYPE_CHECKING:
    from cockpit.central.simulator import Simulator

__all__ = ["INDUSTRY_BRAINS", "chain_link_view", "cluster_view", "district_view"]

#: the brains whose enterprises sit in districts (each is an industry a district can hold)
INDUSTRY_BRAINS: tuple[str, ...] = tuple(COLUMNS)


def _enterprise_panel(sim: Simulator, brain: str, now_ms: int) -> DataPanel:
    return sim.panels.at(brain, now_ms)["enterprises"]


def _district_alerts(sim: Simulator, brain: str, district: str, now_ms: int) -> list[Alert]:
    reg = sim.firms.registry
    out = []
    for a in sim.firms.alerts(brain, now_ms):
        e = reg.get(a.enterprise) if a.enterprise else None
        if e is not None and e.district == district:
            out.append(a)
    return out


def _sums(sim: Simulator, brain: str, district: str, now_ms: int) -> tuple[int, int, float | None, float | None]:
    """(enterprises, running, leading figure summed, its % of the city total) of ``brain`` in ``district``."""
    panel = _enterprise_panel(sim, brain, now_ms)
    key = COLUMNS[brain][0].key
    rows = [r for r in panel.rows if r.district == district]
    running = sum(1 for r in rows if r.status == "running")
    here = [r.values.get(key) for r in rows]
    every = [r.values.get(key) for r in panel.rows]
    value = sum(v for v in here if v is not None) if any(v is not None for v in here) else None
    total = sum(v for v in every if v is not None)
    share = round(value / total * 100, 1) if value is not None and total > 0 else None
    prec = COLUMNS[brain][0].precision
    return len(rows), running, (round(value, prec) if value is not None else None), share


def district_view(sim: Simulator, district: str, now_ms: int, limit: int = 100) -> DistrictView | None:
    """The district ``district`` (None: no such district)."""
    d = DISTRICTS_BY_ID.get(district)
    if d is None:
        return None
    panel = sim.panels.at("city", now_ms)["districts"]
    row = next((r for r in panel.rows if r.key == district), None)
    figures = []
    if row is not None:
        for c in panel.columns:
            figures.append(ProfileField(key=c.key, name=c.name, value=row.values.get(c.key), unit=c.unit,
                                        precision=c.precision, ts=panel.ts))
    brains = []
    alerts: list[Alert] = []
    for b in INDUSTRY_BRAINS:
        n, running, value, share = _sums(sim, b, district, now_ms)
        if n == 0:
            continue
        here = _district_alerts(sim, b, district, now_ms)
        alerts.extend(here)
        col = COLUMNS[b][0]
        brain = sim.brain(b)
        assert brain is not None
        brains.append(BrainInDistrict(brain=b, name=brain.name, enterprises=n, running=running, figure=col.name,
                                      value=value, unit=col.unit, precision=col.precision, share=share,
                                      alerts=len(here)))
    firms = [e for e in sim.firms.registry if e.district == district]
    firms.sort(key=lambda e: (-e.weight * _brain_size(b := e.brain), b, e.index))
    alerts.sort(key=lambda a: a.ts, reverse=True)
    return DistrictView(id=d.id, name=d.names, ts=now_ms, figures=figures, brains=brains, total=len(firms),
                        enterprises=[sim.firms.summary(e, now_ms) for e in firms[:limit]], alerts=alerts,
                        source=panel.source)


def _brain_size(brain: str) -> float:
    """A brain's yearly output (亿元, its industry's size), to list a district's largest firms first."""
    from cockpit.central import industries as I

    ind = {"dyeing": I.DYEING, "textile": I.TEXTILE, "wine": I.WINE, "ic": I.ELECTRONICS, "pharma": I.PHARMA}.get(brain)
    return ind.output if ind is not None else 100.0


def cluster_view(sim: Simulator, district: str, brain: str, now_ms: int) -> ClusterView | None:
    """The industry of ``brain`` in ``district`` (None: unknown district, or a brain without
    enterprises)."""
    d = DISTRICTS_BY_ID.get(district)
    b = sim.brain(brain)
    if d is None or b is None or brain not in INDUSTRY_BRAINS:
        return None
    panel = _enterprise_panel(sim, brain, now_ms)
    rows = [r for r in panel.rows if r.district == district]
    lead = COLUMNS[brain][0]
    rows.sort(key=lambda r: -(r.values.get(lead.key) or 0.0))
    n, running, value, share = _sums(sim, brain, district, now_ms)
    alerts = _district_alerts(sim, brain, district, now_ms)
    firms_u = Names(zh="家", en="firms")
    figures = [
        ProfileField(key="enterprises", name=Names(zh="企业数", en="Enterprises"), value=float(n), unit=firms_u,
                     precision=0, ts=panel.ts),
        ProfileField(key="running", name=Names(zh="在产企业", en="Running"), value=float(running), unit=firms_u,
                     precision=0, ts=panel.ts),
        ProfileField(key=lead.key, name=lead.name, value=value, unit=lead.unit, precision=lead.precision, ts=panel.ts),
        ProfileField(key="share", name=Names(zh="占全市比重", en="Share of the city"), value=share,
                     unit=Names(zh="%", en="%"), precision=1, ts=panel.ts),
        ProfileField(key="alerts", name=Names(zh="企业告警", en="Enterprise alerts"), value=float(len(alerts)),
                     unit=Names(zh="条", en="alerts"), precision=0, ts=panel.ts),
    ]
    title = Names(zh=f"{d.zh} · {panel.title.zh}", en=f"{d.en} · {panel.title.en}")
    sub = panel.model_copy(update={"rows": rows, "title": title})
    return ClusterView(district=d.id, district_name=d.names, brain=brain, name=b.name, ts=now_ms, figures=figures,
                       enterprises=sub, alerts=alerts)


def chain_link_view(sim: Simulator, brain: str, link: str, now_ms: int) -> ChainLinkView | None:
    """The link ``link`` of ``brain``'s chain (None: no chain, or no such link)."""
    chain = sim.chain(brain, now_ms)
    if chain is None:
        return None
    for st in chain.stages:
        for ln in st.links:
            if ln.id == link:
                gap = next((g.reason for g in chain.gaps if g.link == link), None)
                firms = [e for e in sim.firms.registry.of(brain) if e.link == link]
                firms.sort(key=lambda e: (-e.weight, e.index))
                return ChainLinkView(brain=brain, ts=now_ms, chain=chain.title, stage=st.name, link=ln, gap=gap,
                                     enterprises=[sim.firms.summary(e, now_ms) for e in firms])
    return None
