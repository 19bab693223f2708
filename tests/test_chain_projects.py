"""建链补链强链 (#11 §1): investment projects per chain link (招引 / 签约 / 在建 / 投产), the
targets to attract for each gap and the local supply share (本地配套率), from the reference
server to the ``projects`` panel."""

from __future__ import annotations

import datetime as dt

import pytest
import requests
from pydantic import ValidationError

from cockpit.api.schema import Chain
from cockpit.central import figures as F
from cockpit.central import projects as P
from cockpit.central.runner import EmbeddedServer
from cockpit.central.server import create_app
from cockpit.central.simulator import Simulator
from cockpit.ui.projects_view import ProjectsView, stage_totals
from widgets.state import DataState

NOW = int(dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC).timestamp() * 1000)


def _chain(brain: str = "ic") -> Chain:
    c = Simulator(0).chain(brain, NOW)
    assert c is not None
    return Chain.model_validate_json(c.model_dump_json())  # as a client reads it


def test_reference_server_sends_projects_targets_and_local_supply() -> None:
    with EmbeddedServer(create_app(Simulator(0), clock=lambda: NOW)) as srv:
        r = requests.get(srv.url + "/api/v1/brains/ic/chain", timeout=10)
    assert r.status_code == 200
    chain = Chain.model_validate_json(r.content)
    links = {ln.id: ln for st in chain.stages for ln in st.links}
    # the published projects carry the table's numbers and are not marked simulated
    smec = next(p for p in chain.projects if p.id == "ic_smec_8in")
    binhai = next(p for p in chain.projects if p.id == "ic_binhai_12in_p1")
    assert (smec.stage, smec.investment, smec.simulated) == ("producing", F.FIGURES["SMEC_INVEST"].value, False)
    assert (binhai.stage, binhai.investment, binhai.expected_output) == ("building", 180.0, 90.0)
    assert sum(p.simulated for p in chain.projects) == len(chain.projects) - 2
    # every gap says what to attract, and its projects are still being courted or signed
    assert chain.gaps and all(g.targets for g in chain.gaps)
    gap_links = {g.link for g in chain.gaps}
    for p in chain.projects:
        if p.link in gap_links and p.simulated:
            assert p.stage in ("attracting", "signed"), p
    assert {"ic_eda", "ic_mat_resist"} <= {p.link for p in chain.projects if p.stage == "attracting"}
    # 本地配套率: nothing local without a firm, more on strong links than on weak ones
    assert all(ln.local_supply_pct is not None for ln in links.values())
    assert links["ic_eda"].local_supply_pct == 0 and links["ic_mat_resist"].local_supply_pct == 0
    weak = [ln.local_supply_pct for ln in links.values() if ln.strength == "weak"]
    strong = [ln.local_supply_pct for ln in links.values() if ln.strength == "strong"]
    assert max(weak) < min(strong)
    assert chain.local_supply_pct == pytest.approx(sum(ln.local_supply_pct for ln in links.values()) / len(links),
                                                   abs=0.05)


def test_project_magnitudes_are_registered() -> None:
    """The projects' magnitudes are in the citation registry (test_figures checks the rows)."""
    assert {"SMEC_INVEST", "BINHAI_PHASE1_INVEST", "BINHAI_FULL_OUTPUT"} <= set(F.FIGURES)
    assert {"PROJECT_INVEST_YI", "PROJECT_OUTPUT_PER_INVEST", "LOCAL_SUPPLY_STRONG"} <= set(F.PARAMETERS)
    assert P.BINHAI_PHASE1_INVEST == 180


def test_contract_rejects_a_project_on_an_unknown_link_and_reads_old_chains() -> None:
    data = _chain().model_dump()
    old = {k: v for k, v in data.items() if k not in ("projects", "local_supply_pct")}
    assert Chain.model_validate(old).projects == []  # an older server omits them
    bad = dict(data, projects=[dict(data["projects"][0], link="no_such_link")])
    with pytest.raises(ValidationError, match="unknown link"):
        Chain.model_validate(bad)
    neg = dict(data, projects=[dict(data["projects"][0], investment=-1)])
    with pytest.raises(ValidationError):
        Chain.model_validate(neg)
    twice = dict(data, projects=[data["projects"][0], data["projects"][0]])
    with pytest.raises(ValidationError, match="twice"):
        Chain.model_validate(twice)


@pytest.mark.parametrize("brain", ["ic", "pharma"])
def test_projects_view_shows_stages_local_supply_and_gap_targets(qtbot, brain) -> None:  # noqa: ANN001
    chain = _chain(brain)
    w = ProjectsView("zh", "招引与落地项目")
    qtbot.addWidget(w)
    w.resize(620, 640)
    w.show()
    w.set_chain(chain)
    w.set_state(DataState.LIVE, "")
    totals = stage_totals(chain.projects)
    chips = w.stage_texts()
    assert [c.split(" ")[0] for c in chips] == ["招引", "签约", "在建", "投产"]
    for chip, st in zip(chips, ("attracting", "signed", "building", "producing"), strict=True):
        n, inv, _ = totals[st]
        assert f"{n}项" in chip and f"{inv:,.1f} 亿元" in chip, chip
    table = w.table_texts()
    assert [r[0] for r in table[1:]] == [st.name.zh for st in chain.stages]
    assert sum(float(r[3].replace(",", "")) for r in table[1:]) == pytest.approx(
        sum(p.investment for p in chain.projects), abs=0.1 * len(chain.stages))
    assert f"全链本地配套率 {chain.local_supply_pct:.1f}%" in w.local.text()
    gaps = w.gap_texts()
    assert len(gaps) == len(chain.gaps)
    first = chain.gaps[0]
    assert first.targets[0].zh in next(t for t in gaps if t.startswith(
        next(ln.name.zh for st in chain.stages for ln in st.links if ln.id == first.link)))
    assert "模拟项目" in w.note.text()  # simulated projects are said to be simulated, on screen
    # nothing cut: every table cell and stage chip is as wide as its text
    for row in w.cells:
        for lab in row:
            if lab.isVisible():
                widest = max(lab.fontMetrics().horizontalAdvance(t) for t in lab.text().split("\n"))
                assert lab.width() >= widest, (lab.text(), lab.width(), widest)
    for chip in w.stages:
        assert chip.width() >= max(chip.fontMetrics().horizontalAdvance(t) for t in chip.text().split("\n"))
    assert w.px >= 12


def test_a_chain_without_projects_shows_dashes_not_zeros(qtbot) -> None:  # noqa: ANN001
    """An older platform sends the chain without projects or 本地配套率: the panel says so."""
    data = _chain().model_dump()
    data["projects"], data["local_supply_pct"] = [], None
    for st in data["stages"]:
        for ln in st["links"]:
            ln["local_supply_pct"] = None
    w = ProjectsView("zh")
    qtbot.addWidget(w)
    w.resize(620, 640)
    w.show()
    w.set_chain(Chain.model_validate(data))
    assert w.local.text() == "接口未提供招引项目与本地配套率"
    assert all(c.endswith("—") and "0项" not in c for c in w.stage_texts())
    assert all(r[1:] == ["—"] * 4 for r in w.table_texts()[1:])
