"""The wine tab's batch check before anyone types: the latest checked batch, not an empty
form; an answer to a superseded lookup never replaces a later one."""

from __future__ import annotations

import time

from cockpit.central.simulator import Simulator
from cockpit.ui.batch_check import BatchCheck
from cockpit.ui.panels import TabContext


def _view(qtbot, answers: list) -> BatchCheck:
    ctx = TabContext(lang="zh", fetch_batch=lambda no, cb: answers.append((no, cb)))
    view = BatchCheck(ctx)
    qtbot.addWidget(view)
    return view


def test_the_latest_batch_is_shown_until_someone_asks(qtbot):
    sim = Simulator(seed=4)
    now = int(time.time()) * 1000
    nos = [r.key for r in sim.snapshot("wine", now).panels["batches"].rows]
    answers: list = []
    view = _view(qtbot, answers)
    view.set_samples(nos)
    assert [no for no, _ in answers] == [nos[0]] and view.entry.text() == nos[0]
    view.set_samples(nos)  # the next panel: no second lookup for nobody
    assert len(answers) == 1
    # someone asks for another batch before the first answer came: the late answer is dropped
    view.entry.setText(nos[1])
    view.check()
    answers[0][1](sim.batch(nos[0], now), "", False, now)
    assert view.batch is None and view.verdict_text().startswith("正在查询")
    answers[1][1](sim.batch(nos[1], now), "", False, now)
    assert view.batch is not None and view.batch.batch_no == nos[1]


def test_a_failed_lookup_for_nobody_leaves_the_empty_form_and_is_tried_again(qtbot):
    answers: list = []
    view = _view(qtbot, answers)
    hint = view.verdict_text()
    view.set_samples(["HJ004-2020-001"])
    answers[0][1](None, "离线", False, None)
    assert view.verdict_text() == hint and view.entry.text() == ""  # no error for a question nobody asked
    view.set_samples(["HJ004-2020-001"])
    assert len(answers) == 2
