"""The alarm loop as a user drives it: the journal in the real window (keys, clicks), the
states the API keeps, the badge on the wall, and actions queued while offline."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from cockpit.api.client import ApiClient, ClientConfig
from cockpit.api.schema import Alert, Names
from cockpit.central.alarms import AlarmStore, sqlite_engine
from cockpit.central.runner import EmbeddedServer
from cockpit.central.server import create_app
from cockpit.central.simulator import Simulator
from cockpit.hub.alarms import AlarmDesk
from cockpit.ui.alarm_badge import AlarmBadge
from cockpit.ui.alarm_journal import AlarmJournal
from cockpit.ui.model import Models
from tests.test_app_e2e import _until
from tests.test_wall_app import _run as _run_wall_app

# A closed in-process Cockpit window is kept alive by signal connections to lambdas that
# capture it (see Cockpit._close_windows); deleting it crashed a later run: allowed here.
pytestmark = pytest.mark.leaks_qt("Cockpit window outlives run()")

NOW = 1_765_000_000_000


def _cells(dlg: AlarmJournal, row: int) -> list[str]:
    return [dlg.table.item(row, c).text() for c in range(dlg.table.columnCount())]


def _row_of(dlg: AlarmJournal, alert_id: str) -> int:
    return next(i for i, a in enumerate(dlg.rows) if a.id == alert_id)


def test_the_journal_in_the_app_acknowledges_and_assigns_through_the_api(qloop, tmp_path) -> None:
    from cockpit.app import Cockpit

    seen: dict = {}

    async def scenario(c: Cockpit) -> None:
        await _until(lambda: c.main is not None and c.alarm_desk is not None and c.models.seen_alerts, 20, "alerts")
        main = c.main
        main.show()
        QTest.keyClick(main, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)  # 视图 → 告警处置台账
        await _until(lambda: getattr(main, "alarm_journal", None) is not None and main.alarm_journal.isVisible(),
                     5, "the journal")
        dlg: AlarmJournal = main.alarm_journal
        alert = dlg.rows[0]
        assert _cells(dlg, 0)[5] == "新告警" and not dlg.ack_button.isEnabled()
        dlg.table.selectRow(0)
        assert dlg.ack_button.isEnabled() and not dlg.close_button.isEnabled()
        QTest.mouseClick(dlg.ack_button, Qt.MouseButton.LeftButton)
        await _until(lambda: _cells(dlg, _row_of(dlg, alert.id))[5] == "已确认", 10, "acknowledged by the API")
        row = _cells(dlg, _row_of(dlg, alert.id))
        seen["ack"] = (row[6], row[7] != "")
        # 派单: department and instructions in the form, submitted with a click
        dlg.table.selectRow(_row_of(dlg, alert.id))
        QTest.mouseClick(dlg.assign_button, Qt.MouseButton.LeftButton)
        form = dlg.form
        assert form is not None and form.isVisible()
        form.department.setCurrentText("市生态环境局")
        form.note.insert("两小时内到场核查")  # typed (QTest.keyClicks cannot type Chinese)
        QTest.mouseClick(form.ok, Qt.MouseButton.LeftButton)
        await _until(lambda: _cells(dlg, _row_of(dlg, alert.id))[5] == "处置中", 10, "assigned")
        seen["assigned"] = _cells(dlg, _row_of(dlg, alert.id))
        seen["history"] = dlg.history.toPlainText()
        rec = c.server.app.state.alarms.get(alert.id)
        seen["server"] = [(e.action, e.operator) for e in rec.history]
        # CSV of what is listed: UTF-8 with BOM, the state and the history in it
        from cockpit.ui.export import export_csv

        path = export_csv(tmp_path / "journal.csv", *dlg.csv_rows())
        seen["csv"] = path.read_bytes()
        # filters: a district (enterprise alarms carry it), a state
        with_district = next(a for a in dlg.rows if a.district is not None)
        dlg.district_filter.setCurrentIndex(dlg.district_filter.findData(with_district.district.zh))
        seen["district_rows"] = [(_cells(dlg, r)[2], a.district.zh if a.district else None)
                                 for r, a in enumerate(dlg.rows)]
        dlg.district_filter.setCurrentIndex(0)
        dlg.state_filter.setCurrentIndex(dlg.state_filter.findData("assigned"))
        seen["assigned_only"] = [a.id for a in dlg.rows]
        dlg.state_filter.setCurrentIndex(0)
        # 查看现场: an enterprise's alarm opens its 企业码 profile (drill-down) on its brain's tab
        ent = next(a for a in dlg.rows if a.enterprise)
        dlg.table.selectRow(_row_of(dlg, ent.id))
        QTest.mouseClick(dlg.open_button, Qt.MouseButton.LeftButton)
        await _until(lambda: main.drill.isVisible() and main.drill.current() is not None
                     and main.drill.current().place.kind == "enterprise", 10, "the profile")
        seen["opened"] = (main.current_brain(), main.drill.current().place.args, main.drill.breadcrumb_text())
        seen["ent"] = ent
        # an acknowledged alarm is not "new" any more for the rotation's alarm jump
        seen["alarming"] = c.models.alarming()
        seen["open"] = [a.id for b, a in c.models.unacknowledged()]
        seen["open_same_brain"] = [a.id for b, a in c.models.unacknowledged() if b == alert.brain]
        seen["alert"] = alert
        # alarm.sound and alarm.sync_s reached the badge and the desk
        seen["sound"] = main.alarm_badge.sound
        seen["sync_s"] = c.alarm_desk.interval_s

    _run_app_with(qloop, ["--set", "alarm.operator=值班员李四", "--set", "alarm.sound=true",
                          "--set", "alarm.sync_s=1.5"], scenario)
    assert seen["sound"] is True and seen["sync_s"] == 1.5
    brain, args, crumbs = seen["opened"]
    assert brain == seen["ent"].brain and args == (seen["ent"].enterprise,)
    assert crumbs.count(" › ") == 1, crumbs  # the brain's tab › the enterprise
    assert seen["ack"] == ("值班员李四", True)
    assert seen["assigned"][8] == "市生态环境局" and seen["assigned"][9] == "两小时内到场核查"
    assert seen["server"] == [("ack", "值班员李四"), ("assign", "值班员李四")]
    assert "确认 · 值班员李四" in seen["history"] and "派单 · 值班员李四 · 市生态环境局" in seen["history"]
    assert seen["csv"].startswith(b"\xef\xbb\xbf")
    text = seen["csv"].decode("utf-8-sig")
    assert "处置中" in text and "市生态环境局" in text and seen["alert"].message.zh in text
    assert seen["district_rows"] and all(cell == zh for cell, zh in seen["district_rows"])
    assert len({zh for _, zh in seen["district_rows"]}) == 1
    assert seen["assigned_only"] == [seen["alert"].id]
    assert seen["alert"].id not in seen["open"]  # acknowledged: seen, for the rotation's alarm jump
    assert (seen["alert"].brain in seen["alarming"]) == bool(seen["open_same_brain"])


def _run_app_with(qloop, extra: list[str], scenario):
    """The app run in-process with the settings main() would load (tests.test_wall_app._run)."""
    return _run_wall_app(qloop, extra, scenario)


def _alarm(i: int, brain: str = "dyeing") -> Alert:
    return Alert(id=f"{brain}.cod:{NOW + i}", brain=brain, level="alarm",
                 message=Names(zh=f"COD 超标 {i}", en=f"COD over limit {i}"), ts=NOW + i)


@pytest.fixture
def pool():
    with ThreadPoolExecutor(2) as p:
        yield p


def test_offline_an_action_is_kept_shown_pending_and_sent_once_when_the_link_returns(qloop, qtbot, tmp_path, pool):
    path = tmp_path / "alarms.sqlite"

    def server(port: int = 0) -> EmbeddedServer:
        store = AlarmStore(sqlite_engine(path), lambda: NOW + 60_000)
        return EmbeddedServer(create_app(Simulator(3), alarms=store), port=port)

    first = server().start()
    port = first.port
    first.stop()  # the link is down from the start
    client = ApiClient(ClientConfig(f"http://127.0.0.1:{port}", retries=0, connect_timeout_s=0.5, read_timeout_s=2))
    saved: list[str] = []

    async def save(text: str) -> None:
        saved.append(text)

    desk = AlarmDesk(client, pool, save=save)
    models = Models()
    alert = _alarm(1)
    models.note_alerts([alert])
    desk.listeners.append(lambda: models.set_alarms(desk.records, desk.pending, desk.rejected))
    dlg = AlarmJournal(models, "zh", lambda a, act, d, n: desk.act(a, act, "值班员王五", department=d, note=n),
                       brain_names={"dyeing": "印染"})
    qtbot.addWidget(dlg)
    dlg.show()

    async def offline() -> None:
        dlg.table.selectRow(0)
        QTest.mouseClick(dlg.ack_button, Qt.MouseButton.LeftButton)
        await desk.sync_once()  # unreachable: kept

    qloop.run_until_complete(offline())
    assert _cells(dlg, 0)[5] == "已确认 · 待发送"
    assert "1 项操作待发送" in dlg.notice.text()
    assert not dlg.ack_button.isEnabled()  # not acknowledged twice from here
    queued = json.loads(saved[-1])
    assert [q["action"] for q in queued] == ["ack"]  # in the cache: survives a restart of the cockpit

    # the cockpit restarts (a new desk from the saved queue), the link returns
    again = server(port).start()
    try:
        desk2 = AlarmDesk(client, pool, save=save)
        desk2.restore(saved[-1])
        desk2.listeners.append(lambda: models.set_alarms(desk2.records, desk2.pending, desk2.rejected))
        qloop.run_until_complete(desk2.sync_once())
        assert _cells(dlg, 0)[5] == "已确认" and _cells(dlg, 0)[6] == "值班员王五"
        # the first desk's copy of the same action is sent too (its answer was lost): applied once
        qloop.run_until_complete(desk.sync_once())
        rec = again.app.state.alarms.get(alert.id)
        assert [e.action for e in rec.history] == ["ack"]
        assert desk.rejected == []  # answered as done (same request id), not refused as a second ack
        assert json.loads(saved[-1]) == [] and "待发送" not in dlg.notice.text()
    finally:
        again.stop()
        client.close()


def test_the_badge_pulses_for_unacknowledged_alarms_sounds_once_and_hides_when_acknowledged(qtbot) -> None:
    from cockpit.hub.hub import BrainUpdate
    from cockpit.ui.main_window import MainWindow

    sim = Simulator(seed=4)
    models = Models()
    win = MainWindow("zh", "test", animate=False, models=models)
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.on_catalog(sim.catalog(NOW))
    beeps: list[int] = []
    t = [0.0]
    badge = AlarmBadge(win.centralWidget(), models, "zh", sound=True, beep=lambda: beeps.append(1), clock=lambda: t[0])
    win.show()
    snap = sim.snapshot("dyeing", NOW).model_copy(update={"alerts": [_alarm(1), _alarm(2)]})
    models.on_update(BrainUpdate("dyeing", snap, NOW))
    models.flush()
    assert badge.isVisible() and badge.text() == "未确认告警 2" and beeps == [1]
    levels, shades, styles = [], [], set()
    for step in range(5):  # a smooth swell over 2 s, never a hard on/off
        t[0] = step * 0.5
        badge._pulse()
        levels.append(round(badge.level, 2))
        img = badge.grab().toImage()  # what the wall shows: the badge's background by its edge
        shades.append(img.pixelColor(img.width() // 2, 4).alpha())  # the red over the wall
        styles.add(badge.styleSheet())
    assert levels == [0.0, 0.5, 1.0, 0.5, 0.0]
    assert shades[0] < shades[1] < shades[2] and shades[2] > shades[3] > shades[4]  # painted, swelling
    assert shades[0] == shades[4] and shades[1] == shades[3]
    assert len(styles) == 1  # the pulse repaints; it does not restyle the badge every frame
    models.on_update(BrainUpdate("dyeing", snap, NOW + 1000))
    models.flush()
    assert beeps == [1]  # the same alarms do not sound again
    from cockpit.api.alarms import AlarmRecord

    rec = AlarmRecord(alert_id=_alarm(1).id, brain="dyeing", state="acknowledged", acknowledged_by="x",
                      acknowledged_at=NOW, updated_at=NOW, version=1)
    models.set_alarms({rec.alert_id: rec})  # acknowledged at another desk
    assert badge.text() == "未确认告警 1"
    from widgets.alert_ticker import AlertTicker

    ticker = win.tabs_by_brain["dyeing"].findChildren(AlertTicker)[0]
    texts = {it.key: it.text for it in ticker.alerts()}
    assert texts[_alarm(1).id] == "【已确认】COD 超标 1" and texts[_alarm(2).id] == "COD 超标 2"
    rec2 = rec.model_copy(update={"alert_id": _alarm(2).id, "version": 2})
    models.set_alarms({rec.alert_id: rec, rec2.alert_id: rec2})
    assert not badge.isVisible()
    assert models.alarming() == set()  # the rotation's jump treats them as seen


def test_stop_shuts_down_the_desks_own_executor_and_leaves_a_shared_one_working(pool) -> None:
    client = ApiClient(ClientConfig("http://127.0.0.1:9", retries=0))
    own = ThreadPoolExecutor(1)
    try:
        asyncio.run(AlarmDesk(client, own, owns_executor=True).stop())
        with pytest.raises(RuntimeError, match="shutdown"):
            own.submit(int, "1")
        asyncio.run(AlarmDesk(client, pool).stop())  # the caller's: not the desk's to end
        assert pool.submit(int, "7").result(timeout=5) == 7
    finally:
        own.shutdown()
        client.close()
