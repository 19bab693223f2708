"""End to end: the real cockpit (window, hub, client) against the real reference server.

The in-process tests drive the app's own qasync loop (pytest-qt does not drive qasync);
the subprocess tests run the installed ``cockpit`` command exactly as a user would.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import until
from PySide6.QtGui import QImage

from cockpit.app import Cockpit, build_parser
from cockpit.central.runner import EmbeddedServer
from cockpit.central.simulator import Simulator
from cockpit.hub.hub import LinkState
from widgets.state import DataState

# A closed in-process Cockpit window is kept alive by signal connections to lambdas that
# capture it (see Cockpit._close_windows); deleting it crashed a later run: allowed here.
pytestmark = pytest.mark.leaks_qt("Cockpit window outlives run()")

ROOT = Path(__file__).resolve().parent.parent


async def _until(cond, timeout: float, what: str) -> None:
    await until(cond, what, timeout)  # the shared helper (tests/helpers.py)


async def _until_quit(task: asyncio.Task, timeout: float) -> None:
    """Wait for the app's run() to end after request_quit() (callers give 20 s: joining the
    embedded server alone may take up to 10 s); if it does not within ``timeout``, print
    every thread's and task's stack (what shutdown waits for) to stderr, so a slow shutdown
    in CI says where it hung, then fail."""
    import faulthandler
    import sys

    try:
        await asyncio.wait_for(asyncio.shield(task), timeout)
    except TimeoutError:
        print(f"\nrun() did not end within {timeout:g} s of request_quit(); threads:", file=sys.stderr)
        faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
        for t in asyncio.all_tasks():
            print(f"task {t.get_name()}: {t.get_coro()!r}", file=sys.stderr)
            t.print_stack(limit=8, file=sys.stderr)
        task.cancel()
        raise


def _run_app(qloop, args: list[str], scenario) -> Cockpit:
    """Run the cockpit on the qasync loop while ``scenario(cockpit)`` runs; then quit it."""
    from PySide6.QtWidgets import QApplication

    if "--cache" not in args:
        args = [*args, "--cache", "memory"]  # never the user's cache folder from a test
    cockpit = Cockpit(QApplication.instance(), build_parser().parse_args(args))

    async def main() -> None:
        app_task = asyncio.ensure_future(cockpit.run())
        try:
            await _until(lambda: hasattr(cockpit, "window"), 10, "the window")
            await scenario(cockpit)
        finally:
            cockpit.request_quit()
            await _until_quit(app_task, 20)

    qloop.run_until_complete(main())
    return cockpit


@pytest.fixture
def server():
    with EmbeddedServer(Simulator(seed=7)) as srv:
        yield srv


def test_live_values_change_and_every_widget_gets_data(qloop, server):
    seen: dict = {}

    async def scenario(c: Cockpit) -> None:
        win = c.window
        await _until(lambda: win.current_tab() is not None, 10, "tabs from the catalog")
        assert [win.tabs.tabText(i) for i in range(win.tabs.count())] == [
            "产业大脑", "印染", "纺织", "黄酒", "集成电路", "医药", "亩均论英雄", "企业码"]
        tab = win.current_tab()
        assert tab.brain.id == "dyeing"  # --tab
        await _until(lambda: tab.widgets_with_data() == tab.widget_count(), 15, "data in every widget")
        first = {b.metric.id: b.widget.value_text() for b in tab.bindings}

        def changed() -> list[str]:
            return [b.metric.id for b in tab.bindings if b.widget.value_text() != first[b.metric.id]]

        try:  # 1 s metrics: several should move within a few seconds
            await _until(lambda: len(changed()) >= 3, 8, "values to change")
        finally:
            seen["changed"] = changed()
        seen["states"] = {b.widget.state() for b in tab.bindings}
        seen["status"] = win.link_label.text()
        seen["charts"] = [c.chart.series_data(c.series)[0].size for c in tab.charts]

    _run_app(qloop, ["--api", server.url, "--tab", "dyeing", "--size", "1280x720"], scenario)
    assert len(seen["changed"]) >= 3, f"values did not move: {seen['changed']}"
    assert seen["states"] == {DataState.LIVE}
    assert seen["status"].startswith("● 在线")
    # 24 h of history at 60 s steps plus live points
    assert all(n >= 1000 for n in seen["charts"]), seen["charts"]


def test_server_killed_shows_offline_and_keeps_values(qloop):
    srv = EmbeddedServer(Simulator(seed=3)).start()
    seen: dict = {}

    async def scenario(c: Cockpit) -> None:
        win = c.window
        await _until(lambda: win.current_tab() is not None, 10, "tabs")
        tab = win.current_tab()
        await _until(lambda: tab.widgets_with_data() == tab.widget_count(), 15, "data")
        srv.stop()
        await _until(lambda: c.hub.status.state == LinkState.OFFLINE, 10, "offline")
        await asyncio.sleep(1.2)  # the 1 Hz state refresh
        seen["before_after"] = [(b.widget.value(), b.widget.state(), b.widget.note()) for b in tab.bindings]
        seen["status"] = win.link_label.text()

    try:
        _run_app(qloop, ["--api", srv.url, "--size", "1280x720"], scenario)
    finally:
        srv.stop()
    for value, state, note in seen["before_after"]:
        assert value is not None, "a value vanished when the network went away"
        assert state == DataState.OFFLINE
        assert note.startswith("离线 · 数据截至 ")
    assert seen["status"].startswith("● 离线")
    assert "连接被拒绝" in seen["status"]  # the reason, in the interface language


def test_english_interface(qloop, server):
    seen: dict = {}

    async def scenario(c: Cockpit) -> None:
        await _until(lambda: c.window.current_tab() is not None, 10, "tabs")
        seen["tabs"] = [c.window.tabs.tabText(i) for i in range(c.window.tabs.count())]
        seen["title"] = c.window.windowTitle()

    _run_app(qloop, ["--api", server.url, "--lang", "en", "--size", "1280x720"], scenario)
    assert seen["tabs"][0] == "City overview" and "Printing && dyeing" in seen["tabs"]  # "&&": drawn as "&", no mnemonic
    assert seen["title"] == "Industry Brain Cockpit"


def _cockpit_cmd() -> list[str]:
    return [sys.executable, "-X", "faulthandler", "-m", "cockpit"]


def _run_cli(args: list[str], env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run the cockpit command; if it hangs, abort it so faulthandler prints every
    thread's stack into the failure message."""
    proc = subprocess.Popen(_cockpit_cmd() + args, env=env, cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)
        out, err = proc.communicate(timeout=10)
        raise AssertionError(f"cockpit {' '.join(args)} hung for {timeout} s; stacks:\n{err[-6000:]}") from None
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_screenshot_and_report_from_the_command_line(tmp_path):
    shot, report = tmp_path / "shot.png", tmp_path / "report.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = _run_cli(["--tab", "ic", "--size", "1600x900", "--screenshot", str(shot), "--report", str(report),
                     "--cache", str(tmp_path / "cache.sqlite")], env, timeout=90)
    assert proc.returncode == 0, proc.stderr
    img = QImage(str(shot))
    assert (img.width(), img.height()) == (1600, 900)
    colours = {img.pixel(x, y) for x in range(0, 1600, 23) for y in range(0, 900, 23)}
    assert len(colours) > 30, "the screenshot looks blank"
    r = json.loads(report.read_text("utf-8"))
    assert [t["id"] for t in r["tabs"]] == ["city", "dyeing", "textile", "wine", "ic", "pharma", "muni"]
    assert r["tabs"][4]["title"] == "集成电路"
    assert r["shown_tab"] == "ic" and r["embedded"] is True
    assert r["connection"]["state"] == "live"
    ic = r["brains"]["ic"]
    assert ic["widgets"] >= 8 and ic["widgets_with_data"] == ic["widgets"]
    assert ic["last_update_ms"] is not None


def test_screenshot_without_data_exits_nonzero_and_says_why(tmp_path):
    shot = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COCKPIT_READY_TIMEOUT_S": "3"}
    proc = _run_cli(["--api", "http://127.0.0.1:9", "--size", "800x600", "--screenshot", str(shot),
                     "--cache", "memory"], env)
    assert proc.returncode == 2
    assert "data not complete" in proc.stderr and "connection refused" in proc.stderr
    assert QImage(str(shot)).width() == 800  # the picture is still saved


def test_bad_arguments_are_refused_with_a_message():
    for args, needle in ((["--size", "big"], "size must look like 1920x1080"),
                         (["--api", "ftp://x"], "API address must look like"),
                         (["--lang", "fr"], "invalid choice")):
        proc = _run_cli(args, timeout=30)
        assert proc.returncode == 2 and needle in proc.stderr, (args, proc.stderr)


def test_dead_api_at_start_says_so_in_the_middle_of_the_screen(qloop):
    seen: dict = {}

    async def scenario(c: Cockpit) -> None:
        await _until(lambda: c.hub.status.state == LinkState.OFFLINE, 10, "offline")
        await asyncio.sleep(0.1)
        seen["centre"] = c.window._placeholder.text()
        seen["tab"] = c.window.tabs.tabText(0)

    _run_app(qloop, ["--api", "http://127.0.0.1:9", "--size", "1280x720"], scenario)
    assert seen["tab"] == "离线"
    assert seen["centre"].splitlines() == [
        "无法连接中央接口", "http://127.0.0.1:9", "原因：连接被拒绝", "正在自动重试，恢复后立即显示数据"]


def test_a_brain_sending_nan_is_marked_and_keeps_its_last_good_values(qloop):
    import json as _json

    from faultserver import Behaviour, FaultServer

    seen: dict = {}
    with FaultServer() as fs:
        async def scenario(c: Cockpit) -> None:
            win = c.window
            await _until(lambda: "wine" in win.tabs_by_brain, 10, "tabs")
            win.show_brain("wine")
            tab = win.tabs_by_brain["wine"]
            await _until(lambda: tab.widgets_with_data() == tab.widget_count(), 10, "wine data")
            win.refresh()  # states from "waiting" to live now, not at the next 1 Hz tick
            good = {b.metric.id: b.widget.value_text() for b in tab.bindings}
            assert "—" not in good.values(), good
            doc = _json.loads(fs.good.snapshot("wine").model_dump_json())
            doc["values"]["wine.output"]["value"] = float("nan")
            fs.set("/api/v1/brains/wine/snapshot", Behaviour.json(_json.dumps(doc)))
            await _until(lambda: "wine" in c.hub.status.problems, 10, "the problem for wine")
            await asyncio.sleep(1.2)  # the 1 Hz state refresh
            seen["good"] = good
            seen["now"] = {b.metric.id: b.widget.value_text() for b in tab.bindings}
            seen["states"] = {b.metric.id: (b.widget.state(), b.widget.note()) for b in tab.bindings}
            seen["error_label"] = win.error_label.text()
            seen["link"] = win.link_label.text()
            other = win.tabs_by_brain["dyeing"]
            other.refresh_states(int(time.time() * 1000), c.hub.status)
            seen["dyeing_states"] = {b.widget.state() for b in other.bindings}

        _run_app(qloop, ["--api", fs.base_url, "--size", "1280x720"], scenario)
    assert seen["now"] == seen["good"], "a value changed although the reading was rejected"
    assert "nan" not in " ".join(seen["now"].values()).lower()
    # that reading marked (its last good value kept), the brain's other figures live
    for mid, (state, note) in seen["states"].items():
        if mid == "wine.output":
            assert (state, note) == (DataState.STALE, "数据异常：不是有效数字（value）")
        else:
            assert state == DataState.LIVE, (mid, state, note)
    assert seen["error_label"] == "数据异常 1 处 · 黄酒大脑 · 指标 wine.output：不是有效数字（value）", seen["error_label"]
    assert seen["link"].startswith("● 在线")  # the other brain still answers
    assert seen["dyeing_states"] == {DataState.LIVE}
