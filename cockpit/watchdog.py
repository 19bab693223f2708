"""Watchdog of a wall that runs for weeks: a stuck UI, memory that keeps growing, a daily
clean restart.

Qt-free (tested without a screen); :func:`install` is the thin Qt hook (a 1 s QTimer on the
GUI thread calling :meth:`Watchdog.beat`).

- **UI stall**: the GUI thread calls :meth:`Watchdog.beat` every second; a daemon thread
  checks the heartbeat, and when it is older than ``stall_s`` (10 s) logs an error with
  the stack of the GUI thread (where it is stuck), once per stall, and logs the recovery
  with the stall's length.
- **Memory**: on the heartbeat, once a minute, the resident set size is sampled
  (``/proc/self/statm``; elsewhere the peak RSS from ``resource``) into hourly buckets.
  "Keeps growing" is flagged (a warning each hour while it holds, and in
  :meth:`Watchdog.status`) when over the last ``growth_hours`` (6) complete hours the
  hourly minimum rose every hour and by more than ``growth_mb`` in all: a leak raises
  even the lowest point of each hour, a cache filling up or a busy hour does not. Above
  ``max_rss_mb`` (two samples in a row) a restart is requested at once.
- **Daily restart** at a quiet hour (``restart_at="04:00"``, local time, once a day; not
  in a process younger than an hour; skipped if the hour was missed by more than 30 min,
  e.g. the machine slept): the state the lead's ``state_provider()`` returns (shown tab,
  rotation, geometry) goes to a small JSON file in the user state folder, then
  ``request_restart(reason)`` is called on the GUI thread. The new process reads it back
  with :func:`load_restart_state` (and deletes it); a file that is corrupt or older than
  10 min is ignored with a log line. :func:`restart_command` is the command line to
  re-execute.
"""

from __future__ import annotations

import json
import logging
import math
import os
import subprocess
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cockpit.parsing import parse_hhmm as _parse_hhmm

if TYPE_CHECKING:
    from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

APP_NAME = "industry-brain-cockpit"
STATE_FILE = "restart-state.json"
STATE_VERSION = 1
STATE_MAX_AGE_S = 600.0
MB = 1024 * 1024


# ---- memory ---------------------------------------------------------------------------


def rss_bytes() -> int | None:
    """Resident set size of this process now (Linux), else its peak (``resource``), else None."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return int(peak if sys.platform == "darwin" else peak * 1024)  # macOS: bytes, others: KiB
    except (ImportError, OSError, ValueError):
        return None


@dataclass
class HourBucket:
    hour: int  # hours since the watch started
    min_mb: float
    max_mb: float
    last_mb: float
    samples: int = 1


class MemoryWatch:
    """Hourly RSS series and the "keeps growing" verdict; see the module docstring."""

    def __init__(self, *, growth_mb: float = 150.0, growth_hours: int = 6, max_rss_mb: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if growth_hours < 2:
            raise ValueError("growth_hours must be at least 2")
        self.growth_mb = growth_mb
        self.growth_hours = growth_hours
        self.max_rss_mb = max_rss_mb
        self.clock = clock
        self.t0 = clock()
        self.hours: deque[HourBucket] = deque(maxlen=growth_hours + 1)  # complete ones + the current
        self.last_mb: float | None = None
        self._over = 0  # samples in a row above max_rss_mb
        self._warned_hour = -1

    def add(self, rss: int | float | None) -> None:
        """One sample (bytes)."""
        if rss is None:
            return
        mb = rss / MB
        hour = int((self.clock() - self.t0) // 3600)
        cur = self.hours[-1] if self.hours else None
        if cur is None or cur.hour != hour:
            self.hours.append(HourBucket(hour, mb, mb, mb))
        else:
            cur.min_mb, cur.max_mb, cur.last_mb = min(cur.min_mb, mb), max(cur.max_mb, mb), mb
            cur.samples += 1
        self.last_mb = mb
        self._over = self._over + 1 if self.max_rss_mb is not None and mb > self.max_rss_mb else 0
        if self.growing() and hour != self._warned_hour:
            self._warned_hour = hour
            log.warning("memory keeps growing: RSS %.0f MB, +%.0f MB over %d h (hourly minima %s MB)",
                        mb, self.growth(), self.growth_hours,
                        ", ".join(f"{m:.0f}" for m in self._minima()))

    def _minima(self) -> list[float]:
        """Hourly minima of the last ``growth_hours`` complete, consecutive hours."""
        done = list(self.hours)[:-1][-self.growth_hours:]
        if len(done) < self.growth_hours or done[-1].hour - done[0].hour != self.growth_hours - 1:
            return []
        return [b.min_mb for b in done]

    def growth(self) -> float:
        m = self._minima()
        return m[-1] - m[0] if m else 0.0

    def growing(self) -> bool:
        m = self._minima()
        return bool(m) and all(b > a for a, b in zip(m, m[1:], strict=False)) and m[-1] - m[0] > self.growth_mb

    def over_limit(self) -> bool:
        """Above ``max_rss_mb`` for two samples in a row (one spike is not enough)."""
        return self._over >= 2

    def status(self) -> dict[str, Any]:
        return {
            "rss_mb": None if self.last_mb is None else round(self.last_mb, 1),
            "hourly_min_mb": [round(b.min_mb, 1) for b in self.hours],
            "growing": self.growing(),
            "growth_mb": round(self.growth(), 1),
            "growth_hours": self.growth_hours,
            "max_rss_mb": self.max_rss_mb,
        }


# ---- UI stall -------------------------------------------------------------------------


class StallDetector:
    """Heartbeat of the GUI thread, checked from a daemon thread."""

    def __init__(self, stall_s: float = 10.0, *, thread_id: int | None = None, check_s: float | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 on_stall: Callable[[float, str], None] | None = None,
                 on_recover: Callable[[float], None] | None = None) -> None:
        if not stall_s > 0:
            raise ValueError("stall_s must be more than 0")
        self.stall_s = stall_s
        self.thread_id = thread_id if thread_id is not None else threading.get_ident()
        self.check_s = check_s if check_s is not None else min(1.0, stall_s / 4)
        self.clock = clock
        self.on_stall = on_stall
        self.on_recover = on_recover
        self.last_beat = clock()
        self.stalled = False
        self.stalls = 0
        self.last_stall_s: float | None = None
        self.last_stack = ""
        self._stall_beat = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def beat(self) -> None:
        self.last_beat = self.clock()

    def age(self) -> float:
        return self.clock() - self.last_beat

    def check(self) -> str | None:
        """One look at the heartbeat: "stalled" (just now), "recovered", or None."""
        beat = self.last_beat
        age = self.clock() - beat
        if not self.stalled and age > self.stall_s:
            self.stalled, self._stall_beat = True, beat
            self.stalls += 1
            self.last_stack = self._stack()
            log.error("UI thread stalled: no heartbeat for %.1f s; the GUI thread is in:\n%s", age,
                      self.last_stack)
            if self.on_stall is not None:
                self.on_stall(age, self.last_stack)
            return "stalled"
        if self.stalled and beat != self._stall_beat:
            self.stalled = False
            self.last_stall_s = beat - self._stall_beat
            log.warning("UI thread responsive again after a %.1f s stall", self.last_stall_s)
            if self.on_recover is not None:
                self.on_recover(self.last_stall_s)
            return "recovered"
        return None

    def _stack(self) -> str:
        frame = sys._current_frames().get(self.thread_id)
        if frame is None:
            return "(the GUI thread is gone)"
        return "".join(traceback.format_stack(frame)).rstrip()

    def start(self) -> None:
        if self._thread is not None:
            return
        self.beat()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="cockpit-watchdog", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.check_s):
            try:
                self.check()
            except Exception:  # the watchdog must outlive whatever it watches
                log.exception("watchdog check failed")


# ---- daily restart --------------------------------------------------------------------


def parse_hhmm(text: str) -> tuple[int, int]:
    """The restart time: :func:`cockpit.parsing.parse_hhmm`, said as the restart time."""
    try:
        return _parse_hhmm(text)
    except ValueError as exc:
        raise ValueError(f"restart time {exc}") from None


class DailyRestart:
    """Once a day at ``at`` (local time), see the module docstring."""

    def __init__(self, at: str = "04:00", *, now: Callable[[], datetime] = datetime.now,
                 clock: Callable[[], float] = time.monotonic, min_uptime_s: float = 3600.0,
                 grace_s: float = 1800.0) -> None:
        self.hour, self.minute = parse_hhmm(at)
        self.at = f"{self.hour:02d}:{self.minute:02d}"
        self.now = now
        self.clock = clock
        self.started = clock()
        self.min_uptime_s = min_uptime_s
        self.grace_s = grace_s
        self.next_at = self._after(now())

    def _after(self, t: datetime) -> datetime:
        """The first restart time strictly after ``t``."""
        at = t.replace(hour=self.hour, minute=self.minute, second=0, microsecond=0)
        return at if at > t else at + timedelta(days=1)

    def due(self) -> bool:
        """True once when the hour has come (then the next one is tomorrow's)."""
        t = self.now()
        if t < self.next_at:
            if self.next_at - t > timedelta(days=1, hours=1):  # the clock went back a lot
                self.next_at = self._after(t)
            return False
        late = (t - self.next_at).total_seconds()
        young = self.clock() - self.started < self.min_uptime_s
        self.next_at = self._after(t)
        if young:
            log.info("daily restart at %s skipped: the process started less than %.0f min ago",
                     self.at, self.min_uptime_s / 60)
            return False
        if late > self.grace_s:
            log.info("daily restart at %s skipped: missed by %.0f min (asleep or stuck)", self.at, late / 60)
            return False
        return True


# ---- restart state file ---------------------------------------------------------------


def restart_state_path() -> Path:
    """``<user state folder>/restart-state.json`` (``~/.local/state/industry-brain-cockpit`` on Linux)."""
    import platformdirs

    return platformdirs.user_state_path(APP_NAME) / STATE_FILE


def save_restart_state(state: dict[str, Any], reason: str, path: Path | None = None,
                       now: Callable[[], float] = time.time) -> Path:
    """Write the state for the next process (atomically: a crash leaves the old file or none)."""
    path = path or restart_state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": STATE_VERSION, "written_at": now(), "reason": reason, "pid": os.getpid(), "state": state}
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    os.replace(tmp, path)
    return path


def load_restart_state(path: Path | None = None, *, max_age_s: float = STATE_MAX_AGE_S,
                       now: Callable[[], float] = time.time) -> dict[str, Any] | None:
    """The state an earlier process saved before its restart, or None; the file is deleted
    (it is used once). Corrupt, of another version or older than ``max_age_s``: ignored,
    with a log line."""
    path = path or restart_state_path()
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("restart state %s not read: %s", path, exc)
        return None
    finally:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("restart state %s not deleted: %s", path, exc)
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise ValueError(f"not a version {STATE_VERSION} state file")
        written = float(data["written_at"])
        state = data["state"]
        if not isinstance(state, dict) or not math.isfinite(written):
            raise ValueError("no state in it")
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("restart state %s ignored: corrupt (%s)", path, exc)
        return None
    age = now() - written
    if age > max_age_s or age < -60:
        log.warning("restart state %s ignored: written %.0f s ago (used only within %.0f s)", path, age, max_age_s)
        return None
    log.info("restart state of the previous process (%s) restored", data.get("reason", "?"))
    return state


def restart_command(argv: Sequence[str] | None = None, *, frozen: bool | None = None,
                    main_module: str | None = "") -> list[str]:
    """The command line that starts this program again with the same arguments.

    ``argv`` as ``sys.argv`` (default). Under PyInstaller (``sys.frozen``): the executable
    and ``argv[1:]``. Otherwise this interpreter (with its -X/-W/-O flags), then
    ``-m <package>`` when started with ``python -m`` (``main_module``, default
    ``__main__.__spec__.name``), else the script ``argv[0]``, then ``argv[1:]``.
    """
    argv = list(sys.argv if argv is None else argv)
    if frozen is None:
        frozen = bool(getattr(sys, "frozen", False))
    if frozen:
        return [sys.executable, *argv[1:]]
    if main_module == "":
        spec = getattr(sys.modules.get("__main__"), "__spec__", None)
        main_module = spec.name if spec is not None else None
    try:
        flags = subprocess._args_from_interpreter_flags()  # type: ignore[attr-defined]
    except Exception:
        flags = []
    if main_module:
        package = main_module.removesuffix(".__main__")
        return [sys.executable, *flags, "-m", package, *argv[1:]]
    return [sys.executable, *flags, *argv]


# ---- the watchdog ---------------------------------------------------------------------


class Watchdog:
    """UI stall, memory and daily restart in one; the GUI thread calls :meth:`beat` every
    second (see :func:`install`), :meth:`start` starts the stall thread.

    ``state_provider() -> dict``: what to keep over a restart (called on the GUI thread).
    ``request_restart(reason)``: called once, on the GUI thread, after the state file is
    written; reason "scheduled" or "memory". Without it a restart is only logged.
    """

    def __init__(self, *, stall_s: float = 10.0, check_s: float | None = None,
                 max_rss_mb: float | None = None, growth_mb: float = 150.0, growth_hours: int = 6,
                 sample_s: float = 60.0, restart_at: str | None = None,
                 state_provider: Callable[[], dict[str, Any]] | None = None,
                 request_restart: Callable[[str], None] | None = None, state_path: Path | None = None,
                 clock: Callable[[], float] = time.monotonic, now: Callable[[], datetime] = datetime.now,
                 wall_time: Callable[[], float] = time.time,
                 read_rss: Callable[[], int | None] = rss_bytes) -> None:
        self.stall = StallDetector(stall_s, check_s=check_s)
        self.memory = MemoryWatch(growth_mb=growth_mb, growth_hours=growth_hours, max_rss_mb=max_rss_mb,
                                  clock=clock)
        self.daily = DailyRestart(restart_at, now=now, clock=clock) if restart_at else None
        self.sample_s = sample_s
        self.state_provider = state_provider
        self.request_restart = request_restart
        self.state_path = state_path
        self.clock = clock
        self.wall_time = wall_time
        self.read_rss = read_rss
        self.restart_reason: str | None = None
        self._next_sample = clock()

    def start(self) -> None:
        self.stall.start()

    def stop(self) -> None:
        self.stall.stop()

    def beat(self) -> None:
        """Every second on the GUI thread: heartbeat, a memory sample when due, the restart hour."""
        self.stall.beat()
        t = self.clock()
        if t >= self._next_sample:
            self._next_sample = t + self.sample_s
            self.memory.add(self.read_rss())
            if self.memory.over_limit():
                log.error("RSS %.0f MB is above the %.0f MB limit: restarting", self.memory.last_mb or 0,
                          self.memory.max_rss_mb or 0)
                self.restart("memory")
        if self.daily is not None and self.daily.due():
            log.info("daily restart at %s", self.daily.at)
            self.restart("scheduled")

    def restart(self, reason: str) -> None:
        """Save the state and ask for a restart (once per process)."""
        if self.restart_reason is not None:
            return
        self.restart_reason = reason
        state: dict[str, Any] = {}
        if self.state_provider is not None:
            try:
                state = dict(self.state_provider())
            except Exception:
                log.exception("restart state not collected: restarting without it")
        try:
            path = save_restart_state(state, reason, self.state_path, now=self.wall_time)
            log.info("restart state written to %s", path)
        except (OSError, TypeError, ValueError) as exc:
            log.error("restart state not written (%s): restarting without it", exc)
        if self.request_restart is None:
            log.warning("restart (%s) wanted, but nobody can restart this process", reason)
            return
        self.request_restart(reason)

    def status(self) -> dict[str, Any]:
        """For a diagnostics overlay."""
        return {
            "ui": {"stalled": self.stall.stalled, "stalls": self.stall.stalls,
                   "last_stall_s": self.stall.last_stall_s, "heartbeat_age_s": round(self.stall.age(), 1)},
            "memory": self.memory.status(),
            "restart": {"at": self.daily.at if self.daily else None,
                        "next": self.daily.next_at.isoformat(timespec="minutes") if self.daily else None,
                        "requested": self.restart_reason},
        }


def install(watchdog: Watchdog, parent: QObject) -> QTimer:
    """The Qt hook: a 1 s timer on the GUI thread beating ``watchdog``, and its thread started.
    Call on the GUI thread; stop with ``watchdog.stop()`` at shutdown."""
    from PySide6.QtCore import QTimer

    timer = QTimer(parent)
    timer.setInterval(1000)
    timer.timeout.connect(watchdog.beat)
    timer.start()
    watchdog.start()
    return timer
