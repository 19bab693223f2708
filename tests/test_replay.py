"""Time travel: the reference server's past snapshots, and the window replaying a moment
(--at, the band, the time bar's buttons, playback, back to live, a moment not kept)."""

from __future__ import annotations

import asyncio
import time

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from cockpit.api.schema import ErrorBody, Snapshot
from cockpit.central.runner import EmbeddedServer
from cockpit.central.server import create_app
from cockpit.central.simulator import HISTORY_MS, Simulator
from cockpit.moments import moment_text, parse_moment
from tests.test_alarm_loop import _run_app_with
from tests.test_app_e2e import _until
from widgets.state import DataState

# A closed in-process Cockpit window is kept alive by signal connections to lambdas that
# capture it (see Cockpit._close_windows); deleting it crashed a later run: allowed here.
pytestmark = pytest.mark.leaks_qt("Cockpit window outlives run()")

T0 = 1_765_000_000_000


def test_a_past_snapshot_is_what_the_server_said_then_and_the_unkept_past_is_missing() -> None:
    clock = [T0]
    with EmbeddedServer(create_app(Simulator(8), clock=lambda: clock[0])) as srv:
        url = srv.url + "/api/v1/brains/dyeing/snapshot"
        then = requests.get(url, timeout=10).content
        clock[0] = T0 + 3_600_000  # an hour later
        again = requests.get(url, params={"at": T0}, timeout=10)
        assert again.status_code == 200 and again.content == then  # as it was, to the byte
        assert again.headers["etag"] and "max-age" in again.headers["cache-control"]
        iso = requests.get(url, params={"at": "2025-12-06T13:46:40+08:00"}, timeout=10)  # T0 with an offset
        assert Snapshot.model_validate_json(iso.content) == Snapshot.model_validate_json(then)
        old = requests.get(url, params={"at": clock[0] - HISTORY_MS - 1}, timeout=10)
        assert old.status_code == 404 and ErrorBody.model_validate_json(old.content).error == "not_kept"
        for bad in (str(clock[0] + 60_000), "2025-12-06 13:46"):  # the future; no offset
            r = requests.get(url, params={"at": bad}, timeout=10)
            assert r.status_code == 400, bad


def test_at_shows_every_tab_as_it_was_with_the_band_and_back_to_live_returns(qloop) -> None:
    now = time.time_ns() // 1_000_000
    at_text = moment_text(now - 5 * 3_600_000, fmt="%Y-%m-%d %H:%M")
    at = parse_moment(at_text)
    want = Simulator(20261127).snapshot("dyeing", at)  # the embedded API's default seed
    seen: dict = {}

    async def scenario(c) -> None:
        main = c.main
        await _until(lambda: c.replay is not None and not c.replay.live and c.replay.ready
                     and main.tabs_by_brain.get("dyeing") is not None, 30, "the replayed moment")
        main.show_brain("dyeing")
        main.show()
        tab = main.tabs_by_brain["dyeing"]
        await _until(lambda: tab.snapshot is not None and tab.snapshot.ts == at, 10, "the past on the tab")
        bar = main.replay_bar
        await asyncio.sleep(1.5)  # the numbers' change animation settles
        seen["band"] = (bar.isVisible(), bar.band.text())
        seen["values"] = {b.metric.id: b.widget.value() for b in tab.bindings if hasattr(b.widget, "value")}
        main.refresh()
        seen["states"] = {b.widget.state() for b in tab.bindings}
        # playback at 60×: one second on is a minute later
        c.replay.play(60)
        c.replay.step()
        seen["stepped"] = c.replay.cursor_ms
        c.replay.pause()
        # 回到实时, clicked
        QTest.mouseClick(bar.live_button, Qt.MouseButton.LeftButton)
        await _until(lambda: tab.snapshot is not None and tab.snapshot.ts > now - 60_000, 10, "live again")
        seen["after"] = (bar.isVisible(), c.models.cursor())
        # a moment the platform does not keep: every widget says so, no number is made up
        c.replay.go(now - HISTORY_MS - 3_600_000)
        await _until(lambda: c.replay.ready, 20, "the unkept moment")
        await _until(lambda: tab.past_missing, 5, "missing shown")
        main.refresh()
        seen["missing"] = ({b.widget.state() for b in tab.bindings}, {b.widget.note() for b in tab.bindings},
                           bar.band.text())

    _run_app_with(qloop, ["--at", at_text, "--tab", "dyeing"], scenario)
    visible, text = seen["band"]
    assert visible and text.startswith(f"回放 · {moment_text(at)}")
    for mid, v in seen["values"].items():
        r = want.values.get(mid)
        if r is not None and r.value is not None and v is not None:
            assert abs(v - r.value) < 1e-6, mid
    assert DataState.STALE not in seen["states"] and DataState.OFFLINE not in seen["states"]
    assert seen["stepped"] == at + 60_000
    assert seen["after"] == (False, None)
    states, notes, band = seen["missing"]
    assert states == {DataState.NO_DATA} and notes == {"该时刻无数据（超出平台保存期限）"}
    assert "无数据" in band
