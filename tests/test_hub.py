"""The real Hub with the real ApiClient against the fault server, on a plain asyncio loop.

No Qt, no mocks: what is asserted is what a subscriber (the UI) gets through the
callbacks and what stays in ``hub.snapshots`` / ``hub.status``.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from faultserver import CATALOG_PATH, Behaviour, FaultServer

from cockpit.api.client import ApiClient, ClientConfig
from cockpit.api.schema import Catalog
from cockpit.hub.hub import BrainUpdate, Hub, HubStatus, LinkState, now_ms

SNAPSHOTS = "/api/v1/brains/*/snapshot"
WINE = "/api/v1/brains/wine/snapshot"
BRAINS = {"dyeing", "wine"}

POLL_S = 0.1
HUB_CLIENT = {
    "connect_timeout_s": 0.5,
    "read_timeout_s": 0.5,
    "retries": 1,
    "backoff_s": 0.01,
    "max_backoff_s": 0.05,
}


class Probe:
    """Subscribes to a hub and keeps everything it publishes."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.catalogs: list[Catalog] = []
        self.updates: list[BrainUpdate] = []
        self.statuses: list[HubStatus] = []
        hub.on_catalog(self.catalogs.append)
        hub.on_update(self.updates.append)
        hub.on_status(self.statuses.append)

    def brains_updated(self, since: int = 0) -> list[str]:
        return [u.brain for u in self.updates[since:]]

    async def until(self, pred: Callable[[], bool], what: str, timeout: float = 2.0) -> None:
        deadline = time.monotonic() + timeout
        while not pred():
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout} s for {what}; hub status now: {self.hub.status}")
            await asyncio.sleep(0.01)

    async def live_with_all_brains(self) -> None:
        await self.until(
            lambda: self.hub.status.state is LinkState.LIVE and set(self.brains_updated()) == BRAINS,
            "LIVE with a first snapshot of every brain",
        )


Scenario = Callable[[Hub, Probe], Awaitable[None]]


def run_hub(server: FaultServer, scenario: Scenario, *, max_backoff_s: float = 0.2, budget_s: float = 4.5,
            **hub_options: Any) -> None:
    """Run ``scenario`` against a started hub; tear everything down, bounded."""
    client = ApiClient(ClientConfig(server.base_url, **HUB_CLIENT))
    executor = ThreadPoolExecutor(4, thread_name_prefix="hub-test")

    async def main() -> None:
        hub = Hub(client, executor, poll_interval_s=POLL_S, max_backoff_s=max_backoff_s, **hub_options)
        probe = Probe(hub)
        task = hub.start()
        try:
            await asyncio.wait_for(scenario(hub, probe), budget_s)
            assert not task.done(), "the hub's task ended on its own"
        finally:
            await hub.stop()

    try:
        asyncio.run(main())
    finally:
        server.stop()  # cut whatever a worker may still be reading, so the pool ends now
        executor.shutdown(wait=True, cancel_futures=True)
        client.close()


# ---- live -------------------------------------------------------------------------------


def test_catalog_once_updates_only_for_new_snapshots(server):
    async def scenario(hub: Hub, probe: Probe) -> None:
        await probe.live_with_all_brains()
        assert probe.catalogs == [server.good.catalog()]
        assert hub.catalog == server.good.catalog()
        assert sorted(probe.brains_updated()) == ["dyeing", "wine"]
        for u in probe.updates:
            assert u.snapshot == server.good.snapshot(u.brain)
            assert hub.snapshots[u.brain] == u.snapshot

        # an unchanged server: the hub keeps polling, gets 304s, publishes nothing
        n = len(probe.updates)
        t0 = time.monotonic()  # the fault server's request clock: requests after this one
        answered = lambda: [r for r in server.requests(SNAPSHOTS, since=t0) if r.response_status is not None]  # noqa: E731
        await probe.until(lambda: len(answered()) >= 6, "six more polls")
        polled = answered()
        for r in polled:
            brain = r.path.split("/")[4]
            assert r.headers.get("if-none-match") == server.good.etag(brain)
            assert r.response_status == 304
        assert len(probe.updates) == n, probe.updates[n:]
        assert hub.status.state is LinkState.LIVE

        # one brain changes: exactly one update, for that brain, with the new data
        new = server.good.bump("dyeing")
        await probe.until(lambda: len(probe.updates) > n, "an update after the change")
        await asyncio.sleep(0.3)
        assert probe.brains_updated(n) == ["dyeing"]
        assert probe.updates[n].snapshot == new
        assert hub.snapshots == {"dyeing": new, "wine": server.good.snapshot("wine")}
        assert len(probe.catalogs) == 1
        assert server.count(CATALOG_PATH) == 1

    run_hub(server, scenario)


# ---- the whole server goes away, then comes back ---------------------------------------


OUTAGES = {
    "refused": (lambda s: s.refuse(), lambda s: s.resume(), "connection refused"),
    "closed": (
        lambda s: s.set("*", Behaviour.close_immediately()),
        lambda s: s.reset(),
        "connection failed",
    ),
    "503": (
        lambda s: s.set("*", Behaviour.status(503, detail="maintenance")),
        lambda s: s.reset(),
        "HTTP 503: maintenance",
    ),
    "hang": (lambda s: s.set("*", Behaviour.hang()), lambda s: s.reset(), "did not answer in time"),
}


@pytest.mark.parametrize("outage", list(OUTAGES))
def test_outage_goes_offline_keeps_data_and_recovers(server, outage):
    break_server, repair_server, reason = OUTAGES[outage]

    async def scenario(hub: Hub, probe: Probe) -> None:
        await probe.live_with_all_brains()
        shown = dict(hub.snapshots)
        n = len(probe.updates)

        break_server(server)
        await probe.until(lambda: hub.status.state is LinkState.OFFLINE, "OFFLINE", timeout=2.5)
        t_offline = now_ms()
        assert reason in hub.status.reason
        assert probe.statuses[-1].state is LinkState.OFFLINE and reason in probe.statuses[-1].reason
        data_as_of = hub.status.last_update_ms
        assert data_as_of is not None and data_as_of <= t_offline

        await asyncio.sleep(0.4)  # stays offline, keeps what was shown, publishes nothing
        assert hub.status.state is LinkState.OFFLINE
        assert hub.status.last_update_ms == data_as_of
        assert hub.snapshots == shown
        assert len(probe.updates) == n

        new = server.good.bump("wine")
        repair_server(server)
        await probe.until(lambda: hub.status.state is LinkState.LIVE, "LIVE again", timeout=2.5)
        await probe.until(lambda: hub.snapshots.get("wine") == new, "the new wine snapshot")
        assert any(u.brain == "wine" and u.snapshot == new for u in probe.updates[n:])
        assert hub.status.reason == ""
        assert hub.status.last_update_ms > t_offline
        assert len(probe.catalogs) == 1

    run_hub(server, scenario)


def _snapshot_text(server, brain: str) -> str:
    return server.good.snapshot(brain).model_dump_json()


def _wine_nan(server) -> str:
    doc = json.loads(_snapshot_text(server, "wine"))
    doc["values"]["wine.output"]["value"] = float("nan")
    return json.dumps(doc)  # raw NaN token


def _wine_ts_seconds(server) -> str:
    doc = json.loads(_snapshot_text(server, "wine"))
    doc["ts"] = 1_764_000_000
    return json.dumps(doc)


def _wine_with_dyeing_metric(server) -> str:
    doc = json.loads(_snapshot_text(server, "wine"))
    doc["values"]["dyeing.run_rate"] = {"value": 99.0, "ts": doc["ts"]}
    return json.dumps(doc)


def _dyeing_served_as_wine(server) -> str:
    return _snapshot_text(server, "dyeing")


@pytest.mark.parametrize(
    ("make_bad", "expected"),
    [
        (_wine_ts_seconds, "ts"),
        (_dyeing_served_as_wine, "names brain 'dyeing'"),
    ],
    ids=["ts-seconds", "other-brains-snapshot"],
)
def test_contract_breaking_brain_is_isolated(server, make_bad, expected):
    async def scenario(hub: Hub, probe: Probe) -> None:
        await probe.live_with_all_brains()
        good_wine = hub.snapshots["wine"]
        n = len(probe.updates)

        server.set(WINE, Behaviour.json(make_bad(server)))
        await probe.until(lambda: "wine" in hub.status.errors, "an error for wine")
        assert expected in hub.status.errors["wine"]
        assert "dyeing" not in hub.status.errors
        assert hub.status.state is LinkState.LIVE
        assert any("wine" in s.errors for s in probe.statuses)  # subscribers were told

        for _ in range(2):  # the other brain keeps updating
            new = server.good.bump("dyeing")
            await probe.until(lambda new=new: hub.snapshots["dyeing"] == new, "a new dyeing snapshot")
        assert probe.brains_updated(n) == ["dyeing", "dyeing"]  # nothing for the bad payloads
        assert hub.snapshots["wine"] == good_wine  # the last good data stays on screen
        assert "wine" in hub.status.errors

        new_wine = server.good.bump("wine")
        server.reset(WINE)
        await probe.until(
            lambda: hub.snapshots["wine"] == new_wine and "wine" not in hub.status.errors,
            "wine repaired",
        )
        assert probe.brains_updated(n)[-1] == "wine"

    run_hub(server, scenario)


@pytest.mark.parametrize(
    ("catalog_fault", "reason"),
    [
        (Behaviour.status(503, detail="starting up"), "HTTP 503: starting up"),
        (Behaviour.json({"api_version": "v1", "ts": 1_764_000_000, "brains": []}), "ts"),
    ],
    ids=["503", "contract"],
)
def test_catalog_unavailable_at_start(server, catalog_fault, reason):
    server.set(CATALOG_PATH, catalog_fault)

    async def scenario(hub: Hub, probe: Probe) -> None:
        await probe.until(lambda: hub.status.state is LinkState.OFFLINE, "OFFLINE")
        assert reason in hub.status.reason
        await asyncio.sleep(0.3)
        assert probe.catalogs == [] and probe.updates == [] and hub.catalog is None
        assert server.count(SNAPSHOTS) == 0
        assert server.count(CATALOG_PATH) >= 2  # it keeps trying

        server.reset()
        await probe.live_with_all_brains()
        assert probe.catalogs == [server.good.catalog()]

    run_hub(server, scenario)


def test_backoff_lowers_the_request_rate_while_offline(server):
    """While offline the hub waits longer and longer between attempts (up to max_backoff_s),
    where a live hub waits one poll interval. Asserted on the waits the hub asks for (its
    injected sleep records them), not on request rates measured over real time."""
    waits: list[tuple[str, float]] = []
    state = {"now": "live"}

    async def sleep(s: float) -> None:
        waits.append((state["now"], s))
        await asyncio.sleep(s)

    async def scenario(hub: Hub, probe: Probe) -> None:
        await probe.live_with_all_brains()
        await probe.until(lambda: sum(1 for st, _ in waits if st == "live") >= 12, "live polls")
        server.set("*", Behaviour.status(503))
        state["now"] = "going offline"
        await probe.until(lambda: hub.status.state is LinkState.OFFLINE, "OFFLINE")
        state["now"] = "offline"
        await probe.until(lambda: sum(1 for st, _ in waits if st == "offline") >= 12, "offline attempts", 4)
        assert hub.status.state is LinkState.OFFLINE and server.count(SNAPSHOTS) > 0

    run_hub(server, scenario, max_backoff_s=1.0, sleep=sleep, budget_s=8)
    live = [s for st, s in waits if st == "live"]
    offline = [s for st, s in waits if st == "offline"]
    assert max(live) <= POLL_S * 1.01  # live: the next interval boundary, at most one poll interval
    assert max(offline) > 2 * POLL_S  # offline: backed off, several intervals
    assert all(s <= 1.0 for s in offline)  # never beyond max_backoff_s


# ---- known bugs (see reasons) ----------------------------------------------------------


def test_one_brain_failing_with_5xx_is_reported(server):
    async def scenario(hub: Hub, probe: Probe) -> None:
        await probe.live_with_all_brains()
        server.set(WINE, Behaviour.status(500, detail="wine database down"))
        new = server.good.bump("dyeing")
        await probe.until(lambda: hub.snapshots["dyeing"] == new, "dyeing still updating")
        await probe.until(lambda: "wine" in hub.status.errors, "wine reported as failing", timeout=1.5)
        assert "500" in hub.status.errors["wine"]

    run_hub(server, scenario)


def test_trickling_brain_does_not_freeze_the_others(server):
    async def scenario(hub: Hub, probe: Probe) -> None:
        await probe.live_with_all_brains()
        # a full (not 304) snapshot, its body trickled at 20 B/s: ~30 s for one answer
        server.set(WINE, Behaviour.slow(20, body=server.good.snapshot("wine"), headers_too=False))
        await asyncio.sleep(0.2)
        new = server.good.bump("dyeing")
        await probe.until(lambda: hub.snapshots["dyeing"] == new, "dyeing still updating", timeout=3.0)

    run_hub(server, scenario)


def test_a_bad_reading_marks_that_metric_only(server):
    """A NaN reading (poll mode) leaves out that metric, marked; the rest of the wine
    snapshot is published; a key of another brain is ignored (not a problem)."""
    async def scenario(hub: Hub, probe: Probe) -> None:
        await probe.live_with_all_brains()
        doc = json.loads(_wine_with_dyeing_metric(server))
        doc["values"]["wine.output"]["value"] = float("nan")
        doc["values"]["wine.vintage_stock"]["value"] = 12.5
        server.set(WINE, Behaviour.json(doc))
        await probe.until(lambda: "wine" in hub.status.problems, "a problem for wine")
        assert set(hub.status.problems["wine"]) == {"metric:wine.output"}
        assert hub.status.problems["wine"]["metric:wine.output"].kind == "number"
        assert "wine" not in hub.status.errors  # the snapshot as a whole was taken
        assert hub.snapshots["wine"].values["wine.vintage_stock"].value == 12.5
        assert "wine.output" not in hub.snapshots["wine"].values
        assert probe.updates[-1].problems.keys() == {"metric:wine.output"}
        server.reset(WINE)
        server.good.bump("wine")
        await probe.until(lambda: "wine" not in hub.status.problems, "wine repaired")

    run_hub(server, scenario)
