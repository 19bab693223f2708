"""Alarm changes reach every desk over the push stream (``event: change``), not a 2 s poll;
the poll is only the fallback while no stream carries them."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from cockpit.api.client import ApiClient, ClientConfig
from cockpit.api.schema import Alert, Names
from cockpit.central.alarms import AlarmStore, sqlite_engine
from cockpit.central.runner import EmbeddedServer
from cockpit.central.server import create_app
from cockpit.central.simulator import Simulator
from cockpit.hub.alarms import AlarmDesk
from cockpit.hub.hub import Hub
from cockpit.ui.alarm_journal import AlarmJournal
from cockpit.ui.alarm_wiring import wire_push
from cockpit.ui.model import Models
from tests.helpers import until

NOW = 1_765_000_000_000
ALERT = Alert(id=f"dyeing.cod:{NOW}", brain="dyeing", level="alarm",
              message=Names(zh="废水COD 超标", en="COD over limit"), ts=NOW)


class _Desk:
    """One cockpit's alarm loop: hub (push stream), desk (poll timer of an hour: only a push
    can bring a change within this test), models and the journal window."""

    def __init__(self, url: str, qtbot, operator: str) -> None:
        self.client = ApiClient(ClientConfig(url, retries=0, connect_timeout_s=1.0, read_timeout_s=5.0))
        self.pool = ThreadPoolExecutor(4)
        self.hub = Hub(self.client, self.pool, brains=["dyeing"], heartbeat_timeout_s=8.0)
        self.desk = AlarmDesk(self.client, ThreadPoolExecutor(1), interval_s=3600.0)
        self.models = Models()
        self.models.note_alerts([ALERT])
        self.desk.listeners.append(lambda: self.models.set_alarms(self.desk.records, self.desk.pending,
                                                                  self.desk.rejected))
        wire_push(self.hub, self.desk)
        self.journal = AlarmJournal(self.models, "zh",
                                    lambda a, act, d, n: self.desk.act(a, act, operator, department=d, note=n),
                                    brain_names={"dyeing": "印染"})
        qtbot.addWidget(self.journal)
        self.journal.show()

    def state_cell(self) -> str:
        row = next(i for i, a in enumerate(self.journal.rows) if a.id == ALERT.id)
        return self.journal.table.item(row, 5).text()

    def start(self) -> None:
        self.hub.start()
        self.desk.start()

    async def stop(self) -> None:
        await self.desk.stop()
        await self.hub.stop()
        self.desk.executor.shutdown(wait=True)  # type: ignore[attr-defined]
        self.pool.shutdown(wait=True)
        self.client.close()


def test_an_acknowledgement_reaches_the_other_desk_in_one_push_without_polling(qloop, qtbot, tmp_path):
    store = AlarmStore(sqlite_engine(tmp_path / "alarms.sqlite"), lambda: NOW + 60_000)
    srv = EmbeddedServer(create_app(Simulator(3), alarms=store)).start()
    a, b = _Desk(srv.url, qtbot, "值班员甲"), _Desk(srv.url, qtbot, "值班员乙")
    seen: dict = {}

    async def scenario() -> None:
        a.start()
        b.start()
        # each stream says it carries the alarms: from then on the desks stop polling
        await until(lambda: a.desk.pushed and b.desk.pushed, "streams carrying alarm changes", 20)
        assert a.state_cell() == b.state_cell() == "新告警"
        a.journal.table.selectRow(0)
        QTest.mouseClick(a.journal.ack_button, Qt.MouseButton.LeftButton)  # 确认 at desk A
        await until(lambda: b.state_cell() == "已确认", "desk B shows the acknowledgement", 10)
        seen.update(polls=(a.desk.polls, b.desk.polls), pushes=b.desk.pushes)
        b.desk.on_link(False)  # the stream goes down: the desk polls again (the fallback)

    async def run() -> None:
        try:
            await scenario()
        finally:  # on the running loop: nothing of theirs wakes between two runs
            await a.stop()
            await b.stop()

    try:
        qloop.run_until_complete(run())
        assert seen["polls"] == (0, 0)  # no poll: desk B heard it on its stream
        assert seen["pushes"] >= 1
        row = next(i for i, x in enumerate(b.journal.rows) if x.id == ALERT.id)
        assert b.journal.table.item(row, 6).text() == "值班员甲"  # who, as desk A sent it
        assert not b.desk.pushed
    finally:
        srv.stop()
