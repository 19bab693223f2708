"""The real cockpit against another platform (tests/variantserver.py, written from docs/API.md),
with a real cache file: what the screen and --report show for each way it differs.

Stream and poll mode alike: one bad cell blanks that cell, one bad panel blanks that panel
with "数据异常" and the reason in its note, everything else keeps updating; the status bar
is amber and counts the problems; --report lists them; a long message never widens the
window. ISO 8601 times with an offset are read; local time sent as epoch ms is flagged.
"""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from faultserver import FaultServer
from test_app_e2e import _run_app, _until
from variantserver import PAPER_LAYOUT, VariantPlatform

from cockpit.app import Cockpit
from cockpit.capture import report
from cockpit.hub.hub import LinkState
from widgets import theme
from widgets.district_map import DistrictTileMap
from widgets.ranking_board import RankingBoard
from widgets.state import DataState

# A closed in-process Cockpit window is kept alive by signal connections to lambdas that
# capture it (see Cockpit._close_windows); deleting it crashed a later run: allowed here.
pytestmark = pytest.mark.leaks_qt("Cockpit window outlives run()")


def _now_ms() -> int:
    return int(time.time() * 1000)  # data times near this machine's clock (the platform's "now")


@pytest.fixture
def layouts(tmp_path):
    d = tmp_path / "layouts"
    d.mkdir()
    (d / "paper.toml").write_text(PAPER_LAYOUT, "utf-8")
    return d


@pytest.mark.parametrize("mode", ["stream", "poll"])
def test_a_bad_cell_and_a_bad_panel_blank_only_themselves(qloop, tmp_path, layouts, mode):
    seen: dict = {}
    with FaultServer() as fs:
        VariantPlatform(fs, _now_ms(), long_detail=True).install(stream=mode == "stream")

        async def scenario(c: Cockpit) -> None:
            win = c.window
            await _until(lambda: "paper" in win.tabs_by_brain, 10, "the paper tab")
            tab = win.tabs_by_brain["paper"]
            await _until(lambda: tab.snapshot is not None and "paper" in c.hub.status.problems, 10, "data")
            await asyncio.sleep(1.1)
            win.refresh()
            ranking = tab.findChildren(RankingBoard)[0]
            dmap = tab.findChildren(DistrictTileMap)[0]
            seen["mode"] = c.hub.status.mode
            seen["ranking"] = [(r.name, r.value, r.secondary) for r in ranking._rows]
            seen["ranking_state"] = (ranking.state(), ranking.note())
            seen["map_areas"] = dmap.areas()
            seen["map_state"] = (dmap.state(), dmap.note())
            seen["tiles"] = {b.metric.id: (b.widget.value(), b.widget.state()) for b in tab.bindings}
            seen["link"] = win.link_label.text()
            seen["link_style"] = win.link_label.styleSheet()
            seen["errors"] = win.error_label.text()
            seen["width"] = win.width()
            seen["report"] = report(c.window, c.hub, "", False)

        _run_app(qloop, ["--api", fs.base_url, "--cache", str(tmp_path / "c.sqlite"), "--tab", "paper",
                         "--layouts", str(layouts), "--size", "1920x1080",
                         *(["--no-stream"] if mode == "poll" else [])], scenario)

    assert seen["mode"] == mode
    # the bad cell: that mill is not ranked (its output unknown), the others are, with the
    # district names the platform sent (not raw ids such as "fuyang")
    assert seen["ranking"] == [("杭纸一厂", 820.0, "萧山区"), ("钱江纸业", 510.0, "富阳区")]
    state, note = seen["ranking_state"]
    assert state == DataState.STALE and note.startswith("数据异常：单元格 mills/m2/output：不是有效数字"), note
    # the bad panel (an empty unit): blank, and why
    assert seen["map_areas"] == []
    state, note = seen["map_state"]
    assert state == DataState.STALE and note == "数据异常：为空（columns.0.unit.zh）", note
    # the metrics keep updating, live
    assert seen["tiles"] == {"paper.output": (1970.0, DataState.LIVE), "paper.run_rate": (83.2, DataState.LIVE)}
    # the status bar: not a plain green "在线"; the count and the first problem, in Chinese
    assert seen["link"].startswith("● 在线") and theme.WARN in seen["link_style"]
    assert seen["errors"].startswith("数据异常 2 处 · 造纸 · "), seen["errors"]
    assert "Input should" not in seen["errors"] and "String should" not in seen["errors"]
    assert seen["width"] == 1920
    conn = seen["report"]["connection"]
    assert conn["problems"]["paper"] == {
        "cell:mills/m2/output": "cell:mills/m2/output: number",
        "panel:districts": "panel:districts: empty (columns.0.unit.zh)",
    }
    assert "panel:districts" in conn["errors"]["paper"]
    assert "ic" not in conn["errors"]


def test_local_time_as_epoch_ms_is_flagged_everywhere_and_nothing_drawn_8h_off(qloop, tmp_path, layouts):
    seen: dict = {}
    with FaultServer() as fs:
        VariantPlatform(fs, _now_ms(), local_epoch=True, bad_cell=False, bad_panel=False).install()

        async def scenario(c: Cockpit) -> None:
            win = c.window
            await _until(lambda: {"paper", "ic"} <= set(c.hub.status.errors), 10, "both brains flagged")
            tab = win.tabs_by_brain["paper"]
            await asyncio.sleep(1.5)  # history requested meanwhile (and refused)
            win.refresh()
            seen["errors"] = dict(c.hub.status.errors)
            seen["label"] = win.error_label.text()
            seen["chart_points"] = [c_.chart.series_data(c_.series)[0].size for c_ in tab.charts]
            seen["state"] = c.hub.status.state
            try:
                await c.hub.fetch("chain", "ic")
            except Exception as exc:  # noqa: BLE001 (the error is what is checked)
                seen["chain"] = str(exc)

        _run_app(qloop, ["--api", fs.base_url, "--cache", str(tmp_path / "c.sqlite"), "--tab", "paper",
                         "--layouts", str(layouts), "--size", "1280x720"], scenario)
    assert all("min in the future" in e for e in seen["errors"].values()), seen["errors"]
    assert seen["label"] == "数据异常 (集成电路, 造纸): 时间超前本机时钟 480 分钟（平台时钟或时区有误）", seen["label"]
    assert seen["state"] is LinkState.LIVE  # the platform answers: not "cannot connect"
    assert seen["chart_points"] == [0]  # the history (also 8 h ahead) was refused, not drawn
    assert "time in the future" in seen["chain"]


def test_iso_times_480_links_and_304_with_content_length(tmp_path):
    """The client alone: ISO 8601 with offset read as the instant it names; a chain of 480
    links (gaps past the old limit of 100) taken; a 304 carrying the full Content-Length is
    "not modified", not a cut answer."""
    from cockpit.api.client import ApiClient, ClientConfig

    now = _now_ms() // 1000 * 1000
    with FaultServer() as fs:
        p = VariantPlatform(fs, now).install(stream=False)
        client = ApiClient(ClientConfig(fs.base_url, retries=0))
        try:
            cat = client.catalog()
            assert cat.ts == now and cat.time_zone == "Asia/Shanghai"
            assert [b.id for b in cat.brains] == ["paper", "ic"]
            assert [pi.id for pi in cat.brains[0].panels] == ["mills", "districts"]
            chain = client.chain("ic")
            assert sum(len(s.links) for s in chain.stages) == 480 and len(chain.gaps) == 162
            snap, etag, problems = client.snapshot_parts("ic")
            assert snap is not None and snap.ts == now and etag == '"ic-1"' and problems == []
            for _ in range(3):  # each a 304 with the full body's Content-Length
                assert client.snapshot("ic", etag) == (None, etag)
            assert fs.requests("/api/v1/brains/ic/snapshot")[-1].response_status == 304
            series = client.series(["paper.output"], now - 3600_000, now, 60)
            assert series.series[0].points[-1][0] == now - 60_000
            assert p.profile()["name"]["zh"].startswith("<img")
        finally:
            client.close()


def test_report_and_screenshot_for_a_tab_the_platform_lacks(qloop, tmp_path, layouts):
    report = tmp_path / "r.json"
    with FaultServer() as fs:
        VariantPlatform(fs, _now_ms()).install()

        async def scenario(c: Cockpit) -> None:
            await _until(report.exists, 15, "the report")

        c = _run_app(qloop, ["--api", fs.base_url, "--tab", "dyeing", "--report", str(report),
                             "--layouts", str(layouts), "--size", "1280x720"], scenario)
    assert c.exit_code == 4
    r = json.loads(report.read_text("utf-8"))
    assert r["missing_tab"] == "dyeing" and r["shown_tab"] == "paper"


def test_a_missing_tab_is_said_in_the_normal_app(qloop, layouts):
    seen: dict = {}
    with FaultServer() as fs:
        VariantPlatform(fs, _now_ms()).install()

        async def scenario(c: Cockpit) -> None:
            await _until(lambda: "paper" in c.window.tabs_by_brain, 10, "tabs")
            seen["msg"] = c.window.statusBar().currentMessage()
            seen["tab"] = c.window.current_brain()

        _run_app(qloop, ["--api", fs.base_url, "--tab", "dyeing", "--layouts", str(layouts),
                         "--size", "1280x720"], scenario)
    assert seen["msg"] == "平台没有“dyeing”这一页，显示首页" and seen["tab"] == "paper"


def test_a_stream_event_rejected_whole_is_said_not_only_logged(qloop, tmp_path, layouts):
    """An event whose head breaks the contract (a time without offset) cannot be narrowed:
    it is skipped, and the brain is marked in the status bar and the report, as in poll mode."""
    import json as _json

    from faultserver import Behaviour

    seen: dict = {}
    with FaultServer() as fs:
        p = VariantPlatform(fs, _now_ms(), bad_cell=False, bad_panel=False).install()
        bad = {**p.snapshot("paper"), "ts": "2026-12-06T20:00:00"}  # no offset: cannot be placed
        parts = p.sse()
        parts[0] = f"event: snapshot\nid: 1-0\ndata: {_json.dumps(bad, ensure_ascii=False)}\n\n".encode()
        fs.set("/api/v1/stream", Behaviour.stream(parts, then="hang"))

        async def scenario(c: Cockpit) -> None:
            await _until(lambda: "paper" in c.hub.status.errors and "ic" in c.hub.snapshots, 10, "paper marked")
            c.window.refresh()
            seen["label"] = c.window.error_label.text()
            seen["report"] = report(c.window, c.hub, "", False)["connection"]["errors"]

        _run_app(qloop, ["--api", fs.base_url, "--cache", "memory", "--tab", "paper",
                         "--layouts", str(layouts), "--size", "1280x720"], scenario)
    assert seen["label"] == "数据异常 (造纸): 数据不符合接口规范（Snapshot ts）", seen["label"]
    assert seen["report"]["paper"].startswith("Snapshot does not fit the contract: ts:")
