"""企业码 "一键获取": a benefit applied for from the profile, queued while offline like an alarm
acknowledgement, kept by the reference server through its restart, its state advancing."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import requests
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from cockpit.api.benefits import BenefitApplication
from cockpit.api.client import ApiClient, ClientConfig
from cockpit.central.runner import EmbeddedServer
from cockpit.central.server import create_app
from cockpit.central.simulator import Simulator
from cockpit.central.state import StateStore
from cockpit.hub.alarms import AlarmDesk
from cockpit.ui.benefits import BenefitService
from cockpit.ui.enterprise_tab import EnterpriseTab

NOW = 1_765_000_000_000


def _enterprise(sim: Simulator):
    for e in sim.search("", "dyeing", 50, NOW).items:
        prof = sim.enterprise(e.code, NOW)
        if prof is not None and len(prof.benefits) >= 2:
            return prof
    raise AssertionError("no enterprise with two benefits")


def test_apply_offline_then_sent_once_and_the_state_advances_through_a_restart(qloop, qtbot, tmp_path):
    sim = Simulator(3)
    prof = _enterprise(sim)
    t = [NOW]
    db = f"sqlite:///{tmp_path / 'state.db'}"

    def server(port: int = 0) -> EmbeddedServer:
        return EmbeddedServer(create_app(Simulator(3), clock=lambda: t[0], store=StateStore(db)), port=port)

    first = server().start()
    port = first.port
    first.stop()  # offline when the operator clicks
    client = ApiClient(ClientConfig(f"http://127.0.0.1:{port}", retries=0, connect_timeout_s=0.5, read_timeout_s=5))
    pool = ThreadPoolExecutor(1)
    desk = AlarmDesk(client, pool, interval_s=3600.0)
    svc = BenefitService(desk, "经信局张三", lambda c: qloop.create_task(c))
    tab = EnterpriseTab("zh", None, None)
    qtbot.addWidget(tab)
    tab.benefits.service_of = lambda: svc
    tab.show()
    tab.show_profile(prof, "", False, NOW)
    view = tab.benefits
    first_id, second_id = prof.benefits[0].id, prof.benefits[1].id
    try:
        assert view.state_texts()[first_id] == "可申请"
        button = tab.findChild(type(view.rows[0][2]), f"apply_{first_id}")
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)  # 一键获取, offline
        qloop.run_until_complete(desk.sync_once())  # unreachable: kept in the queue
        assert view.state_texts()[first_id] == "已申请 · 待发送" and not button.isEnabled()
        assert [p.action for p in desk.pending] == ["apply"]
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)  # disabled: not applied twice
        assert len(desk.pending) == 1

        srv = server(port).start()  # the link returns
        try:
            qloop.run_until_complete(desk.sync_once())
            assert not desk.pending and view.state_texts()[first_id] == "已申请"
            # the same request id sent again (a lost answer): the same application
            body = desk.applications[f"{prof.code}/{first_id}"]
            again = requests.post(f"{srv.url}/api/v1/enterprises/{prof.code}/benefits/{first_id}/apply",
                                  json={"request_id": body.request_id, "operator": "x"}, timeout=10)
            assert BenefitApplication.model_validate_json(again.text) == body
            other = requests.post(f"{srv.url}/api/v1/enterprises/{prof.code}/benefits/nope/apply",
                                  json={"request_id": uuid.uuid4().hex, "operator": "x"}, timeout=10)
            assert other.status_code == 404  # not a benefit of this profile
        finally:
            srv.stop()
        # the server restarts 2 minutes later: the application is kept and under review
        t[0] = NOW + 120_000
        srv = server(port).start()
        try:
            QTest.mouseClick(tab.findChild(type(button), f"apply_{second_id}"), Qt.MouseButton.LeftButton)
            qloop.run_until_complete(desk.sync_once())
            qloop.run_until_complete(desk.load_applications(prof.code))
            texts = view.state_texts()
            assert texts[first_id] == "审核中" and texts[second_id] == "已申请", texts
            t[0] = NOW + 3_600_000  # decided: granted or refused, each with its reason
            qloop.run_until_complete(desk.load_applications(prof.code))
            texts = view.state_texts()
            for bid in (first_id, second_id):
                head, _, reason = texts[bid].partition("\n")
                assert head in ("已兑现", "不予支持") and reason, texts
            listing = requests.get(f"{srv.url}/api/v1/enterprises/{prof.code}/benefits", timeout=10).json()
            assert sorted(a["benefit_id"] for a in listing["applications"]) == sorted([first_id, second_id])
            assert {a["applied_by"] for a in listing["applications"]} == {"经信局张三"}
        finally:
            srv.stop()
    finally:
        pool.shutdown()
        client.close()
