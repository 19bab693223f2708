"""The alarm loop on the reference server, over real HTTP on loopback: states, idempotent
request ids, conflicts, the journal listing, the stream event, a restart that keeps them."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator

import pytest
import requests

from cockpit.api.alarms import AlarmList, AlarmRecord
from cockpit.api.schema import ErrorBody
from cockpit.central.alarms import AlarmStore, sqlite_engine
from cockpit.central.runner import EmbeddedServer
from cockpit.central.server import create_app
from cockpit.central.simulator import Simulator

TOKEN = "alarm-t0k-for-tests"
CLOCK = [1_765_000_000_000]


def _rid() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def server(tmp_path) -> Iterator[EmbeddedServer]:
    store = AlarmStore(sqlite_engine(tmp_path / "alarms.sqlite"), lambda: CLOCK[0])
    with EmbeddedServer(create_app(Simulator(5), alarms=store)) as srv:
        yield srv


def post(srv: EmbeddedServer, alert: str, action: str, body: dict, **kw) -> requests.Response:
    return requests.post(f"{srv.url}/api/v1/alerts/{alert}/{action}", json=body, timeout=10, **kw)


def body(**kw) -> dict:
    return {"request_id": _rid(), "operator": "值班员张三", "brain": "dyeing", **kw}


def test_an_alarm_goes_new_acknowledged_assigned_closed_with_who_when_and_history(server) -> None:
    alert = "dyeing.cod:1765000000000"
    CLOCK[0] = 1_765_000_100_000
    r = post(server, alert, "ack", body())
    assert r.status_code == 200, r.text
    rec = AlarmRecord.model_validate_json(r.content)
    assert (rec.state, rec.acknowledged_by, rec.acknowledged_at) == ("acknowledged", "值班员张三", 1_765_000_100_000)
    # assigning needs a department; closing a not-yet-handled alarm twice is a conflict
    bad = post(server, alert, "assign", body())
    assert bad.status_code == 400 and "department" in ErrorBody.model_validate_json(bad.content).detail
    CLOCK[0] += 60_000
    rec = AlarmRecord.model_validate_json(
        post(server, alert, "assign", body(department="柯桥区生态环境分局", note="现场核查")).content)
    assert (rec.state, rec.department, rec.note) == ("assigned", "柯桥区生态环境分局", "现场核查")
    close_body = body(note="已整改, COD 恢复到 120 mg/L")
    rec = AlarmRecord.model_validate_json(post(server, alert, "close", close_body).content)
    assert rec.state == "closed" and rec.result == "已整改, COD 恢复到 120 mg/L"
    assert [e.action for e in rec.history] == ["ack", "assign", "close"]
    # the same request id again (a retry, a queued action sent twice): nothing changes
    again = post(server, alert, "close", close_body)
    assert again.status_code == 200 and len(AlarmRecord.model_validate_json(again.content).history) == 3
    # a new close of a closed alarm is refused
    conflict = post(server, alert, "close", body(note="再次办结"))
    assert conflict.status_code == 409 and ErrorBody.model_validate_json(conflict.content).error == "conflict"
    # the journal listing: everything, then only what changed after a version
    listing = AlarmList.model_validate_json(requests.get(server.url + "/api/v1/alarms", timeout=10).content)
    assert [a.alert_id for a in listing.alarms] == [alert] and listing.version == 3
    later = requests.get(server.url + "/api/v1/alarms", params={"since_version": 3}, timeout=10)
    assert AlarmList.model_validate_json(later.content).alarms == []


def test_wrong_bodies_are_refused_with_a_reason(server) -> None:
    r = post(server, "x:1", "ack", {"operator": "a", "brain": "dyeing"})
    assert r.status_code == 400 and "request_id" in ErrorBody.model_validate_json(r.content).detail
    r = post(server, "x:1", "ack", body(brain="nope"))
    assert r.status_code == 404
    r = post(server, "x:1", "assign", body(department="d"))  # new: acknowledge first
    assert r.status_code == 409


def test_states_survive_a_restart_of_the_server(tmp_path) -> None:
    path = tmp_path / "state.sqlite"
    with EmbeddedServer(create_app(Simulator(5), alarms=AlarmStore(sqlite_engine(path), lambda: CLOCK[0]))) as srv:
        assert post(srv, "ic.yield:1", "ack", body(brain="ic")).status_code == 200
    with EmbeddedServer(create_app(Simulator(5), alarms=AlarmStore(sqlite_engine(path), lambda: CLOCK[0]))) as srv:
        listing = AlarmList.model_validate_json(requests.get(srv.url + "/api/v1/alarms", timeout=10).content)
    assert [(a.alert_id, a.state) for a in listing.alarms] == [("ic.yield:1", "acknowledged")]


def test_the_token_guards_the_actions() -> None:
    with EmbeddedServer(seed=5, token=TOKEN) as srv:
        assert post(srv, "a:1", "ack", body()).status_code == 401
        ok = post(srv, "a:1", "ack", body(), headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200


def test_a_change_goes_out_on_the_stream(server) -> None:
    got: list[dict] = []
    opened = threading.Event()

    def read() -> None:
        with requests.get(server.url + "/api/v1/stream", params={"brains": "wine", "changes": "alarms"},
                          stream=True, timeout=10) as r:
            kind = None
            for line in r.iter_lines(decode_unicode=True):
                if line.startswith("event: "):
                    kind = line[7:]
                    opened.set()
                elif line.startswith("data: ") and kind == "change":
                    got.append(json.loads(line[6:]))
                    return

    t = threading.Thread(target=read, daemon=True)
    t.start()
    assert opened.wait(8)  # the stream is open (its first event read) before the change
    assert post(server, "wine.temp:9", "ack", body(brain="wine")).status_code == 200
    t.join(8)
    assert got and got[0]["topic"] == "alarms"
    assert got[0]["data"]["alert_id"] == "wine.temp:9" and got[0]["data"]["state"] == "acknowledged"


def test_the_alarm_examples_in_the_api_docs_fit_the_contract() -> None:
    import re
    from pathlib import Path

    from cockpit.api.alarms import AlarmAction

    doc = (Path(__file__).resolve().parents[1] / "docs" / "API.md").read_text(encoding="utf-8")
    start = doc.index("## The alarm loop")
    end = doc.find("\n## ", start + 1)
    section = doc[start:end if end > 0 else None]  # up to the next section
    blocks = re.findall(r"```json\n(.*?)```", section, re.S)
    assert len(blocks) == 3
    action = AlarmAction.model_validate_json(blocks[0])
    record = AlarmRecord.model_validate_json(blocks[1])
    assert action.alert is not None and action.department == record.department
    assert [e.state for e in record.history] == ["acknowledged", "assigned"] == [
        {"ack": "acknowledged", "assign": "assigned"}[e.action] for e in record.history]
    assert AlarmList.model_validate_json(blocks[2]).version == 2
