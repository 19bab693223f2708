"""孪生同现 (#11 §1): a dyeing mill and a rice-wine brewery as live plant views, from the
reference server's twin endpoint over loopback to the view opened from the 企业码 profile."""

from __future__ import annotations

import datetime as dt

import pytest
import requests
from pydantic import ValidationError
from PySide6.QtCore import Qt

from cockpit.api.client import ApiClient, ClientConfig, HttpError
from cockpit.api.twin import Twin
from cockpit.central import figures as F
from cockpit.central.runner import EmbeddedServer
from cockpit.central.server import create_app
from cockpit.central.simulator import Simulator
from cockpit.central.twins import twin
from cockpit.ui.enterprise_tab import EnterpriseTab
from cockpit.ui.twin_view import TwinView
from widgets.state import DataState

TZ = dt.timezone(dt.timedelta(hours=8))
WINTER = int(dt.datetime(2026, 12, 6, 9, 0, tzinfo=TZ).timestamp() * 1000)  # in the brewing season
SUMMER = int(dt.datetime(2026, 7, 6, 9, 0, tzinfo=TZ).timestamp() * 1000)


@pytest.fixture(scope="module")
def sim() -> Simulator:
    return Simulator(0)


def test_server_sends_a_mill_twin_that_agrees_with_the_mills_figures(sim: Simulator) -> None:
    mill = max(sim.firms.enterprises("dyeing"), key=lambda e: e.weight)
    with EmbeddedServer(create_app(Simulator(0), clock=lambda: WINTER)) as srv:
        client = ApiClient(ClientConfig(srv.url))
        tw = client.twin(mill.code.lower())  # a code as typed is forgiven
        r = requests.get(srv.url + "/api/v1/enterprises/12345/twin", timeout=10)
        assert r.status_code == 400
        ic = sim.firms.enterprises("ic")[0]
        with pytest.raises(HttpError) as err:
            client.twin(ic.code)
        assert err.value.status == 404
    assert tw.code == mill.code and tw.kind == "dyeing_mill" and tw.simulated
    kinds = {u.kind for u in tw.units}
    assert {"jet_dyer", "stenter", "wastewater"} <= kinds
    vals = sim.panels.values("dyeing", WINTER - WINTER % 10_000)
    stenters = sum(m.value or 0.0 for u in tw.units if u.kind == "stenter" for m in u.meters if m.key == "output_today")
    status = sim.firms.status_of(mill, WINTER)
    if status != "stopped" and any(u.state == "running" for u in tw.units if u.kind == "stenter"):
        assert stenters == pytest.approx(float(vals["output_today"][mill.index]), abs=0.02)
    cod = next(m for u in tw.units if u.kind == "wastewater" for m in u.meters if m.key == "cod")
    assert cod.value == pytest.approx(float(vals["cod"][mill.index]), abs=0.5)
    assert cod.level == ("alarm" if cod.value > F.DYEING_COD_LIMIT else cod.level)


def test_a_stopped_mill_runs_nothing_and_the_brewery_follows_the_season(sim: Simulator) -> None:
    stopped = next(((e, t) for t in range(WINTER, WINTER + 30 * 3_600_000, 3_600_000)
                    for e in sim.firms.enterprises("dyeing") if sim.firms.status_of(e, t) == "stopped"), None)
    assert stopped is not None
    e, t = stopped
    tw = twin(sim, e.code, t)
    assert tw is not None and {u.state for u in tw.units} == {"stopped"}
    brewery = max(sim.firms.enterprises("wine"), key=lambda e: e.weight)
    winter, summer = twin(sim, brewery.code, WINTER), twin(sim, brewery.code, SUMMER)
    assert winter is not None and summer is not None
    tanks_w = [u for u in winter.units if u.kind == "ferment_tank"]
    tanks_s = [u for u in summer.units if u.kind == "ferment_tank"]
    assert any(u.state == "running" for u in tanks_w)
    assert all(u.state in ("cleaning", "stopped") for u in tanks_s)
    for u in tanks_w:
        temp = next(m for m in u.meters if m.key == "temp")
        if temp.value is not None:
            assert 15 < temp.value < 40
            assert temp.level == ("alarm" if temp.value > 34 else "warn" if temp.value > 32 else "ok")
    assert twin(sim, sim.firms.enterprises("pharma")[0].code, WINTER) is None


def test_contract_keeps_units_on_the_floor(sim: Simulator) -> None:
    data = twin(sim, sim.firms.enterprises("dyeing")[0].code, WINTER).model_dump()
    data["units"][0]["x"] = data["floor_w"]  # off the floor
    with pytest.raises(ValidationError, match="outside"):
        Twin.model_validate(data)


def test_profile_button_opens_the_live_plant_view_marked_simulated(qtbot, sim: Simulator) -> None:  # noqa: ANN001
    mill = max(sim.firms.enterprises("dyeing"), key=lambda e: e.weight)
    asked: list[str] = []

    def fetch(code: str, cb) -> None:  # noqa: ANN001
        asked.append(code)
        cb(twin(sim, code, WINTER), "", False, WINTER)

    tab = EnterpriseTab("zh", None, None)
    qtbot.addWidget(tab)
    tab.twin_fn = fetch
    tab.resize(1600, 900)
    tab.show()
    tab.show_profile(sim.enterprise(mill.code, WINTER), "")
    assert tab.twin_button.text() == "孪生视图" and tab.twin_button.isVisible()
    qtbot.mouseClick(tab.twin_button, Qt.MouseButton.LeftButton)
    view = tab.twin_view
    assert isinstance(view, TwinView) and view.isVisible() and asked == [mill.code]
    floor = view.floor
    assert floor.state() == DataState.LIVE and len(floor.units()) == len(view.twin.units)
    assert view.badge.text().startswith("模拟数据") and view.badge.isVisible()  # simulated, said on screen
    view.resize(1920, 1080)
    img = floor.grab().toImage()  # paints: unit boxes land inside the widget and do not overlap
    assert not img.isNull()
    rects = list(floor.unit_rects.values())
    assert len(rects) == len(floor.units())
    for i, a in enumerate(rects):
        assert floor.rect().contains(a.toRect().adjusted(1, 1, -1, -1))
        for b in rects[i + 1:]:
            assert not a.intersects(b.adjusted(1, 1, -1, -1)), (a, b)
    assert floor.text_px() >= 14  # readable at 1080p
    texts = floor.legend_texts()
    assert any(t.startswith("运行 ") for t in texts)
    view.close()
    assert not view._timer.isActive()
