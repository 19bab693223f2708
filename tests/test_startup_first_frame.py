"""``cockpit --bench`` from a filled cache: the first frame shows the cache's values, read
with plain sqlite3 before SQLAlchemy, pydantic, requests or the embedded server are
imported; the read-only look equals the store's own read; PySide6's import hook keeps no
module sources (cockpit.qtimport)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from cockpit.api.schema import Reading, Snapshot

ROOT = Path(__file__).resolve().parents[1]
SPEC = {"canvas": [1280, 1000], "gauges": 2, "line_charts": 2, "points_per_chart": 100, "kpi_tiles": 1,
        "rate_hz": 1, "duration_s": 2, "warmup_s": 1}
VALUES = {"bench.k01": 12345.0, "bench.g01": 42.5, "bench.g02": None, "bench.l01": 61.0, "bench.l02": 7.25}
# the modules the first frame must not wait for: the cache's store and the client (SQLAlchemy,
# pydantic, requests) and the embedded server (FastAPI, uvicorn)
HEAVY = ["sqlalchemy", "pydantic", "requests", "fastapi", "uvicorn", "starlette", "cockpit.cache.store",
         "cockpit.api.client", "cockpit.hub.hub", "cockpit.central.server"]


def _fill(path: Path, now_ms: int, snapshot_json: str | None = None) -> None:
    """A cache file as a --bench run leaves it: the bench snapshot and the charts' points."""
    from cockpit.cache.store import CacheStore

    ts = now_ms - 5_000
    snap = Snapshot(brain="bench", ts=ts, values={k: Reading(value=v, ts=ts) for k, v in VALUES.items()})
    points = [(m, now_ms - 1000 * (30 - i), 50.0 + i + (0.5 if m.endswith("2") else 0))
              for m in ("bench.l01", "bench.l02") for i in range(30)]
    points.append(("bench.l01", now_ms - 1000 * 10 + 1, None))  # a gap
    st = CacheStore.open(path)
    try:
        st.write(points=points, snapshots=[(snap, ts)])
        if snapshot_json is not None:
            st._db.execute("UPDATE snapshots SET json = ? WHERE brain = 'bench'", (snapshot_json,))
    finally:
        st.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---- the first frame in a fresh process ------------------------------------------------------

HOOK = r"""
import json, os, runpy, sys
import PySide6.QtWidgets as W
from PySide6.QtCore import QEvent, QObject, QTimer
HEAVY = json.loads(os.environ["HEAVY"])

class _First(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint and obj.isWidgetType() and obj.isWindow():
            W.QApplication.instance().removeEventFilter(self)
            loaded = sorted(m for m in HEAVY if m in sys.modules)  # when the first frame is painted
            def report():
                print("FIRST_FRAME " + json.dumps({
                    "loaded": loaded, "title": obj.windowTitle(), "cached": getattr(obj, "cached", None),
                    "tiles": [t.value() for t in obj.tiles], "gauges": [g.value() for g in obj.gauges],
                    "charts": [len(c.series_data(0)[0]) for c in obj.charts]}), flush=True)
                os._exit(0)
            QTimer.singleShot(0, report)
        return False

class _App(W.QApplication):
    def __init__(self, *a):
        super().__init__(*a)
        self._first = _First()
        self.installEventFilter(self._first)

W.QApplication = _App
sys.argv = ["cockpit"] + sys.argv[1:]
runpy.run_module("cockpit", run_name="__main__", alter_sys=True)
"""


def _first_frame(tmp_path: Path, cache: Path) -> dict:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HEAVY": json.dumps(HEAVY),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "cache-home")}
    out = subprocess.run([sys.executable, "-c", HOOK, "--bench", str(spec), "--cache", str(cache),
                          "--log-level", "WARNING"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    line = next((x for x in out.stdout.splitlines() if x.startswith("FIRST_FRAME ")), None)
    assert line is not None, out.stderr[-2000:]
    return json.loads(line.split(" ", 1)[1])


def test_the_first_frame_shows_the_cached_values_before_the_store_client_and_server_are_imported(tmp_path):
    import time

    cache = tmp_path / "cache.sqlite"
    _fill(cache, int(time.time() * 1000))
    before = _digest(cache)
    got = _first_frame(tmp_path, cache)
    assert got["title"] == "cockpit bench"
    assert got["cached"] is True
    assert got["tiles"] == [12345.0] and got["gauges"] == [42.5, None]
    assert got["charts"] == [31, 30]  # the charts' points from the cache (one a gap)
    assert got["loaded"] == []  # none of SQLAlchemy, pydantic, requests, FastAPI, uvicorn yet
    assert _digest(cache) == before  # the look before the store is read-only


def test_a_cache_the_quick_look_cannot_read_is_opened_by_the_store_before_the_first_frame(tmp_path):
    """A file of another schema version: the store (SQLAlchemy) decides, as before."""
    import sqlite3
    import time

    cache = tmp_path / "cache.sqlite"
    _fill(cache, int(time.time() * 1000))
    db = sqlite3.connect(cache)
    db.execute("PRAGMA user_version = 99")
    db.close()
    got = _first_frame(tmp_path, cache)
    assert "cockpit.cache.store" in got["loaded"]  # the store opened it first
    assert got["cached"] is False and got["tiles"] == [None]  # a newer file is left untouched: nothing shown


# ---- the read-only look against the store's read ----------------------------------------------


class _Owner:
    args = type("A", (), {"screenshot": None})()

    def spawn(self, coro):
        coro.close()

    def request_quit(self) -> None:
        pass


def _window(qapp, cache=None):
    from cockpit.ui.bench_view import BenchWindow

    return BenchWindow(dict(SPEC), None, _Owner(), cache=cache)


def _shown(w) -> tuple:
    return ([t.value() for t in w.tiles], [g.value() for g in w.gauges],
            [tuple([None if np.isnan(v) else v for v in np.asarray(a).tolist()] for a in c.series_data(0))
             for c in w.charts],
            [p.state() for p in w.panels])


def test_the_look_into_the_file_paints_what_the_store_paints(qloop, tmp_path):
    import time

    from cockpit.cache.worker import CacheWorker

    cache = tmp_path / "cache.sqlite"
    now = int(time.time() * 1000)
    _fill(cache, now)
    before = _digest(cache)
    quick = _window(qloop)
    assert quick.paint_from_file(cache) is True
    assert quick.cached
    assert _digest(cache) == before
    worker = CacheWorker(cache)
    stored = _window(qloop, worker)

    async def go() -> None:
        await worker.start()
        try:
            assert await stored.paint_from_cache() is True
        finally:
            await worker.close()

    qloop.run_until_complete(go())
    try:
        assert _shown(quick) == _shown(stored)
        tiles, gauges, charts, _states = _shown(quick)
        assert tiles == [12345.0] and gauges == [42.5, None]
        assert len(charts[0][0]) == 31 and charts[0][1].count(None) == 1
    finally:
        quick.close()
        stored.close()


@pytest.mark.parametrize("damage", ["missing", "garbage", "foreign", "text value", "other brain"])
def test_a_file_the_look_cannot_trust_paints_nothing_and_is_left_as_it_was(qapp, tmp_path, damage):
    import sqlite3
    import time

    cache = tmp_path / "cache.sqlite"
    if damage == "garbage":
        cache.write_bytes(b"not a database at all" * 10)
    elif damage == "foreign":
        db = sqlite3.connect(cache)
        db.execute("CREATE TABLE snapshots (brain TEXT, json TEXT)")
        db.commit()
        db.close()
    elif damage != "missing":
        ts = int(time.time() * 1000)
        values = {"bench.k01": {"value": "many", "ts": ts}} if damage == "text value" else {}
        brain = "bench" if damage == "text value" else "other"
        _fill(cache, ts, json.dumps({"brain": brain, "ts": ts, "values": values}))
    before = _digest(cache) if cache.exists() else None
    w = _window(qapp)
    try:
        assert w.paint_from_file(cache) is False
        assert not w.cached and [t.value() for t in w.tiles] == [None]
        assert (_digest(cache) if cache.exists() else None) == before
    finally:
        w.close()


def test_a_snapshot_the_contract_rejects_is_taken_off_once_the_store_reads_it(qloop, tmp_path):
    """The look checks only the values it shows; the store's check (pydantic) follows."""
    import time

    from cockpit.cache.worker import CacheWorker
    from widgets.state import DataState

    cache = tmp_path / "cache.sqlite"
    ts = int(time.time() * 1000)
    bad = {"brain": "bench", "ts": ts, "values": {"bench.k01": {"value": 1.0, "ts": ts}}, "alerts": "none"}
    _fill(cache, ts, json.dumps(bad))
    w = _window(qloop)
    assert w.paint_from_file(cache) is True and [t.value() for t in w.tiles] == [1.0]
    w.cache = worker = CacheWorker(cache)

    async def go() -> None:
        await worker.start()
        try:
            await w.confirm_cached()
        finally:
            await worker.close()

    qloop.run_until_complete(go())
    try:
        assert not w.cached
        assert [t.value() for t in w.tiles] == [None]
        assert all(len(c.series_data(0)[0]) == 0 for c in w.charts)
        assert {p.state() for p in w.panels} == {DataState.NO_DATA}
    finally:
        w.close()


# ---- PySide6's import hook ----------------------------------------------------------------------

HOOK_PROBE = r"""
import json, linecache, sys
lean = sys.argv[1] == "lean"
if lean:
    from cockpit.qtimport import import_qt
    assert import_qt()
import PySide6.QtWidgets
import qt_free_probe, qt_using_probe
feature = sys.modules["shibokensupport.feature"]
print(json.dumps({"kept": sorted(n for n in ("qt_free_probe", "qt_using_probe")
                                 if any(f.endswith(n + ".py") for f in linecache.cache)),
                  "flags": [feature.pyside_feature_dict.get(n) for n in ("qt_free_probe", "qt_using_probe")]}))
"""


@pytest.mark.parametrize("mode", ["lean", "plain"])
def test_modules_imported_after_qt_leave_no_source_behind(tmp_path, mode):
    """PySide6's hook reads every later module's source into linecache (plain); after
    import_qt it gives the same answer (0: mentions PySide6, -1: not) and keeps nothing."""
    (tmp_path / "qt_free_probe.py").write_text("X = 1\n" * 2000)
    (tmp_path / "qt_using_probe.py").write_text(textwrap.dedent("""\
        # drawn with PySide6
        Y = 2
        """))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    out = subprocess.run([sys.executable, "-c", HOOK_PROBE, mode], env=env, capture_output=True, text=True,
                         timeout=60, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["flags"] == [-1, 0]
    assert got["kept"] == ([] if mode == "lean" else ["qt_free_probe", "qt_using_probe"])


PG_PROBE = r"""
import json, sys
import PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets
if sys.argv[1] == "app":
    from cockpit.qtimport import import_pyqtgraph
    pg = import_pyqtgraph()
else:
    import pyqtgraph as pg
made = {n: len(sys.modules["PySide6." + n].__dict__) for n in ("QtCore", "QtGui", "QtWidgets")}
same = all(getattr(getattr(pg.Qt, n), name) is getattr(sys.modules["PySide6." + n], name)
           for n in ("QtCore", "QtGui", "QtWidgets") for name in dir(sys.modules["PySide6." + n])
           if not name.startswith("__"))  # a module's own __name__, __file__...
import PySide6.QtOpenGLWidgets
print(json.dumps({"made": made, "same": same, "names": {n: len(dir(sys.modules["PySide6." + n]))
                                                          for n in ("QtCore", "QtGui", "QtWidgets")},
                  "opengl": pg.Qt.QtWidgets.QOpenGLWidget is PySide6.QtOpenGLWidgets.QOpenGLWidget,
                  "version": pg.Qt.VERSION_INFO.startswith("PySide6"),
                  "plot": type(pg.PlotDataItem()).__name__}))
"""


@pytest.mark.parametrize("mode", ["app", "plain"])
def test_pyqtgraph_as_the_app_imports_it_creates_no_qt_class_before_it_is_used(tmp_path, mode):
    """pyqtgraph's Qt mirrors copy every PySide6 name at import (creating every class);
    import_pyqtgraph's mirrors hand out the very same objects on use."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", PG_PROBE, mode], env=env, capture_output=True, text=True,
                         timeout=60, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["same"] and got["opengl"] and got["version"] and got["plot"] == "PlotDataItem"
    created = sum(got["made"].values()) / sum(got["names"].values())
    if mode == "app":
        assert created < 0.5  # most of PySide6's classes were never made
    else:
        assert created > 0.9
