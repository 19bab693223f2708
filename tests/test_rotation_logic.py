"""The rotation's decisions (cockpit.rotation): order and dwell, pause and resume, alarm
jumps, restart. No Qt: a fake window of callbacks and a fake clock; no test sleeps.
(The progress line that draws it: tests/test_rotation.py.)"""

from __future__ import annotations

import json

import pytest
from helpers import Clock

from cockpit.parsing import parse_duration, parse_rotate
from cockpit.rotation import Rotation


class Wall:
    """Stands in for the main window: tabs, the one on screen, brains in alarm."""

    def __init__(self, tabs=("city", "dyeing", "textile", "wine"), shown="city") -> None:
        self.tabs = list(tabs)
        self.shown = shown
        self.alarms: set[str] = set()
        self.history: list[tuple[float, str]] = []
        self.clock = Clock()

    def show(self, tab: str) -> bool:
        if tab not in self.tabs:
            return False
        if tab != self.shown:
            self.history.append((self.clock.t, tab))
        self.shown = tab
        return True

    def current(self) -> str | None:
        return self.shown

    def alarming(self) -> set[str]:
        return set(self.alarms)

    def rotation(self, **kw) -> Rotation:
        kw.setdefault("playlist", self.tabs)
        rot = Rotation(self.show, self.current, self.alarming, now=self.clock, **kw)
        rot.tick()  # the window's timer starts with the rotation
        return rot

    def run(self, rot: Rotation, seconds: float, step: float = 0.2) -> None:
        """Tick as the window's timer would, for this many seconds of the fake clock."""
        for _ in range(round(seconds / step)):
            self.clock.t = round(self.clock.t + step, 6)
            rot.tick()


def times(wall: Wall, t0: float) -> list[tuple[float, str]]:
    return [(round(t - t0, 1), tab) for t, tab in wall.history]


# ---- order and dwell --------------------------------------------------------------------


def test_each_tab_in_playlist_order_for_its_own_dwell():
    wall = Wall()
    rot = wall.rotation(dwell_s=10, dwell={"dyeing": 20})
    t0 = wall.clock.t
    wall.run(rot, 95)
    assert times(wall, t0) == [(10.0, "dyeing"), (30.0, "textile"), (40.0, "wine"), (50.0, "city"),
                               (60.0, "dyeing"), (80.0, "textile"), (90.0, "wine")]


def test_progress_runs_over_the_dwell():
    wall = Wall()
    rot = wall.rotation(dwell_s=20)
    rot.tick()
    assert rot.progress() == 0
    wall.run(rot, 5)
    assert rot.progress() == pytest.approx(0.25, abs=0.02)
    wall.run(rot, 10)
    assert rot.progress() == pytest.approx(0.75, abs=0.02)
    assert rot.mode() == "playing"


def test_a_tab_that_is_gone_is_skipped():
    wall = Wall()
    rot = wall.rotation(playlist=["city", "chips", "dyeing"], dwell_s=10)
    t0 = wall.clock.t
    wall.run(rot, 21)
    assert times(wall, t0) == [(10.0, "dyeing"), (20.0, "city")]


def test_a_tab_someone_else_shows_gets_a_full_dwell_and_the_playlist_continues_after_it():
    wall = Wall()
    rot = wall.rotation(dwell_s=10)
    wall.run(rot, 4)
    wall.shown = "textile"  # a click on an alert, an enterprise opened...
    t0 = wall.clock.t
    wall.run(rot, 11)
    assert times(wall, t0) == [(10.2, "wine")]  # seen at the next tick


def test_advance_and_back_switch_at_once_and_restart_the_dwell():
    wall = Wall()
    rot = wall.rotation(dwell_s=10)
    wall.run(rot, 6)
    rot.advance()
    assert wall.shown == "dyeing" and rot.progress() == 0
    rot.back()
    rot.back()
    assert wall.shown == "wine"
    wall.run(rot, 9.8)
    assert wall.shown == "wine"
    wall.run(rot, 0.4)
    assert wall.shown == "city"


# ---- pause ------------------------------------------------------------------------------


def test_activity_pauses_and_the_rotation_resumes_by_itself():
    wall = Wall()
    rot = wall.rotation(dwell_s=10, pause_resume_s=120)
    wall.run(rot, 5)
    rot.pause("activity")
    assert rot.mode() == "paused" and rot.progress() == pytest.approx(0.5, abs=0.03)
    wall.run(rot, 60)
    rot.pause("activity")  # touched again: another 120 s from now
    wall.run(rot, 119)
    assert wall.shown == "city" and rot.paused
    assert rot.paused_remaining() == pytest.approx(1, abs=0.3)
    wall.run(rot, 1.2)
    assert not rot.paused and rot.mode() == "playing"
    assert wall.shown == "city" and rot.progress() < 0.05  # the tab on screen gets a full dwell
    wall.run(rot, 10)
    assert wall.shown == "dyeing"


def test_resume_continues_from_the_tab_the_operator_chose():
    wall = Wall()
    rot = wall.rotation(dwell_s=10, pause_resume_s=30)
    rot.tick()
    rot.pause("activity")
    wall.shown = "textile"
    t0 = wall.clock.t
    wall.run(rot, 41)
    assert times(wall, t0) == [(40.0, "wine")]


# ---- alarms -----------------------------------------------------------------------------


def test_a_new_alarm_jumps_the_queue_and_is_held_longer():
    wall = Wall()
    rot = wall.rotation(dwell_s=10, alarm_hold_s=60, alarm_min_dwell_s=5)
    wall.run(rot, 6)  # city has been up 6 s
    t0 = wall.clock.t
    wall.alarms = {"wine"}
    wall.run(rot, 75)
    # at once (city was up for more than 5 s), held 60 s, then the playlist after city
    assert times(wall, t0) == [(0.2, "wine"), (60.2, "dyeing"), (70.2, "textile")]


def test_an_alarm_waits_until_the_tab_on_screen_was_up_for_the_minimum():
    wall = Wall()
    rot = wall.rotation(dwell_s=10, alarm_min_dwell_s=5)
    rot.tick()
    t0 = wall.clock.t
    wall.run(rot, 1)
    wall.alarms = {"textile"}
    wall.run(rot, 5)
    assert times(wall, t0) == [(5.0, "textile")]
    assert rot.mode() == "alarm"


def test_several_alarms_queue_in_playlist_order_each_held():
    wall = Wall()
    rot = wall.rotation(dwell_s=10, alarm_hold_s=30)
    wall.run(rot, 6)
    t0 = wall.clock.t
    wall.alarms = {"wine", "dyeing"}
    wall.run(rot, 2)
    wall.alarms.add("textile")  # a third one during the first hold: waits for its turn
    wall.run(rot, 93)
    # in the order they came (two at once: in playlist order); then the playlist after city
    assert times(wall, t0) == [(0.2, "dyeing"), (30.2, "wine"), (60.2, "textile"), (90.2, "dyeing")]


def test_the_same_alarm_episode_does_not_jump_twice():
    wall = Wall(tabs=("city", "dyeing", "textile", "wine", "ic"))
    # ic is not in the playlist: each time it is shown is a jump
    rot = wall.rotation(playlist=["city", "dyeing", "textile", "wine"], dwell_s=10, alarm_hold_s=20,
                        alarm_rearm_s=30)
    wall.run(rot, 6)
    t0 = wall.clock.t
    wall.alarms = {"ic"}
    wall.run(rot, 60)  # stays alarming: one jump
    wall.alarms = set()
    wall.run(rot, 10)  # clear for less than the re-arm time: the same episode (flapping)
    wall.alarms = {"ic"}
    wall.run(rot, 40)
    jumps = [t for t, tab in times(wall, t0) if tab == "ic"]
    assert jumps == [0.2]
    wall.alarms = set()
    wall.run(rot, 31)  # clear long enough: the episode ended
    t1 = wall.clock.t
    wall.alarms = {"ic"}
    wall.run(rot, 6)
    assert times(wall, t1)[-1][1] == "ic" and rot.mode() == "alarm"


def test_an_alarm_that_clears_before_its_turn_is_dropped():
    wall = Wall()
    rot = wall.rotation(dwell_s=10, alarm_hold_s=30)
    wall.run(rot, 6)
    t0 = wall.clock.t
    wall.alarms = {"dyeing", "wine"}
    wall.run(rot, 10)
    wall.alarms = {"dyeing"}  # wine cleared while dyeing is held
    wall.run(rot, 25)
    assert times(wall, t0) == [(0.2, "dyeing"), (30.2, "textile")]


def test_an_alarm_on_the_tab_on_screen_holds_it():
    wall = Wall()
    rot = wall.rotation(dwell_s=10, alarm_hold_s=40)
    wall.run(rot, 8)
    wall.alarms = {"city"}
    wall.run(rot, 39)
    assert wall.history == [] and rot.mode() == "alarm"
    wall.run(rot, 1.2)
    assert wall.shown == "dyeing"


def test_alarms_wait_while_an_operator_works_and_jump_on_resume():
    wall = Wall()
    rot = wall.rotation(dwell_s=10, pause_resume_s=30)
    wall.run(rot, 6)
    rot.pause("activity")
    wall.alarms = {"wine"}
    wall.run(rot, 29.8)
    assert wall.shown == "city"
    assert rot.alarm_queue == ["wine"]
    t0 = wall.clock.t
    wall.run(rot, 6)
    assert times(wall, t0) == [(5.2, "wine")]  # resumed, city shown its minimum 5 s, then the alarm


def test_without_a_playlist_only_alarms_jump_and_the_wall_goes_back():
    wall = Wall()
    rot = wall.rotation(playlist=[], alarm_hold_s=30)
    wall.run(rot, 60)
    assert wall.history == [] and rot.mode() == "idle"
    t0 = wall.clock.t
    wall.alarms = {"ic"} | {"wine"}
    wall.run(rot, 31)
    assert times(wall, t0) == [(0.2, "wine"), (30.2, "city")]


# ---- restart ----------------------------------------------------------------------------


def test_state_and_restore_carry_position_pause_and_alarm_episodes_over_a_restart():
    wall = Wall()
    rot = wall.rotation(dwell_s=10, dwell={"textile": 40}, pause_resume_s=120)
    wall.alarms = {"wine"}
    wall.run(rot, 100)  # wine jumped, held; then on
    rot.advance()
    rot.advance()
    while wall.shown != "textile":
        rot.advance()
    wall.run(rot, 12)
    rot.pause("manual")
    wall.run(rot, 20)
    state = json.loads(json.dumps(rot.state()))  # it goes through a JSON file

    wall2 = Wall(shown="city")  # the new process starts on its first tab
    wall2.alarms = {"wine"}  # still the same episode: must not jump again
    wall2.clock.t = 5.0  # another monotonic clock
    rot2 = wall2.rotation(dwell_s=10, dwell={"textile": 40}, pause_resume_s=120)
    assert rot2.restore(state)
    rot2.tick()
    assert wall2.shown == "textile" and rot2.paused
    assert rot2.paused_remaining() == pytest.approx(100, abs=0.5)
    assert rot2.progress() == pytest.approx(12 / 40, abs=0.02)
    wall2.run(rot2, 100.2)
    assert not rot2.paused and wall2.shown == "textile"
    wall2.run(rot2, 40.2)
    assert wall2.shown == "wine" and rot2.mode() == "playing"  # its normal turn, not a jump


def test_restore_continues_the_dwell_when_the_tabs_come_later():
    wall = Wall()
    rot = wall.rotation(dwell_s=10)
    wall.run(rot, 13)
    state = rot.state()
    assert state["shown"] == "dyeing" and state["elapsed_s"] == pytest.approx(3, abs=0.3)

    wall2 = Wall(tabs=(), shown=None)
    rot2 = wall2.rotation(playlist=["city", "dyeing", "textile", "wine"], dwell_s=10)
    rot2.restore(state)
    wall2.run(rot2, 2)  # the catalog has not come yet
    wall2.tabs = ["city", "dyeing", "textile", "wine"]
    wall2.run(rot2, 0.2)
    assert wall2.shown == "dyeing"
    wall2.run(rot2, 7)
    assert wall2.shown == "textile"


@pytest.mark.parametrize("state", [{}, {"version": 1, "elapsed_s": "soon"}, {"version": 1, "shown": 3},
                                   {"version": 99, "shown": "city"}, {"version": 1, "elapsed_s": -4}])
def test_a_state_that_does_not_fit_is_not_restored(state):
    wall = Wall()
    rot = wall.rotation()
    assert rot.restore(state) is False
    rot.tick()
    assert wall.shown == "city" and rot.mode() == "playing"


# ---- the --rotate option ----------------------------------------------------------------


def test_parse_rotate():
    assert parse_rotate("30").default_dwell_s == 30 and parse_rotate("30").playlist is None
    spec = parse_rotate("20, city=1m, dyeing, ic=45s")
    assert spec.default_dwell_s == 20 and spec.playlist == ["city", "dyeing", "ic"]
    assert spec.dwell == {"city": 60, "ic": 45}
    assert parse_duration("1.5m") == 90


@pytest.mark.parametrize("text, words", [
    ("", "empty"), ("city,,ic", "empty item"), ("city=fast", "'city=fast'"), ("city=4", "under 5 s"),
    ("City", "not a tab id"), ("city,city", "twice"), ("0", "more than 0"),
])
def test_parse_rotate_says_what_is_wrong(text, words):
    with pytest.raises(ValueError, match=words):
        parse_rotate(text)
