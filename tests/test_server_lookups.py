"""Chains, enterprises, batches and snapshot panels over real HTTP on loopback, read by the
real client (cockpit.api.client) and by plain requests for the error bodies."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
import requests

from cockpit.api import uscc
from cockpit.api.client import ApiClient, ClientConfig, HttpError
from cockpit.api.schema import Batch, Chain, EnterpriseList, EnterpriseProfile, ErrorBody, Snapshot
from cockpit.central.runner import EmbeddedServer
from cockpit.central.server import create_app, snapshot_etag
from cockpit.central.simulator import Simulator

TOKEN = "lookup-t0k"
SEED = 21
BRAINS = ["city", "dyeing", "textile", "wine", "ic", "pharma", "muni"]
PINNED = 1_795_586_405_000  # 2026-11-25 14:00:05 local
SIM = Simulator(SEED)


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer(SIM) as srv:
        yield srv


@pytest.fixture(scope="module")
def client(server: EmbeddedServer) -> Iterator[ApiClient]:
    c = ApiClient(ClientConfig(server.url, retries=0))
    yield c
    c.close()


def get(srv: EmbeddedServer, path: str, **kw: object) -> requests.Response:
    return requests.get(srv.url + path, timeout=10, **kw)  # type: ignore[arg-type]


def error(r: requests.Response, status: int) -> ErrorBody:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    return ErrorBody.model_validate_json(r.content)


def test_chain_endpoint(server: EmbeddedServer, client: ApiClient) -> None:
    for brain in ("ic", "pharma"):
        r = get(server, f"/api/v1/brains/{brain}/chain")
        assert r.status_code == 200
        chain = Chain.model_validate_json(r.content)
        assert chain.brain == brain and chain.gaps and chain.source is not None
        assert client.chain(brain).stages == chain.stages
        links = [ln for st in chain.stages for ln in st.links]
        found = client.enterprises("", brain=brain, limit=500)
        assert sum(ln.enterprises for ln in links) == found.total
    for brain, needle in (("dyeing", "no industry chain"), ("city", "no industry chain"), ("steel", "unknown brain")):
        assert needle in error(get(server, f"/api/v1/brains/{brain}/chain"), 404).detail
        with pytest.raises(HttpError) as exc:
            client.chain(brain)
        assert exc.value.status == 404 and needle in str(exc.value)


def test_enterprise_search(server: EmbeddedServer, client: ApiClient) -> None:
    e = SIM.firms.registry.of("textile")[3]
    r = get(server, "/api/v1/enterprises", params={"q": e.trade_zh})
    found = EnterpriseList.model_validate_json(r.content)
    assert found.q == e.trade_zh and e.code in [i.code for i in found.items]
    assert client.enterprises(e.trade_en.lower()).items[0].name.en.lower().find(e.trade_en.lower()) >= 0
    by_code = client.enterprises(e.code[:14])
    assert by_code.items[0].code == e.code
    all_ = client.enterprises("", limit=500)
    assert all_.total == 509 and len(all_.items) == 500
    five = client.enterprises("", brain="dyeing", limit=5)
    assert five.total == 109 and len(five.items) == 5 and {i.brain for i in five.items} == {"dyeing"}
    assert client.enterprises("").total == 509 and len(client.enterprises("").items) == 50  # default limit
    assert client.enterprises("", brain="city").total == 0
    for params, status, needle in (
        ({"limit": 0}, 400, "limit"), ({"limit": 501}, 400, "limit"), ({"limit": "many"}, 400, "limit"),
        ({"q": "x" * 101}, 400, "q:"), ({"brain": "steel"}, 404, "steel"),
    ):
        assert needle in error(get(server, "/api/v1/enterprises", params=params), status).detail


def test_enterprise_profile(server: EmbeddedServer, client: ApiClient) -> None:
    e = SIM.firms.registry.of("pharma")[0]
    r = get(server, f"/api/v1/enterprises/{e.code}")
    assert r.status_code == 200
    prof = EnterpriseProfile.model_validate_json(r.content)
    assert prof.code == e.code and prof.name == e.name and prof.chain_link == e.link
    assert abs(prof.ts - time.time() * 1000) < 15_000
    spaced = f"{e.code[:6].lower()} {e.code[6:12]}-{e.code[12:]}"  # as typed: case, spaces, dashes
    assert client.enterprise(spaced).code == e.code
    # malformed: 400 with the check's own message
    bad_check = e.code[:17] + ("1" if e.code[17] != "1" else "2")
    for code, needle in ((e.code[:17], "18"), (bad_check, "校验码"), (e.code[:5] + "O" + e.code[6:], "不允许")):
        body = error(get(server, f"/api/v1/enterprises/{code}"), 400)
        with pytest.raises(uscc.InvalidCode) as exc:
            uscc.validate(code)
        assert body.error == "bad_request" and needle in body.detail and str(exc.value) in body.detail
        with pytest.raises(HttpError) as hexc:
            client.enterprise(code)
        assert hexc.value.status == 400
    unknown = uscc.make("330603", "12345678")
    assert "no enterprise" in error(get(server, f"/api/v1/enterprises/{unknown}"), 404).detail
    with pytest.raises(HttpError) as hexc:
        client.enterprise(unknown)
    assert hexc.value.status == 404


def test_batches(server: EmbeddedServer, client: ApiClient) -> None:
    snap = Snapshot.model_validate_json(get(server, "/api/v1/brains/wine/snapshot").content)
    nos = [r.key for r in snap.panels["batches"].rows]
    verdicts = set()
    for no in nos:
        r = get(server, f"/api/v1/batches/{no}")
        b = Batch.model_validate_json(r.content)
        assert b.batch_no == no and b.producer.brain == "wine" and b.reasons
        typed = client.batch(no.lower())  # as typed: lower case
        assert typed.batch_no == no and typed.verdict == b.verdict and typed.storage == b.storage
        verdicts.add(b.verdict)
    assert verdicts == {"consistent", "inconsistent", "unverifiable"}
    assert "4–32" in error(get(server, "/api/v1/batches/HJ_7"), 400).detail  # not a batch number at all
    for unknown in ("HJ999-2012-001", "HJ-0000-0000"):  # a batch number, but none on record
        assert "HJ007-2012-015" in error(get(server, f"/api/v1/batches/{unknown}"), 404).detail
    with pytest.raises(HttpError) as exc:
        client.batch("no such")
    assert exc.value.status == 400


def test_new_endpoints_want_the_token() -> None:
    with EmbeddedServer(SIM, token=TOKEN) as srv:
        e = SIM.firms.registry.of("ic")[0]
        for path in ("/api/v1/brains/ic/chain", "/api/v1/enterprises?q=a", f"/api/v1/enterprises/{e.code}",
                     "/api/v1/batches/HJ001-2010-001"):
            assert error(get(srv, path), 401).error == "unauthorized"
            ok = get(srv, path, headers={"Authorization": f"Bearer {TOKEN}"})
            assert ok.status_code in (200, 404), path  # (that batch may not exist)
        schema = get(srv, "/openapi.json").json()
        for path in ("/api/v1/brains/{brain_id}/chain", "/api/v1/enterprises", "/api/v1/enterprises/{code}",
                     "/api/v1/batches/{batch_no}"):
            op = schema["paths"][path]["get"]
            assert op["security"] == [{"bearer": []}]
            assert {"400", "401", "404"} <= set(op["responses"]), path
        comps = set(schema["components"]["schemas"])
        assert {"Chain", "EnterpriseList", "EnterpriseProfile", "Batch", "DataPanel", "StreamPanels"} <= comps


def test_snapshot_etag_covers_panels() -> None:
    snap = SIM.snapshot("wine", PINNED)
    tag = snapshot_etag(snap.model_dump_json())
    assert tag.startswith('W/"')
    # the snapshot's own time is left out: the same data keeps its tag
    assert snapshot_etag(snap.model_copy(update={"ts": snap.ts + 700}).model_dump_json()) == tag
    # one cell of one panel changed: another tag
    tanks = snap.panels["tanks"]
    row = tanks.rows[0].model_copy(update={"values": {**tanks.rows[0].values, "temp": 99.0}})
    panels = {**snap.panels, "tanks": tanks.model_copy(update={"rows": [row, *tanks.rows[1:]]})}
    assert snapshot_etag(snap.model_copy(update={"panels": panels}).model_dump_json()) != tag
    assert json.loads(snap.model_dump_json())["panels"]["tanks"]["rows"][0]["values"]["temp"] != 99.0


def test_snapshot_etag_over_http_follows_the_panels() -> None:
    clock = [PINNED]
    with EmbeddedServer(create_app(SIM, clock=lambda: clock[0])) as srv:
        r1 = get(srv, "/api/v1/brains/pharma/snapshot")
        again = get(srv, "/api/v1/brains/pharma/snapshot", headers={"If-None-Match": r1.headers["ETag"]})
        assert again.status_code == 304
        clock[0] = PINNED + 5000  # the next 10 s tick: new enterprise panel
        r2 = get(srv, "/api/v1/brains/pharma/snapshot", headers={"If-None-Match": r1.headers["ETag"]})
        assert r2.status_code == 200 and r2.headers["ETag"] != r1.headers["ETag"]
        p1 = Snapshot.model_validate_json(r1.content).panels["enterprises"]
        p2 = Snapshot.model_validate_json(r2.content).panels["enterprises"]
        assert p2.ts == p1.ts + 10_000


@pytest.mark.parametrize("brain", BRAINS)
def test_snapshot_size_per_brain(server: EmbeddedServer, brain: str) -> None:
    r = get(server, f"/api/v1/brains/{brain}/snapshot")
    snap = Snapshot.model_validate_json(r.content)
    size = len(r.content)
    print(f"snapshot {brain}: {size} bytes, {len(snap.panels)} panels, "
          f"{sum(len(p.rows) for p in snap.panels.values())} rows")
    assert size < 80_000  # a snapshot stays small enough to poll and cache every second
