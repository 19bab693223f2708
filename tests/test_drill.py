"""Drill-down in the real window: clicks on a district tile, an industry row, an enterprise row,
a chain link, a ranking row open the next level; the breadcrumb says where; Back (button,
Esc, Backspace, mouse back button) returns; a wall returns to its rotation when idle; a
view says when it is offline, and what it cannot show offline.

The window's services ask the reference server on loopback through the real client (no hub
loop: answers come back at once); the offline cache is the real Lookups' (see the last test).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from helpers import Clock
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QApplication

from cockpit.api.client import ApiClient, ApiError, ClientConfig, HttpError
from cockpit.api.drill import DistrictView
from cockpit.cache import CacheWorker
from cockpit.central.runner import EmbeddedServer
from cockpit.central.server import create_app
from cockpit.central.simulator import Simulator
from cockpit.hub.hub import BrainUpdate, Hub, HubStatus, LinkState
from cockpit.hub.lookups import Lookups
from cockpit.ui.drill import Place, attach_rotation
from cockpit.ui.main_window import MainWindow
from cockpit.ui.rotation import Rotation
from widgets import DataState, format_number

PINNED = 1_795_586_405_000  # 2026-11-25 14:00:05 local
SIM = Simulator(3)


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer(create_app(SIM, clock=lambda: PINNED)) as srv:
        yield srv


@pytest.fixture(scope="module")
def client(server: EmbeddedServer) -> Iterator[ApiClient]:
    c = ApiClient(ClientConfig(server.url, retries=0))
    yield c
    c.close()


def _service(client: ApiClient, method: str, calls: list | None = None) -> Callable[..., None]:
    """A window service (as cockpit.ui.commands.wire_lookups makes them) over the real client."""

    def call(*a: Any) -> None:
        *args, cb = a
        if calls is not None:
            calls.append((method, *args))
        try:
            cb(getattr(client, method)(*args), "", False, PINNED)
        except HttpError as exc:
            cb(None, str(exc), exc.status == 404, None)
        except ApiError as exc:
            cb(None, str(exc), False, None)
    return call


def _window(qtbot, client: ApiClient, calls: list | None = None, tab: str = "city") -> MainWindow:  # noqa: ANN001
    win = MainWindow("zh", "http://x", animate=False)
    qtbot.addWidget(win)
    s = win.services
    s.district, s.cluster = _service(client, "district", calls), _service(client, "district_cluster", calls)
    s.chain_link, s.profile = _service(client, "chain_link", calls), _service(client, "enterprise", calls)
    s.fetch_chain = lambda brain, cb: cb(client.chain(brain), "")
    win.resize(1600, 900)
    win.on_catalog(SIM.catalog(PINNED))
    for b in SIM.brain_ids:
        win.on_update(BrainUpdate(b, SIM.snapshot(b, PINNED), PINNED))
    win.on_status(HubStatus(LinkState.LIVE))
    win.drill.now_ms = lambda: PINNED + 2000
    win.show_brain(tab)
    win.show()
    qtbot.waitExposed(win)
    return win


def _widget(win: MainWindow, brain: str, cls_name: str) -> Any:
    return next(o.widget for o in win.tabs_by_brain[brain].others if type(o.widget).__name__ == cls_name)


def _figure_text(f: Any) -> str:
    return f"{format_number(f.value, f.precision)} {f.unit.zh}".strip() if f.value is not None else "—"


def _click_row(qtbot, table: Any, row: int) -> None:  # noqa: ANN001
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _mouse_back(win: MainWindow, target: Any) -> None:
    pos = QPointF(5, 5)
    ev = QMouseEvent(QMouseEvent.Type.MouseButtonPress, pos, target.mapToGlobal(pos), Qt.MouseButton.BackButton,
                     Qt.MouseButton.BackButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, ev)


def test_city_to_district_to_industry_to_enterprise_and_back(qtbot, client) -> None:  # noqa: ANN001
    win = _window(qtbot, client)
    drill = win.drill
    tiles = _widget(win, "city", "DistrictTileMap")
    qtbot.waitUntil(lambda: "keqiao" in tiles.tile_rects())
    qtbot.mouseClick(tiles, Qt.MouseButton.LeftButton, pos=tiles.tile_rects()["keqiao"].center().toPoint())
    assert drill.isVisible() and not win.tabs.isVisible()
    assert drill.breadcrumb_text() == "产业大脑 › 柯桥区"
    assert [b.text() for b in drill.crumb_buttons[1::2] if b.isVisible()] == ["产业大脑", "柯桥区"]
    page = drill.current()
    api = client.district("keqiao")
    assert isinstance(api, DistrictView)
    # the figures on screen are the API's (and the API's are the overview's row)
    assert page.figures.texts() == [(f.name.zh, _figure_text(f)) for f in api.figures]
    assert [page.brains.item(r, 0).text() for r in range(page.brains.rowCount())] == [b.name.zh for b in api.brains]
    assert page.firms.rowCount() == len(api.enterprises)
    assert drill.state == (DataState.LIVE, "更新于 14:00:05")
    # an industry of the district
    row = [b.brain for b in api.brains].index("dyeing")
    _click_row(qtbot, page.brains, row)
    assert drill.breadcrumb_text() == "产业大脑 › 柯桥区 › 印染"
    cl = drill.current()
    api_cl = client.district_cluster("keqiao", "dyeing")
    assert cl.firms.rowCount() == len(api_cl.enterprises.rows)
    first = api_cl.enterprises.rows[0]
    assert [cl.firms.item(0, c).text() for c in range(3)] == [
        first.name.zh, "在产" if first.status == "running" else cl.firms.item(0, 1).text(),
        format_number(first.values["output_today"], 1)]
    assert ("企业数", f"{len(api_cl.enterprises.rows)} 家") in cl.figures.texts()
    # an enterprise of the industry: its 企业码 profile
    _click_row(qtbot, cl.firms, 0)
    assert drill.breadcrumb_text() == f"产业大脑 › 柯桥区 › 印染 › {first.name.zh}"
    assert drill.current().profile_view.name.text() == first.name.zh
    assert drill.current().profile_view.qr.isVisible()
    # back, four ways: Esc, Backspace, the mouse's back button, the Back button
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    assert drill.breadcrumb_text() == "产业大脑 › 柯桥区 › 印染"
    qtbot.keyClick(win, Qt.Key.Key_Backspace)
    assert drill.breadcrumb_text() == "产业大脑 › 柯桥区" and drill.current() is page  # the same view, kept
    _mouse_back(win, page.firms.viewport())
    assert not drill.drilled and win.tabs.isVisible() and win.current_brain() == "city"
    qtbot.mouseClick(tiles, Qt.MouseButton.LeftButton, pos=tiles.tile_rects()["shangyu"].center().toPoint())
    assert drill.breadcrumb_text() == "产业大脑 › 上虞区"
    qtbot.mouseClick(drill.back_button, Qt.MouseButton.LeftButton)
    assert not drill.isVisible() and win.tabs.isVisible()
    # Esc with nothing drilled is not swallowed by the drill
    assert not any(a.isEnabled() for a in drill.back_actions)


def test_ranking_row_alert_and_chain_link_open_their_views_replay_and_language(qtbot, client) -> None:  # noqa: ANN001
    win = _window(qtbot, client, tab="dyeing")
    board = _widget(win, "dyeing", "RankingBoard")
    qtbot.waitUntil(lambda: bool(board.rows()))
    key = board.rows()[0].key
    qtbot.mouseClick(board, Qt.MouseButton.LeftButton, pos=board.row_rect(key).center())
    assert win.drill.drilled and win.drill.current().place == Place("enterprise", (key,))
    assert win.drill.breadcrumb_text() == f"印染 › {board.rows()[0].name}"
    win.drill.close_all()
    assert win.current_brain() == "dyeing" and win.tabs.isVisible()
    # an alert row about an enterprise opens its profile too
    ticker = _widget(win, "dyeing", "AlertTicker")
    qtbot.waitUntil(lambda: bool(ticker.alerts()))
    item = ticker.alerts()[0]
    assert item.link
    qtbot.mouseClick(ticker, Qt.MouseButton.LeftButton, pos=ticker.row_rect(item.key).center())
    assert win.drill.current().place == Place("enterprise", (item.link,))
    win.drill.back()
    assert not win.drill.drilled
    # a district id (a ranking of districts) opens the district; anything else nothing
    win.drill.open_key("not-a-place")
    assert not win.drill.drilled
    win.drill.open_key("zhuji")
    assert win.drill.breadcrumb_text() == "印染 › 诸暨市"
    # replay: the drilled view says it shows current data, not the replayed moment
    win.models.brain("dyeing").set_cursor(PINNED - 3_600_000)
    win.drill.refresh_state()
    assert win.drill.state[0] == DataState.STALE and win.drill.state[1].startswith("回放中：此处为当前数据")
    win.models.brain("dyeing").set_cursor(None)
    win.drill.close_all()
    # a chain link: its enterprises and why it is a gap
    win.show_brain("ic")
    drill = win.drill
    chain_map = _widget(win, "ic", "ChainMap")
    chain = client.chain("ic")
    win.tabs_by_brain["ic"].refresh_states(PINNED, HubStatus(LinkState.LIVE))
    for o in win.tabs_by_brain["ic"].others:  # the chain is fetched with the snapshot
        if type(o.widget).__name__ == "ChainMap":
            o.apply(SIM.snapshot("ic", PINNED))
    qtbot.waitUntil(lambda: bool(chain_map.link_rects()))
    links = {ln.id: ln for st in chain.stages for ln in st.links}
    gap = next(g for g in chain.gaps if links[g.link].enterprises > 0)  # a weak link: it has enterprises
    link = links[gap.link]
    qtbot.mouseClick(chain_map, Qt.MouseButton.LeftButton, pos=chain_map.link_rects()[gap.link].center().toPoint())
    assert drill.breadcrumb_text() == f"集成电路 › {link.name.zh}"
    page = drill.current()
    assert page.gap.text() == f"补链原因：{gap.reason.zh}"
    assert page.firms.rowCount() == link.enterprises
    assert ("企业数", f"{link.enterprises} 家") in page.figures.texts()
    _click_row(qtbot, page.firms, 0)
    assert len(drill.breadcrumb()) == 3 and drill.current().place.kind == "enterprise"
    # a crumb opens its level again
    drill.crumb_buttons[3].click()
    assert drill.breadcrumb_text() == f"集成电路 › {link.name.zh}"
    drill.crumb_buttons[1].click()  # the root crumb: back on the tab
    assert not drill.drilled and win.current_brain() == "ic"
    # another language: the same views, in it
    win.show_brain("dyeing")
    win.drill.open_key("zhuji")
    win.set_lang("en")
    assert win.drill.breadcrumb_text() == "Printing & dyeing › Zhuji"
    assert win.drill.back_button.text() == "‹ Back" and win.drill.current().title.text() == "Zhuji"


def test_offline_marks_the_view_and_says_what_is_not_available(qtbot, client, monkeypatch, tmp_path) -> None:  # noqa: ANN001
    win = _window(qtbot, client)
    drill = win.drill
    drill.open_district("yuecheng")
    page = drill.current()
    values = page.figures.texts()
    win.on_status(HubStatus(LinkState.OFFLINE, reason="connection refused"))
    drill.refresh_state()
    assert drill.state == (DataState.OFFLINE, "离线 · 数据截至 14:00:05")
    assert drill.state_label.text() == "● 离线 · 数据截至 14:00:05"
    assert drill.property("state") == "offline" and page.figures.texts() == values  # kept on screen
    # File → export while drilled: the drilled view on screen, not the tab under it
    from cockpit.ui import export
    from cockpit.ui.commands import export_tab

    written: list = []
    monkeypatch.setattr(export, "choose_path", lambda _m, _k, path, write, _l: written.append(write(tmp_path / "d.png")))
    export_tab(win, "png", "test")
    img = QImage(str(tmp_path / "d.png"))
    assert (img.width(), img.height()) == (drill.width() * 2, drill.height() * 2)
    # data older than three refreshes while the link is up: stale
    win.on_status(HubStatus(LinkState.LIVE))
    drill.now_ms = lambda: PINNED + 60_000
    drill.refresh_state()
    assert drill.state[0] == DataState.STALE and "14:00:05" in drill.state[1]
    # a place never fetched, with the API gone: a clear message, not an empty view
    dead = ApiClient(ClientConfig("http://127.0.0.1:9", retries=0, connect_timeout_s=1.0))
    win.services.cluster = _service(dead, "district_cluster")
    _click_row(qtbot, page.brains, 0)
    cl = drill.current()
    assert cl.stack.currentWidget() is cl.message
    assert cl.message.text().startswith("离线时无法查看")
    assert drill.state == (DataState.NO_DATA, "离线时无法查看")
    dead.close()


def test_a_wall_holds_its_rotation_while_drilled_and_returns_when_idle(qtbot, client) -> None:  # noqa: ANN001
    win = _window(qtbot, client)
    clock = Clock()
    rot = Rotation(win.show_brain, win.current_brain, lambda: set(), playlist=["city", "dyeing"], dwell_s=30,
                   now=clock)
    win.drill.clock = clock
    attach_rotation(win, rot, 60.0)
    rot.tick()
    win.drill.open_district("keqiao")
    assert rot.paused and rot.pause_reason == "drill"  # at once
    clock.advance(45)
    win.drill.tick()
    rot.tick()
    assert win.drill.drilled and win.current_brain() == "city"  # held: no dwell ended under the drill
    qtbot.mouseMove(win.drill.current(), QPoint(40, 40))  # someone moves the mouse: the idle time restarts
    qtbot.keyClick(win.drill.current().brains, Qt.Key.Key_Down)
    clock.advance(45)
    win.drill.tick()
    assert win.drill.drilled
    clock.advance(16)
    win.drill.tick()
    assert not win.drill.drilled and win.tabs.isVisible() and not rot.paused
    clock.advance(31)
    rot.tick()
    assert win.current_brain() == "dyeing"  # the rotation goes on
    # 0: a drilled view stays until Back, the rotation held all the while
    win.drill.idle_return_s = 0.0
    win.drill.open_district("zhuji")
    for _ in range(3):
        clock.advance(600)
        win.drill.tick()
        rot.tick()
    assert win.drill.drilled and rot.paused and win.current_brain() == "dyeing"


def test_drilled_views_come_from_the_offline_cache(tmp_path, server) -> None:  # noqa: ANN001
    path = tmp_path / "cache.sqlite"
    seen: dict = {}

    async def run(url: str, tag: str) -> None:
        cache = CacheWorker(path, flush_s=0.05)
        await cache.start()
        client = ApiClient(ClientConfig(url, retries=0, connect_timeout_s=1.0, read_timeout_s=5.0))
        pool = ThreadPoolExecutor(max_workers=2)
        lookups = Lookups(Hub(client, pool), cache)
        seen[tag] = (await lookups.district("keqiao"), await lookups.district_cluster("keqiao", "textile"),
                     await lookups.chain_link("ic", "ic_design_cis"))
        if tag == "off":
            seen["never"] = await lookups.district("xinchang")
        client.close()
        pool.shutdown()
        await cache.close()

    asyncio.run(run(server.url, "on"))
    asyncio.run(run("http://127.0.0.1:9", "off"))
    on, off = seen["on"], seen["off"]
    for a, b in zip(on, off, strict=True):
        assert a.value is not None and not a.error
        assert b.cached and b.value == a.value and b.fetched_ms == a.fetched_ms and b.error
    # never looked up offline: nothing to show (the view says so)
    assert seen["never"].value is None and seen["never"].error and not seen["never"].missing


def test_a_district_bar_opens_the_district_and_a_brain_bar_its_tab(qtbot, client) -> None:  # noqa: ANN001
    """The 亩均 screen's bars by district and by industry are entry points too."""
    win = _window(qtbot, client, tab="muni")
    bars = [o.widget for o in win.tabs_by_brain["muni"].others if type(o.widget).__name__ == "BarChart"]
    qtbot.waitUntil(lambda: any("district:keqiao" in b.keys() for b in bars))
    by_district = next(b for b in bars if "district:keqiao" in b.keys())
    i = by_district.keys().index("district:keqiao")
    qtbot.mouseClick(by_district, Qt.MouseButton.LeftButton, pos=by_district.bar_rect(i).center().toPoint())
    assert win.drill.isVisible() and win.drill.breadcrumb_text() == "亩均论英雄 › 柯桥区"  # from the tab it was opened on
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    assert not win.drill.isVisible() and win.current_brain() == "muni"
    by_brain = next(b for b in bars if "brain:dyeing" in b.keys())
    k = by_brain.category_labels().index("全市")
    assert by_brain.keys()[k] == ""  # the city's own row names nothing to open: not clickable
    qtbot.mouseClick(by_brain, Qt.MouseButton.LeftButton, pos=by_brain.bar_rect(k).center().toPoint())
    assert win.current_brain() == "muni" and not win.drill.isVisible()
    j = by_brain.keys().index("brain:dyeing")
    qtbot.mouseClick(by_brain, Qt.MouseButton.LeftButton, pos=by_brain.bar_rect(j).center().toPoint())
    assert win.current_brain() == "dyeing"
