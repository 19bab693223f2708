"""Every fault of the central API, as the user sees it and as the cache keeps it.

The real cockpit (polling: the fault server has no stream) against the misbehaving
loopback server, with a real cache file. For each fault, on both brains at once: the
screen keeps the last good values and marks them (offline for a transport fault, "数据异常"
for a payload that breaks the contract), nothing wrong is shown, and the cache holds the
last good snapshot and no wrong point.
"""

from __future__ import annotations

import asyncio
import json
import math

import numpy as np
import pytest
from faultserver import Behaviour, FaultServer
from test_app_e2e import _run_app, _until

from cockpit.app import Cockpit
from cockpit.cache import CacheStore
from cockpit.hub.hub import LinkState
from widgets.state import DataState

# A closed in-process Cockpit window is kept alive by signal connections to lambdas that
# capture it (see Cockpit._close_windows); deleting it crashed a later run: allowed here.
pytestmark = pytest.mark.leaks_qt("Cockpit window outlives run()")

SNAPSHOTS = "/api/v1/brains/*/snapshot"


def _bad_json(fs: FaultServer, change) -> Behaviour:
    doc = json.loads(fs.good.snapshot("dyeing").model_dump_json())
    change(doc)
    return Behaviour.json(json.dumps(doc))


def _first_value(doc: dict) -> dict:
    return next(iter(doc["values"].values()))


# (a full body is given where the fault server would otherwise answer the client's
# If-None-Match with a 304, which is not a fault)
TRANSPORT = {  # link faults: the screen goes offline
    "hang": lambda fs: Behaviour.hang(),
    # the body a byte a second (headers at once): cut at the client's deadline. Headers
    # trickled a byte a second are NOT caught yet (a known gap: see the issue note)
    "one byte a second": lambda fs: Behaviour.slow(1, body=fs.good.snapshot("dyeing"), headers_too=False),
    "500": lambda fs: Behaviour.status(500, "upstream database unavailable"),
    "502": lambda fs: Behaviour.status(502),
    "503": lambda fs: Behaviour.status(503, retry_after=1),
    "429 retry-after": lambda fs: Behaviour.status(429, "slow down", retry_after=2),
    "truncated body": lambda fs: Behaviour.truncate(40, body=fs.good.snapshot("dyeing")),
    "garbage bytes": lambda fs: Behaviour.garbage(b"\x00\xffNOT HTTP\r\n\r\n"),
}
CONTRACT = {  # payload faults of the whole answer: the brain is marked, the link stays up
    "not json": lambda fs: Behaviour.json("<html>oops</html>", content_type="text/html"),
    "no brain": lambda fs: _bad_json(fs, lambda d: d.pop("brain")),
    "50 MB body": lambda fs: Behaviour.huge(50),
}
PART = {  # one reading breaks the contract: that metric is marked, the rest stays live
    "wrong type": lambda fs: _bad_json(fs, lambda d: _first_value(d).update(value="12.5%")),
    "missing field": lambda fs: _bad_json(fs, lambda d: _first_value(d).pop("ts")),
    "NaN": lambda fs: _bad_json(fs, lambda d: _first_value(d).update(value=math.nan)),
    "Infinity": lambda fs: _bad_json(fs, lambda d: _first_value(d).update(value=math.inf)),
}
IGNORED = {  # unknown keys: ignored, nothing is marked
    "unknown metric": lambda fs: _bad_json(fs, lambda d: d["values"].update(
        {"dyeing.no_such_metric": {"value": 1.0, "ts": d["ts"]}, "wine.output": {"value": 2.0, "ts": d["ts"]}})),
}


@pytest.mark.parametrize("fault", [*TRANSPORT, *CONTRACT, *PART, *IGNORED])
def test_fault(qloop, tmp_path, fault):
    cache = tmp_path / "cache.sqlite"
    transport = fault in TRANSPORT
    seen: dict = {}
    with FaultServer() as fs:
        good = fs.good.snapshot("dyeing")

        async def scenario(c: Cockpit) -> None:
            win = c.window
            await _until(lambda: "dyeing" in win.tabs_by_brain, 10, "tabs")
            win.show_brain("dyeing")
            tab = win.tabs_by_brain["dyeing"]
            await _until(lambda: tab.widgets_with_data() == tab.widget_count(), 10, "data")
            win.refresh()
            seen["before"] = {b.metric.id: b.widget.value_text() for b in tab.bindings}
            make = TRANSPORT.get(fault) or CONTRACT.get(fault) or PART.get(fault) or IGNORED[fault]
            if transport:
                fs.set(SNAPSHOTS, make(fs))
                # a trickled answer is cut at the client's deadline (3 s connect + 4 s read) and
                # tried twice before the link is called offline: 14 s and more on a busy machine
                await _until(lambda: c.hub.status.state is LinkState.OFFLINE, 40, "offline")
            elif fault in CONTRACT:
                fs.set("/api/v1/brains/dyeing/snapshot", make(fs))
                await _until(lambda: "dyeing" in c.hub.status.errors, 15, "the payload rejected")
            elif fault in PART:
                fs.set("/api/v1/brains/dyeing/snapshot", make(fs))
                await _until(lambda: "dyeing" in c.hub.status.problems, 15, "the reading left out")
            else:
                n = fs.count("/api/v1/brains/dyeing/snapshot")
                fs.set("/api/v1/brains/dyeing/snapshot", make(fs))
                await _until(lambda: fs.count("/api/v1/brains/dyeing/snapshot") >= n + 2, 15, "answers read")
            seen["first"] = next(iter(good.values))
            await asyncio.sleep(1.1)  # the 1 Hz refresh of states
            win.refresh()
            seen["after"] = {b.metric.id: b.widget.value_text() for b in tab.bindings}
            seen["states"] = {b.widget.state() for b in tab.bindings}
            seen["notes"] = {b.widget.note() for b in tab.bindings}
            seen["bstates"] = {b.metric.id: b.widget.state() for b in tab.bindings}
            seen["bnotes"] = {b.metric.id: b.widget.note() for b in tab.bindings}
            seen["status"] = win.link_label.text()
            seen["errors"] = win.error_label.text()

        _run_app(qloop, ["--api", fs.base_url, "--cache", str(cache), "--size", "1280x720"], scenario)

    # what the user sees: the last good values, marked
    assert seen["after"] == seen["before"], "a value changed or vanished"
    if transport:
        assert seen["states"] == {DataState.OFFLINE}
        assert all(n.startswith("离线 · 数据截至 ") for n in seen["notes"]), seen["notes"]
        assert seen["status"].startswith("● 离线")
    elif fault in CONTRACT:
        assert seen["states"] == {DataState.STALE}
        assert all(n.startswith("数据异常 · 截至 ") for n in seen["notes"]), seen["notes"]
        assert seen["errors"].startswith("数据异常 (印染大脑)"), seen["errors"]
    elif fault in PART:  # that metric marked (its last good value kept), the others live
        states, notes = seen["bstates"], seen["bnotes"]
        first = seen["first"]
        assert states[first] == DataState.STALE and notes[first].startswith("数据异常："), notes[first]
        assert {s for m, s in states.items() if m != first} == {DataState.LIVE}
        assert seen["errors"].startswith("数据异常 1 处 · 印染大脑 · 指标"), seen["errors"]
        assert "value" not in seen["errors"].split("：")[-1] or "（" in seen["errors"]  # Chinese, not pydantic text
        assert "Input should" not in seen["errors"]
    else:
        assert seen["states"] == {DataState.LIVE} and seen["errors"] == ""
    # what the cache holds: the last good snapshot, no wrong point
    store = CacheStore.open(cache)
    try:
        cached = store.load_snapshots()["dyeing"][0]
        if fault in PART:  # the answer without its broken reading (the point cache keeps the good one)
            assert cached.values == {k: v for k, v in good.values.items() if k != seen["first"]}
        else:
            assert cached == good
        for mid, r in good.values.items():
            ts, vals = store.points(mid, 0, 2**62)
            assert np.isfinite(vals).all() and set(vals.tolist()) == {r.value}, (mid, vals)
        assert store.points("dyeing.no_such_metric", 0, 2**62)[0].size == 0
    finally:
        store.close()
