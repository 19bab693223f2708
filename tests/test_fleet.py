"""Fleet heartbeat: the real FleetReporter and ApiClient against the reference server on
loopback (its clock driven by the test), and against the fault server for what goes wrong.

No Qt, no mocks: what is asserted is what ``GET /api/v1/displays`` lists and what the
reporter records (``last_ok_ms``, ``last_error``) — and that it never raises.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from faultserver import Behaviour, FaultServer, free_port

from cockpit.api.client import ApiClient, ClientConfig, HttpError
from cockpit.api.schema import DisplayHeartbeat, DisplayList, ErrorBody
from cockpit.central.runner import EmbeddedServer
from cockpit.central.server import create_app
from cockpit.central.simulator import Simulator
from cockpit.hub.fleet import FleetReporter, build_heartbeat, default_display_id, now_ms, rss_mb

TOKEN = "fleet-t0ken-for-tests"
SIM = Simulator(5)
START = now_ms()
FAST = {"connect_timeout_s": 0.5, "read_timeout_s": 0.5, "retries": 0}


class Clocked:
    """The reference server with a clock the test moves."""

    def __init__(self, srv: EmbeddedServer, clock: list[int]) -> None:
        self.srv, self.clock = srv, clock
        self.url = srv.url

    def advance(self, seconds: float) -> None:
        self.clock[0] += int(seconds * 1000)


@pytest.fixture
def central() -> Iterator[Clocked]:
    clock = [START]
    with EmbeddedServer(create_app(SIM, token=TOKEN, clock=lambda: clock[0])) as srv:
        yield Clocked(srv, clock)


def hb(display_id: str = "wall-01-0", **kw: object) -> DisplayHeartbeat:
    base: dict[str, object] = {
        "display_id": display_id, "version": "0.1.0", "ts": now_ms(), "shown_tab": "dyeing",
        "data_age_s": {"dyeing": 1.2, "wine": 3.0}, "rss_mb": 210.5, "uptime_s": 3600.0, "link": "live",
        "host": "cc-wall-01", "screen": {"width": 3840, "height": 2160},
    }
    base.update(kw)
    return DisplayHeartbeat.model_validate(base)


def client_for(url: str, token: str | None = TOKEN, **kw: object) -> ApiClient:
    return ApiClient(ClientConfig(url, token=token, **{**FAST, **kw}))  # type: ignore[arg-type]


def run(coro_fn, timeout: float = 10.0):  # noqa: ANN001, ANN201
    async def main():  # noqa: ANN202
        return await asyncio.wait_for(coro_fn(), timeout)

    return asyncio.run(main())


def states(listing: DisplayList) -> dict[str, str]:
    return {d.heartbeat.display_id: d.state for d in listing.displays}


# ---- the reporter against the reference server -------------------------------------------


def test_reporter_sends_at_start_and_every_period_and_the_display_is_listed(central: Clocked) -> None:
    client = client_for(central.url)
    collected: list[int] = []

    def collect() -> DisplayHeartbeat:
        collected.append(1)
        return build_heartbeat("wall-07-1", shown_tab="wine", received_ms={"wine": now_ms() - 2000, "ic": None},
                               link="live", screen=(1920, 1080), host="cc-wall-07", period_s=1)

    latencies: list[float] = []
    with ThreadPoolExecutor(2) as ex:
        reporter = FleetReporter(client, ex, collect, period_s=0.1, on_latency=latencies.append)

        async def scenario() -> None:
            reporter.start()
            reporter.start()  # idempotent
            while reporter.sent < 3:
                await asyncio.sleep(0.01)
            await reporter.stop()
            assert not reporter.running

        run(scenario)
    assert reporter.last_error is None and reporter.failed == 0
    assert reporter.last_ok_ms is not None and abs(reporter.last_ok_ms - now_ms()) < 10_000
    assert len(collected) >= 3
    assert len(latencies) == reporter.sent and all(0 < ms < 10_000 for ms in latencies)
    assert reporter.last_latency_ms == latencies[-1]
    listing = client.displays()
    assert [d.heartbeat.display_id for d in listing.displays] == ["wall-07-1"]  # one entry, the last beat
    d = listing.displays[0]
    assert d.state == "ok" and d.reasons == []  # ic has no data, but wine (shown) has
    assert d.heartbeat.data_age_s["ic"] is None and d.heartbeat.data_age_s["wine"] is not None
    assert d.heartbeat.screen is not None and d.heartbeat.screen.width == 1920
    client.close()


def test_the_listing_reports_what_the_display_sent(central: Clocked) -> None:
    client = client_for(central.url)
    sent = hb("wall-02-0", host="会议室大屏", data_age_s={"dyeing": 1.5, "city": None}, shown_tab="dyeing")
    client.post_heartbeat(sent)
    listing = client.displays()
    assert listing.ts == central.clock[0]
    (d,) = listing.displays
    assert d.heartbeat == sent  # every field, Chinese host name included
    assert d.received_ms == central.clock[0] and d.age_s == 0
    assert d.state == "ok" and d.reasons == []
    client.close()


def test_ok_then_stale_then_down_as_heartbeats_go_missing(central: Clocked) -> None:
    """Period 60 s: stale after 2 missed beats (+ a quarter period: 135 s), down after 5 (315 s)."""
    client = client_for(central.url)
    client.post_heartbeat(hb("wall-a-0"))
    central.advance(30)
    client.post_heartbeat(hb("wall-b-0", period_s=10))  # reports every 10 s
    expected = [  # seconds after wall-a's beat → (wall-a, wall-b)
        (30, "ok", "ok"),
        (64, "ok", "stale"),  # b: 34 s = 3.4 periods of 10 s → 3 missed
        (134, "ok", "down"),  # b: 104 s → 10 missed
        (135.5, "stale", "down"),
        (314, "stale", "down"),
        (315.5, "down", "down"),
        (7 * 86400, "down", "down"),  # still listed: a dark wall is what an operator looks for
    ]
    at = 30.0
    for t, a, b in expected:
        central.advance(t - at)
        at = t
        listing = client.displays()
        assert states(listing) == {"wall-a-0": a, "wall-b-0": b}, f"{t} s after wall-a's heartbeat"
    a_status = client.displays().displays[0]
    assert a_status.age_s == pytest.approx(7 * 86400)
    assert any("no heartbeat" in r for r in a_status.reasons)
    client.post_heartbeat(hb("wall-a-0"))  # it comes back
    assert states(client.displays())["wall-a-0"] == "ok"
    client.close()


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"link": "offline"}, "link offline"),
        ({"data_age_s": {"dyeing": 1.0, "wine": 301.0}}, "wine data 301 s old"),
        ({"shown_tab": "wine", "data_age_s": {"dyeing": 1.0, "wine": None}}, "shown tab 'wine' has no data"),
    ],
)
def test_a_display_with_old_data_or_offline_is_stale(central: Clocked, fields: dict, reason: str) -> None:
    client = client_for(central.url)
    client.post_heartbeat(hb(**fields))
    (d,) = client.displays().displays
    assert d.state == "stale"
    assert any(reason in r for r in d.reasons), d.reasons
    client.close()


def test_other_brains_without_data_do_not_make_a_wall_stale(central: Clocked) -> None:
    client = client_for(central.url)
    client.post_heartbeat(hb(shown_tab="dyeing", data_age_s={"dyeing": 2.0, "ic": None, "pharma": 299.0}))
    assert states(client.displays()) == {"wall-01-0": "ok"}
    client.close()


def test_the_registry_is_bounded_and_drops_the_display_heard_from_least_recently(central: Clocked) -> None:
    reg = central.srv.app.state.displays
    reg.max_displays = 3
    client = client_for(central.url)
    for name in ("d1", "d2", "d3"):
        client.post_heartbeat(hb(name))
    client.post_heartbeat(hb("d1"))  # heard again: now the most recent
    client.post_heartbeat(hb("d4"))
    assert [d.heartbeat.display_id for d in client.displays().displays] == ["d1", "d3", "d4"]
    client.close()


# ---- the wire: bad bodies, ids, auth --------------------------------------------------


def post(url: str, display_id: str, body: bytes | str, token: str | None = TOKEN) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = body.encode() if isinstance(body, str) else body
    return requests.post(f"{url}/api/v1/displays/{display_id}/heartbeat", data=data, headers=headers, timeout=10)


GOOD = hb().model_dump_json()


@pytest.mark.parametrize(
    ("display_id", "body", "detail"),
    [
        ("wall-01-0", "{not json", "DisplayHeartbeat"),
        ("wall-01-0", "", "DisplayHeartbeat"),
        ("wall-01-0", "[]", "DisplayHeartbeat"),
        ("wall-01-0", json.dumps({**json.loads(GOOD), "ts": 1_795_766_138}), "ts"),  # seconds, not ms
        ("wall-01-0", GOOD.replace('"rss_mb":210.5', '"rss_mb":NaN'), "rss_mb"),
        ("wall-01-0", json.dumps({**json.loads(GOOD), "link": "up"}), "link"),
        ("wall-01-0", json.dumps({**json.loads(GOOD), "data_age_s": {"Dyeing!": 1}}), "data_age_s"),
        ("wall-01-0", json.dumps({**json.loads(GOOD), "data_age_s": {"dyeing": -5}}), "data_age_s"),
        ("wall-01-0", json.dumps({k: v for k, v in json.loads(GOOD).items() if k != "uptime_s"}), "uptime_s"),
        ("wall-02-0", GOOD, "the body names 'wall-01-0'"),
        ("-bad-", GOOD, "display_id"),
        ("x" * 65, GOOD, "display_id"),
    ],
)
def test_a_bad_heartbeat_gets_a_400_error_body_and_is_not_kept(
    central: Clocked, display_id: str, body: str, detail: str
) -> None:
    r = post(central.url, display_id, body)
    assert r.status_code == 400, r.text
    err = ErrorBody.model_validate_json(r.content)
    assert err.error == "bad_request" and detail in err.detail
    listing = DisplayList.model_validate_json(
        requests.get(central.url + "/api/v1/displays", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10).content
    )
    assert listing.displays == []


def test_a_heartbeat_too_large_gets_413_and_unknown_fields_are_ignored(central: Clocked) -> None:
    r = post(central.url, "wall-01-0", GOOD[:-1] + ',"pad":"' + "x" * 70_000 + '"}')
    assert r.status_code == 413 and ErrorBody.model_validate_json(r.content).error == "too_large"
    r = post(central.url, "wall-01-0", GOOD[:-1] + ',"future_field":{"a":1}}')
    assert r.status_code == 200
    ack = r.json()
    assert ack == {"display_id": "wall-01-0", "received_ms": central.clock[0]}


def test_heartbeats_and_the_list_want_the_bearer_token(central: Clocked) -> None:
    r = post(central.url, "wall-01-0", GOOD, token=None)
    assert r.status_code == 401 and ErrorBody.model_validate_json(r.content).error == "unauthorized"
    assert requests.get(central.url + "/api/v1/displays", timeout=10).status_code == 401
    wrong = client_for(central.url, token="not-the-token")
    with pytest.raises(HttpError) as err:
        wrong.post_heartbeat(hb())
    assert err.value.status == 401 and "not-the-token" not in str(err.value)
    wrong.close()


def test_the_openapi_page_documents_the_fleet_endpoints(central: Clocked) -> None:
    spec = requests.get(central.url + "/openapi.json", timeout=10).json()
    post_op = spec["paths"]["/api/v1/displays/{display_id}/heartbeat"]["post"]
    assert post_op["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/DisplayHeartbeat")
    assert "DisplayHeartbeat" in spec["components"]["schemas"]
    assert "/api/v1/displays" in spec["paths"]


# ---- what goes wrong never disturbs the display ---------------------------------------


def test_a_dead_server_is_recorded_not_raised_and_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    client = client_for(f"http://127.0.0.1:{free_port()}", token="s3cret-never-logged")
    caplog.set_level(logging.DEBUG)
    with ThreadPoolExecutor(2) as ex:
        reporter = FleetReporter(client, ex, lambda: hb(), period_s=0.02)

        async def scenario() -> None:
            reporter.start()
            while reporter.failed < 5:
                await asyncio.sleep(0.01)
            await reporter.stop()

        run(scenario)
    assert reporter.last_ok_ms is None and reporter.sent == 0
    assert reporter.last_error is not None and "connection refused" in reporter.last_error
    warnings = [r for r in caplog.records if r.name == "cockpit.hub.fleet" and r.levelno >= logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert all("s3cret" not in r.getMessage() for r in caplog.records)
    client.close()


def test_a_500_a_hang_and_a_cut_answer_are_recorded_and_the_loop_keeps_running() -> None:
    path = "/api/v1/displays/wall-01-0/heartbeat"
    with FaultServer() as server, ThreadPoolExecutor(2) as ex:
        client = client_for(server.base_url, token=None)
        reporter = FleetReporter(client, ex, lambda: hb(), period_s=3600)
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.01)

        async def scenario() -> None:
            tick_task = asyncio.get_running_loop().create_task(ticker())
            server.set(path, Behaviour.status(500, "database on fire"))
            assert await reporter.send_now() is False
            assert reporter.last_error is not None and "HTTP 500" in reporter.last_error
            assert "database on fire" in reporter.last_error
            server.set(path, Behaviour.hang())
            before = ticks
            assert await reporter.send_now() is False
            assert ticks - before >= 10, "the loop was blocked while the heartbeat hung"
            assert "did not answer in time" in (reporter.last_error or "")
            server.set(path, Behaviour.close_immediately())
            assert await reporter.send_now() is False
            server.set(path, Behaviour.json(b"", status=204))
            assert await reporter.send_now() is True, reporter.last_error  # a platform may answer 204
            assert reporter.last_error is None and reporter.last_ok_ms is not None
            tick_task.cancel()

        run(scenario, timeout=15)
        assert server.requests(path)[0].method == "POST"
        assert reporter.failed == 3 and reporter.sent == 1
        client.close()


def test_a_collect_that_raises_is_recorded_and_the_next_beat_is_sent(central: Clocked) -> None:
    client = client_for(central.url)
    calls = [0]

    def collect() -> DisplayHeartbeat:
        calls[0] += 1
        if calls[0] == 1:
            raise RuntimeError("window gone")
        return hb("wall-09-0")

    with ThreadPoolExecutor(1) as ex:
        reporter = FleetReporter(client, ex, collect, period_s=0.02)

        async def scenario() -> None:
            assert await reporter.send_now() is False
            assert reporter.last_error == "could not collect the heartbeat: window gone"
            reporter.start()
            while reporter.sent < 1:
                await asyncio.sleep(0.01)
            await reporter.stop()

        run(scenario)
    assert reporter.last_error is None
    assert states(client.displays()) == {"wall-09-0": "ok"}
    client.close()


# ---- helpers ----------------------------------------------------------------------------


def test_default_display_id_fits_the_contract() -> None:
    assert default_display_id(0, "cc-wall-03.example.org") == "cc-wall-03-0"
    assert default_display_id(2, "10.1.2.3") == "10.1.2.3-2"
    assert default_display_id(1, "墙 1") == "1-1"
    assert default_display_id(0, "") == "display-0"
    long = default_display_id(12, "w" * 200)
    assert len(long) == 64 and long.endswith("-12")
    for name in (default_display_id(), long, default_display_id(0, "--.._")):
        hb(name)  # valid ids: the model accepts them


def test_build_heartbeat_turns_arrival_times_into_ages() -> None:
    t = 1_795_766_138_000
    beat = build_heartbeat("w-0", shown_tab="enterprise", received_ms={"dyeing": t - 2500, "wine": None,
                                                                       "ic": t + 1000},
                           link="weird", screen=(0, 0), now=t)
    assert beat.data_age_s == {"dyeing": 2.5, "wine": None, "ic": 0.0}  # never negative
    assert beat.link == "connecting" and beat.screen is None and beat.ts == t
    assert beat.uptime_s >= 0 and beat.version
    mem = rss_mb()
    assert mem is None or 10 < mem < 100_000


# ---- the wiring recipe, in the running app ------------------------------------------------


@pytest.mark.leaks_qt("Cockpit window outlives run()")
def test_the_running_cockpit_reports_its_shown_tab_and_data_ages(qloop, tmp_path) -> None:  # noqa: ANN001
    """The app against the reference server, as wired in cockpit/app.py: its own reporter
    lists the display with its shown tab and fresh data; F1's overlay and a PDF of the tab
    work live."""
    from PySide6.QtWidgets import QApplication

    from cockpit.app import Cockpit, build_parser
    from cockpit.ui.export import export_pdf, export_png

    async def until(cond, what: str, timeout: float = 15) -> None:  # noqa: ANN001
        deadline = time.monotonic() + timeout
        while not cond():
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            await asyncio.sleep(0.05)

    with EmbeddedServer(Simulator(seed=7)) as srv:
        args = build_parser().parse_args(["--api", srv.url, "--tab", "wine", "--size", "1280x720", "--cache", "memory"])
        c = Cockpit(QApplication.instance(), args)
        seen: dict[str, object] = {}

        async def main() -> None:
            app_task = asyncio.ensure_future(c.run())
            try:
                await until(lambda: c.main is not None and c.main.current_tab() is not None, "the tabs")
                win = c.main
                assert win is not None
                tab = win.current_tab()
                assert tab is not None
                await until(lambda: tab.received_ms is not None and c.hub.status.state.value == "live", "live data")
                await until(lambda: c.fleet is not None and c.fleet.sent >= 1, "a heartbeat")
                await c.fleet.send_now()  # one with the data on screen
                win.menu_actions["diagnostics"].trigger()  # F1
                await asyncio.sleep(1.2)
                seen["rows"] = dict(c.diagnostics.rows())
                seen["listing"] = await asyncio.get_running_loop().run_in_executor(c.executor, c.client.displays)
                seen["pdf"] = export_pdf(tab, tmp_path / "wine.pdf", "黄酒 · 产业大脑驾驶舱", tab.received_ms,
                                         srv.url, win.lang).stat().st_size
                seen["png"] = export_png(win, tmp_path / "window.png").stat().st_size
            finally:
                c.request_quit()
                await asyncio.wait_for(app_task, 10)

        qloop.run_until_complete(main())
    listing = seen["listing"]
    assert isinstance(listing, DisplayList)
    (d,) = listing.displays
    assert d.heartbeat.shown_tab == "wine"
    assert d.heartbeat.link == "live" and d.state == "ok", d.reasons
    ages = d.heartbeat.data_age_s
    assert set(ages) == {"city", "dyeing", "textile", "wine", "ic", "pharma", "muni"}
    assert ages["wine"] is not None and ages["wine"] < 30
    rows = seen["rows"]
    assert isinstance(rows, dict) and rows["连接"].startswith("在线")
    assert rows["数据更新"] != "—" and rows["请求延迟"].startswith("最近 ")
    assert int(seen["pdf"]) > 10_000 and int(seen["png"]) > 10_000  # type: ignore[call-overload]


@pytest.mark.parametrize("db", ["memory", "file"])
def test_concurrent_heartbeats_are_all_kept_and_nothing_errors(
    db: str, tmp_path, caplog: pytest.LogCaptureFixture,  # noqa: ANN001
) -> None:
    """Eight displays beating from eight threads while two more list the fleet, on SQLite in
    memory (the embedded server's store) and in a file (the standalone one's): every beat is
    recorded without an error (a reader once landed in a writer's transaction on the shared
    in-memory connection: "cannot commit - no transaction is active", heartbeats lost), and
    every display is listed with its latest heartbeat."""
    from cockpit.central.displays import DisplayRegistry
    from cockpit.central.state import StateStore

    store = StateStore(None if db == "memory" else f"sqlite:///{tmp_path / 'central.sqlite'}")
    registry = DisplayRegistry(now_ms, store=store)
    beats, walls = 60, 8
    done = False

    def beat(i: int) -> int:
        for k in range(beats):
            registry.record(DisplayHeartbeat(display_id=f"wall-{i}", version="1.0", ts=START + k, uptime_s=k,
                                             link="live", data_age_s={"city": 1.0}))
        return beats

    def read() -> int:
        n = 0
        while not done:
            registry.listing()
            n += len(registry) > 0
            time.sleep(0.001)
        return n

    try:
        with caplog.at_level(logging.WARNING), ThreadPoolExecutor(walls + 2) as pool:
            readers = [pool.submit(read) for _ in range(2)]
            writers = [pool.submit(beat, i) for i in range(walls)]
            try:
                assert [w.result(60) for w in writers] == [beats] * walls  # re-raises a writer's error
            finally:
                done = True
            for r in readers:
                r.result(60)
        listed = {d.heartbeat.display_id: (d.heartbeat.ts, d.heartbeat.uptime_s) for d in registry.listing().displays}
        assert listed == {f"wall-{i}": (START + beats - 1, beats - 1) for i in range(walls)}
        assert len(registry) == walls
        assert not [r for r in caplog.records if "transaction" in r.getMessage()]
    finally:
        store.close()
