"""Drill-down endpoints (districts, an industry in a district, a chain link) over real HTTP on
loopback, read by the real client; the figures agree with the overview's panels."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from cockpit.api.client import ApiClient, ClientConfig, HttpError
from cockpit.api.drill import ChainLinkView, ClusterView, DistrictView
from cockpit.api.schema import Chain, ErrorBody, Snapshot
from cockpit.central.runner import EmbeddedServer
from cockpit.central.server import create_app
from cockpit.central.simulator import Simulator

SEED = 21
PINNED = 1_795_586_405_000  # 2026-11-25 14:00:05 local
SIM = Simulator(SEED)


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer(create_app(SIM, clock=lambda: PINNED)) as srv:
        yield srv


@pytest.fixture(scope="module")
def client(server: EmbeddedServer) -> Iterator[ApiClient]:
    c = ApiClient(ClientConfig(server.url, retries=0))
    yield c
    c.close()


def get(srv: EmbeddedServer, path: str) -> requests.Response:
    return requests.get(srv.url + path, timeout=10)


def error(r: requests.Response, status: int) -> ErrorBody:
    assert r.status_code == status, r.text
    return ErrorBody.model_validate_json(r.content)


def test_district_figures_are_its_row_of_the_city_overview(server: EmbeddedServer, client: ApiClient) -> None:
    city = Snapshot.model_validate_json(get(server, "/api/v1/brains/city/snapshot").content)
    panel = city.panels["districts"]
    for row in panel.rows:
        view = client.district(row.key)
        assert view.name == row.name
        assert {f.key: f.value for f in view.figures} == row.values
        # the enterprises there: as many as the overview counts, largest list capped by limit
        assert view.total == row.values["enterprises"]
        assert len(view.enterprises) == min(view.total, 100)
        assert all(e.district == row.key for e in view.enterprises)
        assert sum(b.enterprises for b in view.brains) == view.total
        assert len(view.alerts) == row.values["alerts"] == sum(b.alerts for b in view.brains)
        assert all(a.district == row.name for a in view.alerts)
    assert len(client.district("keqiao", limit=500).enterprises) == client.district("keqiao").total


def test_a_district_industry_sums_the_brain_panel(server: EmbeddedServer, client: ApiClient) -> None:
    snap = Snapshot.model_validate_json(get(server, "/api/v1/brains/dyeing/snapshot").content)
    rows = [r for r in snap.panels["enterprises"].rows if r.district == "keqiao"]
    view = client.district_cluster("keqiao", "dyeing")
    assert isinstance(view, ClusterView)
    assert {r.key for r in view.enterprises.rows} == {r.key for r in rows}
    assert [c.key for c in view.enterprises.columns] == [c.key for c in snap.panels["enterprises"].columns]
    figs = {f.key: f.value for f in view.figures}
    assert figs["enterprises"] == len(rows)
    assert figs["running"] == sum(r.status == "running" for r in rows)
    assert figs["output_today"] == pytest.approx(sum(r.values["output_today"] or 0 for r in rows), abs=0.06)
    firsts = [r.values["output_today"] for r in view.enterprises.rows]
    assert firsts == sorted(firsts, reverse=True)
    # the district view's per-brain line says the same
    line = next(b for b in client.district("keqiao").brains if b.brain == "dyeing")
    assert (line.enterprises, line.running, line.value) == (figs["enterprises"], figs["running"], figs["output_today"])


def test_a_chain_link_lists_its_enterprises_and_gap_reason(server: EmbeddedServer, client: ApiClient) -> None:
    chain = Chain.model_validate_json(get(server, "/api/v1/brains/ic/chain").content)
    gaps = {g.link: g.reason for g in chain.gaps}
    seen_gap = seen_strong = False
    for st in chain.stages:
        for ln in st.links:
            view = client.chain_link("ic", ln.id)
            assert isinstance(view, ChainLinkView)
            assert view.link == ln and view.stage == st.name and view.chain == chain.title
            assert len(view.enterprises) == ln.enterprises
            assert all(e.brain == "ic" for e in view.enterprises)
            assert view.gap == gaps.get(ln.id)
            seen_gap |= view.gap is not None
            seen_strong |= view.gap is None
    assert seen_gap and seen_strong


def test_answers_are_deterministic_errors_clear_and_routes_published(server: EmbeddedServer,
                                                                   client: ApiClient) -> None:
    for path in ("/api/v1/districts/yuecheng", "/api/v1/districts/keqiao/clusters/textile",
                 "/api/v1/brains/pharma/chain/" + Chain.model_validate_json(
                     get(server, "/api/v1/brains/pharma/chain").content).stages[0].links[0].id):
        assert get(server, path).content == get(server, path).content
    assert "unknown district" in error(get(server, "/api/v1/districts/hangzhou"), 404).detail
    assert "limit" in error(get(server, "/api/v1/districts/keqiao?limit=0"), 400).detail
    assert "limit" in error(get(server, "/api/v1/districts/keqiao?limit=x"), 400).detail
    assert "unknown brain" in error(get(server, "/api/v1/districts/keqiao/clusters/steel"), 404).detail
    assert "no enterprises" in error(get(server, "/api/v1/districts/keqiao/clusters/city"), 404).detail
    assert "no industry chain" in error(get(server, "/api/v1/brains/dyeing/chain/x"), 404).detail
    assert "no link" in error(get(server, "/api/v1/brains/ic/chain/nope"), 404).detail
    with pytest.raises(HttpError) as exc:
        client.district("nowhere")
    assert exc.value.status == 404
    paths = get(server, "/openapi.json").json()["paths"]
    for p in ("/api/v1/districts/{district}", "/api/v1/districts/{district}/clusters/{brain}",
              "/api/v1/brains/{brain_id}/chain/{link}"):
        assert p in paths
    DistrictView.model_json_schema()  # the models make a schema (the docs block is generated from it)
