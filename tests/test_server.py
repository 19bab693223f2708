"""The reference central API over real HTTP on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from cockpit.api.schema import Catalog, ErrorBody, SeriesResponse, Snapshot
from cockpit.central.runner import EmbeddedServer
from cockpit.central.server import create_app
from cockpit.central.simulator import Simulator

TOKEN = "t0k-for-tests-only"
PINNED = 1_760_000_000_000  # a fixed "now" for the pinned-clock server
BRAINS = ["city", "dyeing", "textile", "wine", "ic", "pharma", "muni"]
ROOT = Path(__file__).resolve().parents[1]
ALL_METRICS = [m.id for b in Simulator(0).brains() for m in b.metrics]


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer(seed=21) as srv:
        yield srv


@pytest.fixture(scope="module")
def secured() -> Iterator[EmbeddedServer]:
    with EmbeddedServer(seed=21, token=TOKEN) as srv:
        yield srv


@pytest.fixture(scope="module")
def pinned() -> Iterator[EmbeddedServer]:
    """A server whose clock stands still, for exact ETag behaviour."""
    with EmbeddedServer(create_app(Simulator(21), clock=lambda: PINNED)) as srv:
        yield srv


def get(srv: EmbeddedServer, path: str, **kw: object) -> requests.Response:
    return requests.get(srv.url + path, timeout=10, **kw)  # type: ignore[arg-type]


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def error_of(r: requests.Response) -> ErrorBody:
    assert r.headers["content-type"].startswith("application/json"), r.headers
    return ErrorBody.model_validate_json(r.content)


def test_healthz_and_url(server: EmbeddedServer) -> None:
    assert server.url.startswith("http://127.0.0.1:") and server.port and server.port > 0
    r = get(server, "/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_catalog_validates(server: EmbeddedServer) -> None:
    r = get(server, "/api/v1/brains")
    assert r.status_code == 200 and r.headers.get("ETag")
    cat = Catalog.model_validate_json(r.content)
    assert [b.id for b in cat.brains] == BRAINS
    assert abs(cat.ts - now_ms()) < 5000
    for b in cat.brains:  # the 亩均 brain has panels only (monthly statistics, no live metric)
        assert 8 <= len(b.metrics) <= 15 or (b.id == "muni" and not b.metrics and b.panels)
    assert cat.metrics()["dyeing.water_per_100m"].thresholds.alarm_high == 1.6


def test_bench_brain_only_when_asked() -> None:
    with EmbeddedServer(seed=1, bench=(12, 8, 6)) as srv:
        cat = Catalog.model_validate_json(get(srv, "/api/v1/brains").content)
        bench = cat.brain("bench")
        assert bench is not None and len(bench.metrics) == 26
        snap = Snapshot.model_validate_json(get(srv, "/api/v1/brains/bench/snapshot").content)
        assert len(snap.values) == 26


@pytest.mark.parametrize("brain", BRAINS)
def test_snapshot_validates_and_covers_the_catalog(server: EmbeddedServer, brain: str) -> None:
    cat = Catalog.model_validate_json(get(server, "/api/v1/brains").content)
    before = now_ms()
    r = get(server, f"/api/v1/brains/{brain}/snapshot")
    after = now_ms()
    assert r.status_code == 200
    assert r.headers["ETag"].startswith('W/"')
    snap = Snapshot.model_validate_json(r.content)
    assert snap.brain == brain and before - 5 <= snap.ts <= after + 5
    b = cat.brain(brain)
    assert b is not None and set(snap.values) == {m.id for m in b.metrics}
    for mid, reading in snap.values.items():
        m = b.metric(mid)
        assert m is not None and reading.value is not None
        assert snap.ts - 1000 * m.cadence_s < reading.ts <= snap.ts
        if m.range is not None:
            assert m.range[0] <= reading.value <= m.range[1], mid
    for a in snap.alerts:
        assert a.brain == brain and a.level in ("warn", "alarm")
        if a.enterprise is None:  # a metric past a threshold
            assert a.metric in snap.values and a.id == f"{a.metric}:{a.ts}"
        else:  # an enterprise past a limit
            assert a.metric is None and a.level == "alarm" and a.id.startswith(a.enterprise + ":")


def test_snapshot_etag_and_304(pinned: EmbeddedServer) -> None:
    r1 = get(pinned, "/api/v1/brains/dyeing/snapshot")
    etag = r1.headers["ETag"]
    assert Snapshot.model_validate_json(r1.content).ts == PINNED
    r2 = get(pinned, "/api/v1/brains/dyeing/snapshot", headers={"If-None-Match": etag})
    assert r2.status_code == 304 and r2.content == b"" and r2.headers["ETag"] == etag
    r3 = get(pinned, "/api/v1/brains/dyeing/snapshot", headers={"If-None-Match": f'W/"nope", {etag}'})
    assert r3.status_code == 304
    r4 = get(pinned, "/api/v1/brains/dyeing/snapshot", headers={"If-None-Match": 'W/"something-else"'})
    assert r4.status_code == 200 and r4.content == r1.content
    other = get(pinned, "/api/v1/brains/wine/snapshot").headers["ETag"]
    assert other != etag
    cat = get(pinned, "/api/v1/brains")
    assert get(pinned, "/api/v1/brains", headers={"If-None-Match": cat.headers["ETag"]}).status_code == 304


def test_snapshot_etag_changes_with_the_data(server: EmbeddedServer) -> None:
    r1 = get(server, "/api/v1/brains/ic/snapshot")
    time.sleep(1.1)
    r2 = get(server, "/api/v1/brains/ic/snapshot", headers={"If-None-Match": r1.headers["ETag"]})
    assert r2.status_code == 200 and r2.headers["ETag"] != r1.headers["ETag"]


def test_snapshot_changes_over_two_seconds(server: EmbeddedServer) -> None:
    s1 = Snapshot.model_validate_json(get(server, "/api/v1/brains/dyeing/snapshot").content)
    time.sleep(2.0)
    s2 = Snapshot.model_validate_json(get(server, "/api/v1/brains/dyeing/snapshot").content)
    assert s2.ts >= s1.ts + 2000
    changed = [k for k in s1.values if s1.values[k].value != s2.values[k].value]
    assert len(changed) >= len(s1.values) // 2, changed
    assert s2.values["dyeing.output_today"].value >= s1.values["dyeing.output_today"].value  # type: ignore[operator]


def test_unknown_brain_is_404_error_body(server: EmbeddedServer) -> None:
    r = get(server, "/api/v1/brains/steel/snapshot")
    assert r.status_code == 404
    assert "steel" in error_of(r).detail


def _aligned_window(hours: int, step_s: int) -> tuple[int, int]:
    step_ms = step_s * 1000
    until = now_ms() // step_ms * step_ms - step_ms
    return until - hours * 3_600_000, until


def test_series_ranges_counts_and_alignment(server: EmbeddedServer) -> None:
    since, until = _aligned_window(3, 60)
    metrics = ["dyeing.run_rate", "wine.sales_today", "city.alerts", "ic.yield"]
    r = get(
        server,
        "/api/v1/series",
        params=[("metric", "dyeing.run_rate,wine.sales_today"), ("metric", "city.alerts"), ("metric", "ic.yield"),
                ("since", since), ("until", until), ("step", 60)],
    )
    assert r.status_code == 200, r.text
    resp = SeriesResponse.model_validate_json(r.content)
    assert (resp.since, resp.until, resp.step_s) == (since, until, 60)
    assert [s.metric for s in resp.series] == metrics  # request order
    for s in resp.series:
        assert len(s.points) == (until - since) // 60_000 == 180
        ts = [t for t, _ in s.points]
        assert ts[0] == since and ts[-1] == until - 60_000
        assert all(t % 60_000 == 0 for t in ts)
        assert all(b - a == 60_000 for a, b in zip(ts, ts[1:], strict=False))
        assert all(v is not None for _, v in s.points)
    run = [v for _, v in resp.series[0].points]
    assert len(set(run)) > 100 and all(0 <= v <= 100 for v in run)  # type: ignore[operator]


def test_series_agrees_with_snapshot(server: EmbeddedServer) -> None:
    snap = Snapshot.model_validate_json(get(server, "/api/v1/brains/pharma/snapshot").content)
    cat = Catalog.model_validate_json(get(server, "/api/v1/brains").content)
    for mid in ("pharma.line_rate", "pharma.cold_chain_temp", "pharma.api_today", "pharma.output_mtd"):
        reading = snap.values[mid]
        r = get(server, "/api/v1/series", params={"metric": mid, "since": reading.ts - 5000,
                                                  "until": reading.ts + 1000, "step": 1})
        assert r.status_code == 200, r.text
        pts = dict(SeriesResponse.model_validate_json(r.content).series[0].points)
        precision = cat.metrics()[mid].precision
        assert pts[reading.ts] == pytest.approx(reading.value, abs=10.0 ** -(precision + 1)), mid
    # a coarse mean stays near the live value (the same process, seen through a minute)
    mid, reading = "pharma.cleanroom_dp", snap.values["pharma.cleanroom_dp"]
    minute = reading.ts // 60_000 * 60_000 - 60_000
    r = get(server, "/api/v1/series", params={"metric": mid, "since": minute, "until": minute + 60_000, "step": 60})
    (_, mean), = SeriesResponse.model_validate_json(r.content).series[0].points
    assert abs(mean - reading.value) < 5  # type: ignore[operator]


def test_series_defaults(server: EmbeddedServer) -> None:
    before = now_ms()
    r = get(server, "/api/v1/series", params={"metric": "textile.loom_rate"})
    after = now_ms()
    assert r.status_code == 200
    resp = SeriesResponse.model_validate_json(r.content)
    assert before <= resp.until <= after and resp.until - resp.since == 24 * 3_600_000
    assert resp.step_s == 60 and 1439 <= len(resp.series[0].points) <= 1440
    assert resp.series[0].points[-1][0] <= resp.until


def test_series_until_in_the_future_is_clamped(server: EmbeddedServer) -> None:
    before = now_ms()
    r = get(server, "/api/v1/series", params={"metric": "ic.utilization", "since": before - 600_000,
                                              "until": before + 3_600_000, "step": 60})
    after = now_ms()
    assert r.status_code == 200, r.text
    resp = SeriesResponse.model_validate_json(r.content)
    assert before <= resp.until <= after
    assert resp.series[0].points[-1][0] <= after and 10 <= len(resp.series[0].points) <= 11


@pytest.mark.parametrize(
    ("params", "status", "needle"),
    [
        ({}, 400, "metric"),
        ({"metric": "dyeing.nope"}, 404, "dyeing.nope"),
        ({"metric": "nonsense"}, 404, "nonsense"),
        ({"metric": ",".join(ALL_METRICS[:21])}, 400, "at most 20"),
        ({"metric": "dyeing.cod", "since": "{now-10m}", "until": "{now-20m}"}, 400, "since"),
        ({"metric": "dyeing.cod", "since": "{now-10m}", "until": "{now-10m}"}, 400, "since"),
        ({"metric": "dyeing.cod", "step": 0}, 400, "step"),
        ({"metric": "dyeing.cod", "step": -5}, 400, "step"),
        ({"metric": "dyeing.cod", "step": "1.5"}, 400, "step"),
        ({"metric": "dyeing.cod", "since": "yesterday"}, 400, "since"),
        ({"metric": "dyeing.cod", "until": "soon"}, 400, "until"),
        ({"metric": "dyeing.cod,dyeing.run_rate", "step": 1}, 400, "too many points"),
        ({"metric": "dyeing.cod", "since": "{now-9d}"}, 400, "history starts at"),
        ({"metric": "dyeing.cod", "since": 0}, 400, "history starts at"),
    ],
)
def test_series_bad_parameters(server: EmbeddedServer, params: dict[str, object], status: int, needle: str) -> None:
    now = now_ms()
    subst = {"{now-10m}": now - 600_000, "{now-20m}": now - 1_200_000, "{now-9d}": now - 9 * 86_400_000}
    q = {k: subst.get(v, v) if isinstance(v, str) else v for k, v in params.items()}
    r = get(server, "/api/v1/series", params=q)
    assert r.status_code == status, r.text
    body = error_of(r)
    assert needle in body.detail, body
    assert body.error in ("bad_request", "not_found")


def test_history_start_names_the_first_allowed_time(server: EmbeddedServer) -> None:
    now = now_ms()
    r = get(server, "/api/v1/series", params={"metric": "wine.cellar_temp", "since": now - 9 * 86_400_000})
    detail = error_of(r).detail
    first = int(detail.split("history starts at ")[1].split()[0])
    assert abs(first - (now - 8 * 86_400_000)) < 5000
    ok = get(server, "/api/v1/series", params={"metric": "wine.cellar_temp", "since": first + 60_000, "step": 3600})
    assert ok.status_code == 200 and len(ok.json()["series"][0]["points"]) >= 190


def test_other_errors_are_error_bodies_never_422(server: EmbeddedServer) -> None:
    for path in ("/api/v1/nothing", "/nothing", "/api/v1/brains/dyeing"):
        r = get(server, path)
        assert r.status_code == 404 and error_of(r).error == "not_found"
    r = requests.post(server.url + "/api/v1/brains", timeout=10)
    assert r.status_code == 405 and error_of(r).error == "method_not_allowed"


def test_token_required_when_set(secured: EmbeddedServer) -> None:
    for path in ("/api/v1/brains", "/api/v1/brains/city/snapshot", "/api/v1/series?metric=city.alerts",
                 "/api/v1/brains/nope/snapshot", "/api/v1/anything"):
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                        {"Authorization": f"Basic {TOKEN}"}, {"Authorization": f"Bearer {TOKEN}x"}):
            r = get(secured, path, headers=headers)
            assert r.status_code == 401, (path, headers)
            body = error_of(r)
            assert body.error == "unauthorized" and "token" in body.detail and TOKEN not in r.text
            assert r.headers["WWW-Authenticate"].startswith("Bearer")
    ok = {"Authorization": f"Bearer {TOKEN}"}
    assert Catalog.model_validate_json(get(secured, "/api/v1/brains", headers=ok).content)
    assert get(secured, "/api/v1/brains/city/snapshot", headers=ok).status_code == 200
    assert get(secured, "/api/v1/series?metric=city.alerts", headers=ok).status_code == 200
    for public in ("/healthz", "/openapi.json", "/docs"):
        assert get(secured, public).status_code == 200, public
    schema = get(secured, "/openapi.json").json()
    assert "bearer" in schema["components"]["securitySchemes"]


def test_openapi_lists_the_contract(server: EmbeddedServer) -> None:
    schema = get(server, "/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/v1/brains", "/api/v1/brains/{brain_id}/snapshot", "/api/v1/series", "/healthz"} <= paths
    assert "contract" in schema["info"]["title"]
    assert "epoch" in schema["info"]["description"] and "UTC" in schema["info"]["description"]
    comps = set(schema["components"]["schemas"])
    assert {"Catalog", "Snapshot", "SeriesResponse", "ErrorBody"} <= comps


def test_embedded_server_lifecycle() -> None:
    srv = EmbeddedServer(seed=2)
    with pytest.raises(RuntimeError, match="not started"):
        _ = srv.url
    srv.start()
    url = srv.url
    assert requests.get(url + "/healthz", timeout=5).status_code == 200
    srv.stop()
    assert not srv.running
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/healthz", timeout=2)
    srv.stop()  # idempotent


def test_embedded_server_reports_a_taken_port() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(RuntimeError, match=f"127.0.0.1:{port}"):
            EmbeddedServer(port=port).start()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_standalone_module_reads_the_token_from_the_environment() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COCKPIT_TEST_TOKEN": TOKEN}
    r = subprocess.run([sys.executable, "-m", "cockpit.central", "--token-env", "COCKPIT_NO_SUCH_VAR"],
                       env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "COCKPIT_NO_SUCH_VAR" in r.stderr
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cockpit.central", "--port", str(port), "--seed", "4", "--token-env",
         "COCKPIT_TEST_TOKEN", "--bench", "--log-level", "warning"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 15
        while True:
            try:
                requests.get(base + "/healthz", timeout=1)
                break
            except requests.ConnectionError:
                assert proc.poll() is None and time.monotonic() < deadline, "standalone server did not start"
                time.sleep(0.1)
        assert requests.get(base + "/api/v1/brains", timeout=5).status_code == 401
        cat = requests.get(base + "/api/v1/brains", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5)
        assert [b["id"] for b in cat.json()["brains"]] == [*BRAINS, "bench"]
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=15)
    assert TOKEN not in out + err
