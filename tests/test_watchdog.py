"""Watchdog: a stuck GUI thread is logged with where it is stuck; memory growth told from a
plateau; the daily restart fires once with its state file; state files that cannot be
trusted are ignored."""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from datetime import datetime, timedelta

import pytest
from helpers import Clock

from cockpit import watchdog as wd
from cockpit.watchdog import (
    DailyRestart,
    MemoryWatch,
    StallDetector,
    Watchdog,
    load_restart_state,
    restart_command,
    save_restart_state,
)

MB = 1024 * 1024


# ---- UI stall ---------------------------------------------------------------------------


def block_the_gui_thread(seconds: float) -> None:
    time.sleep(seconds)  # what a blocking call on the GUI thread looks like to the watchdog


def wait_for(cond, timeout=1.5) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.01)
    return cond()


def test_a_stall_is_logged_once_with_the_stack_naming_the_blocking_function(caplog):
    caplog.set_level(logging.WARNING, logger="cockpit.watchdog")
    det = StallDetector(0.3, check_s=0.03)
    det.start()
    try:
        det.beat()
        block_the_gui_thread(0.7)  # more than twice the threshold: still one report
        det.beat()
        assert wait_for(lambda: not det.stalled)
    finally:
        det.stop()
    stalls = [r for r in caplog.records if "stalled" in r.getMessage()]
    assert len(stalls) == 1 and stalls[0].levelno == logging.ERROR
    msg = stalls[0].getMessage()
    assert "in block_the_gui_thread" in msg and "time.sleep(seconds)" in msg
    assert "test_a_stall_is_logged_once" in msg  # and who called it
    recovered = [r for r in caplog.records if "responsive again" in r.getMessage()]
    assert len(recovered) == 1
    assert det.stalls == 1 and 0.6 <= det.last_stall_s < 1.5


def test_a_busy_but_beating_gui_thread_is_no_stall(caplog):
    caplog.set_level(logging.WARNING, logger="cockpit.watchdog")
    det = StallDetector(0.3, check_s=0.03)
    det.start()
    try:
        for _ in range(6):
            block_the_gui_thread(0.1)
            det.beat()
    finally:
        det.stop()
    assert det.stalls == 0 and caplog.records == []


def test_the_stack_is_the_gui_threads_not_the_watchdogs():
    det = StallDetector(0.3, thread_id=threading.get_ident())
    clock = Clock()
    det.clock = clock
    det.beat()
    clock.t += 1
    assert det.check() == "stalled"
    assert det.check() is None  # once per stall
    assert "test_the_stack_is_the_gui_threads_not_the_watchdogs" in det.last_stack
    det.beat()
    assert det.check() == "recovered" and det.last_stall_s == pytest.approx(1.0)


# ---- memory -----------------------------------------------------------------------------


def feed(watch: MemoryWatch, clock: Clock, hours: float, rss_mb) -> None:
    """A sample a minute; rss_mb(minute) gives the RSS."""
    for minute in range(round(hours * 60)):
        watch.add(rss_mb(minute) * MB)
        clock.t += 60


def sawtooth(minute: int) -> float:
    """A heap that fills and is collected every 20 min: up to 30 MB above its floor."""
    return (minute % 20) * 1.5


def test_memory_that_keeps_growing_is_flagged(caplog):
    caplog.set_level(logging.WARNING, logger="cockpit.watchdog")
    clock = Clock()
    watch = MemoryWatch(growth_mb=100, growth_hours=6, clock=clock)
    feed(watch, clock, 5.5, lambda m: 300 + m * 0.5 + sawtooth(m))  # +30 MB an hour
    assert not watch.growing()  # not six complete hours yet
    feed(watch, clock, 1, lambda m: 300 + (m + 330) * 0.5 + sawtooth(m))
    assert watch.growing()
    st = watch.status()
    assert st["growing"] and st["growth_mb"] == pytest.approx(150, abs=2)
    assert any("memory keeps growing" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("shape", [
    lambda m: 300 + sawtooth(m),  # a plateau
    lambda m: 300 + m * 0.1 + sawtooth(m),  # rising, but 30 MB in 5 h: under the threshold
    lambda m: 300 + (200 if m > 90 else 0) + sawtooth(m),  # one step (a cache filled), then flat
    lambda m: 300 + (m % 120) * 1.5,  # busy hours and quiet hours: minima do not keep rising
], ids=["plateau", "slow", "step", "busy-hours"])
def test_memory_that_does_not_keep_growing_is_not_flagged(caplog, shape):
    caplog.set_level(logging.WARNING, logger="cockpit.watchdog")
    clock = Clock()
    watch = MemoryWatch(growth_mb=100, growth_hours=6, clock=clock)
    feed(watch, clock, 12, shape)
    assert not watch.growing() and caplog.records == []


def test_above_the_limit_a_restart_is_requested_once(tmp_path):
    clock = Clock()
    rss = [400 * MB]
    asked: list[str] = []
    dog = Watchdog(max_rss_mb=500, clock=clock, read_rss=lambda: rss[0], state_path=tmp_path / "s.json",
                   state_provider=lambda: {"tab": "ic"}, request_restart=asked.append)
    for _ in range(3):
        dog.beat()
        clock.t += 60
    rss[0] = 900 * MB
    dog.beat()  # one spike: not yet
    assert asked == []
    clock.t += 60
    dog.beat()
    clock.t += 60
    dog.beat()
    assert asked == ["memory"]
    assert json.loads((tmp_path / "s.json").read_text())["reason"] == "memory"
    assert dog.status()["restart"]["requested"] == "memory"
    assert dog.status()["memory"]["rss_mb"] == 900


def test_rss_is_read_from_the_process():
    rss = wd.rss_bytes()
    assert rss is not None and 10 * MB < rss < 8192 * MB


# ---- daily restart ----------------------------------------------------------------------


class Now:
    def __init__(self, when: datetime) -> None:
        self.when = when

    def __call__(self) -> datetime:
        return self.when


def test_the_daily_restart_fires_once_at_the_hour_with_the_state_written(tmp_path):
    now = Now(datetime(2026, 11, 27, 3, 58))
    clock = Clock(0.0)
    asked: list[str] = []
    state = {"tab": "wine", "rotation": {"version": 1, "shown": "wine"}, "geometry": [0, 0, 1920, 1080]}
    dog = Watchdog(restart_at="04:00", now=now, clock=clock, wall_time=lambda: 5000.0,
                   read_rss=lambda: 300 * MB, state_path=tmp_path / "restart-state.json",
                   state_provider=lambda: state, request_restart=asked.append)
    clock.t = 5 * 3600  # up for hours
    for _ in range(10 * 60):  # 03:58 .. 04:08, a beat a second
        dog.beat()
        now.when += timedelta(seconds=1)
        clock.t += 1
        if asked and now.when < datetime(2026, 11, 27, 4, 0, 2):
            assert now.when >= datetime(2026, 11, 27, 4, 0)
    assert asked == ["scheduled"]
    assert dog.daily is not None and dog.daily.next_at == datetime(2026, 11, 28, 4, 0)
    saved = json.loads((tmp_path / "restart-state.json").read_text("utf-8"))
    assert saved["reason"] == "scheduled" and saved["state"] == state and saved["written_at"] == 5000.0
    assert load_restart_state(tmp_path / "restart-state.json", now=lambda: 5060.0) == state
    assert not (tmp_path / "restart-state.json").exists()  # used once
    assert load_restart_state(tmp_path / "restart-state.json") is None


def test_a_process_that_just_restarted_does_not_restart_again_today():
    now = Now(datetime(2026, 11, 27, 4, 0, 3))  # the new process, seconds after the restart
    clock = Clock(0.0)
    daily = DailyRestart("04:00", now=now, clock=clock)
    assert daily.next_at == datetime(2026, 11, 28, 4, 0)
    # started at 03:59: too young at 04:00, tomorrow instead
    now.when = datetime(2026, 11, 27, 3, 59)
    daily = DailyRestart("04:00", now=now, clock=clock)
    now.when += timedelta(minutes=1)
    clock.t += 60
    assert not daily.due() and daily.next_at == datetime(2026, 11, 28, 4, 0)


def test_a_missed_hour_is_skipped_not_made_up_at_noon():
    now = Now(datetime(2026, 11, 27, 3, 0))
    clock = Clock(0.0)
    daily = DailyRestart("04:00", now=now, clock=clock)
    clock.t = 20 * 3600
    now.when = datetime(2026, 11, 27, 12, 0)  # the machine slept through the night
    assert not daily.due()
    now.when = datetime(2026, 11, 28, 4, 0, 30)
    assert daily.due()


@pytest.mark.parametrize("at", ["4", "25:00", "04:60", "", "four"])
def test_a_wrong_restart_time_is_refused(at):
    with pytest.raises(ValueError, match="not a time of day"):
        DailyRestart(at)


# ---- the state file ---------------------------------------------------------------------


@pytest.mark.parametrize("content", [
    "{not json", "[]", json.dumps({"version": 1, "written_at": 5000.0}),
    json.dumps({"version": 2, "written_at": 5000.0, "state": {}}),
    json.dumps({"version": 1, "written_at": "later", "state": {}}), "",
])
def test_a_corrupt_state_file_is_ignored_with_a_log_line(tmp_path, caplog, content):
    caplog.set_level(logging.WARNING, logger="cockpit.watchdog")
    path = tmp_path / "restart-state.json"
    path.write_text(content, "utf-8")
    assert load_restart_state(path, now=lambda: 5010.0) is None
    assert "ignored: corrupt" in caplog.text
    assert not path.exists()


def test_a_stale_state_file_is_ignored(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="cockpit.watchdog")
    path = save_restart_state({"tab": "ic"}, "scheduled", tmp_path / "restart-state.json", now=lambda: 5000.0)
    assert load_restart_state(path, now=lambda: 5000.0 + 11 * 60) is None
    assert "written 660 s ago" in caplog.text and not path.exists()


def test_the_default_state_file_is_in_the_user_state_folder():
    path = wd.restart_state_path()
    assert path.name == "restart-state.json" and "industry-brain-cockpit" in str(path)


def test_restart_command():
    argv = ["/opt/cockpit/main.py", "--tab", "ic", "--lang", "en"]
    assert restart_command(argv, frozen=True) == [sys.executable, "--tab", "ic", "--lang", "en"]
    cmd = restart_command(argv, frozen=False, main_module=None)
    assert cmd[0] == sys.executable and cmd[-5:] == argv
    cmd = restart_command(["/x/cockpit/__main__.py", "--tab", "ic"], frozen=False, main_module="cockpit.__main__")
    assert cmd[0] == sys.executable and cmd[-4:] == ["-m", "cockpit", "--tab", "ic"]


def test_the_qt_hook_beats_from_the_gui_thread(qtbot, qapp):
    dog = Watchdog(stall_s=5)
    timer = wd.install(dog, qapp)
    try:
        assert timer.isActive() and timer.interval() == 1000
        before = dog.stall.last_beat
        timer.timeout.emit()
        assert dog.stall.last_beat > before
        assert dog.stall._thread is not None and dog.stall._thread.daemon
    finally:
        timer.stop()
        dog.stop()
