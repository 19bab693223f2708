"""The booth's auto-tour: it walks the screens with captions, opens a sample enterprise
code and a batch check from the data on screen, loops, and gives way to a visitor."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from cockpit.app import Cockpit
from cockpit.ui.tour import STEPS, Tour
from tests.test_app_e2e import _run_app, _until

# A closed in-process Cockpit window is kept alive by signal connections to lambdas that
# capture it (see Cockpit._close_windows); deleting it crashed a later run: allowed here.
pytestmark = pytest.mark.leaks_qt("Cockpit window outlives run()")


def test_the_tour_walks_every_step_opens_samples_and_pauses_for_a_visitor(qloop, qtbot):
    seen: dict = {"steps": []}

    async def scenario(c: Cockpit) -> None:
        win = c.window
        await _until(lambda: len(win.tabs_by_brain) == 7 and c.hub.status.state.value == "live", 15, "live")
        for brain in ("city", "dyeing", "wine", "ic", "pharma"):  # every screen has had its data
            tab = win.tabs_by_brain[brain]
            win.show_brain(brain)
            await _until(lambda t=tab: t.widgets_with_data() == t.widget_count(), 15, brain)
        tour = Tour(win, "zh")
        tour._timer.stop()
        tour.paused = False
        for _ in range(len(STEPS)):
            tour.step()
            tour._timer.stop()  # driven by hand, not by the clock
            seen["steps"].append((win.current_brain(), tour.caption(), tour.overlay.hole.isEmpty()))
            if STEPS[tour.index].action == "open_enterprise":
                await _until(lambda: win.enterprise_tab.profile is not None, 10, "the sample profile")
            if STEPS[tour.index].action == "check_batch":
                from cockpit.ui.batch_check import BatchCheck

                view = win.tabs_by_brain["wine"].findChildren(BatchCheck)[0]
                await _until(lambda v=view: v.batch is not None and not v.verdict_text().startswith("正在查询"),
                             10, "the sample batch")
                seen["verdict"] = view.verdict_text()
        seen["index_after_loop"] = tour.index
        qtbot.keyClick(win, Qt.Key.Key_A)  # a visitor
        seen["paused"] = (tour.paused, tour.overlay.isVisible(), tour._idle.isActive())
        tour.resume()
        seen["resumed"] = (tour.paused, tour.caption())
        tour.stop()

    _run_app(qloop, ["--size", "1600x900"], scenario)
    steps = seen["steps"]
    assert [s[0] for s in steps] == [st.tab for st in STEPS]
    assert all(caption for _, caption, _ in steps)
    assert steps[0][1].startswith("全市规上工业增加值")
    assert not steps[1][2]  # a panel highlighted, not the whole tab
    assert seen["verdict"][0] in "✓×？"
    assert seen["paused"] == (True, False, True)
    assert seen["resumed"][0] is False and seen["resumed"][1]
