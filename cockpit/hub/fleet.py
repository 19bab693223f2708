"""Fleet heartbeat: each cockpit reports to the central API once a minute.

A command center runs many walls; ``GET /api/v1/displays`` on the API lists them with a
state (ok / stale / down) so an operator sees which wall is stale or dark. Each cockpit
posts a :class:`~cockpit.api.schema.DisplayHeartbeat` — its id, version, the shown tab,
the age of each brain's data on screen, memory, uptime, link state — when it starts and
then every ``period_s`` (± a little jitter, so a hundred walls started together do not
post in the same second).

A heartbeat that fails never disturbs the display: :class:`FleetReporter` catches every
error, logs each kind of failure once (not every minute; once more after it recovers),
keeps ``last_ok_ms`` / ``last_error`` for the diagnostics overlay, and never raises. The
blocking POST runs in the executor the caller owns; the heartbeat is collected on the
loop's thread (the collect callback may read the UI).

Qt-free: the app passes a ``collect`` callback that reads the window.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import re
import socket
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Executor

from cockpit import __version__
from cockpit.api.client import ApiClient, ApiError, HttpError
from cockpit.api.schema import DisplayHeartbeat, LinkName, ScreenSize
from cockpit.process import process_age_ms
from cockpit.tasks import cancel_and_wait

__all__ = ["FleetReporter", "build_heartbeat", "default_display_id", "now_ms", "rss_mb"]

log = logging.getLogger(__name__)

PERIOD_S = 60.0
JITTER = 0.1  # each wait is period × (1 ± JITTER)
_NOT_ID = re.compile(r"[^A-Za-z0-9._-]+")


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def default_display_id(screen_index: int = 0, host: str | None = None) -> str:
    """``<host name>-<screen index>``, cut to the contract's id pattern (e.g. ``cc-wall-03-0``).

    Characters not allowed in an id become ``-``; the host part is cut so the whole id
    stays within 64 characters. An empty host name gives ``display``.
    """
    name = host if host is not None else (socket.gethostname() or "")
    if not re.fullmatch(r"[\d.]+", name):  # a dotted name gives its first label; an IPv4 address stays
        name = name.split(".")[0]
    name = _NOT_ID.sub("-", name).strip("-._") or "display"
    suffix = f"-{max(0, int(screen_index))}"
    return name[: 64 - len(suffix)].rstrip("-._") + suffix


def rss_mb() -> float | None:
    """Resident memory of this process in MB (10⁶ bytes): Linux ``/proc/self/statm``;
    elsewhere the peak from ``resource`` (which is all it gives); None if neither works."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
        import sys

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6  # bytes on macOS, KiB else
    except (ImportError, OSError, ValueError):
        return None


def build_heartbeat(
    display_id: str,
    *,
    shown_tab: str | None,
    received_ms: Mapping[str, int | None],
    link: str,
    screen: tuple[int, int] | None = None,
    host: str | None = None,
    period_s: float = PERIOD_S,
    now: int | None = None,
) -> DisplayHeartbeat:
    """A heartbeat from what the window knows.

    ``received_ms``: per brain, when the data on screen arrived (local epoch ms, None:
    no data); it becomes ``data_age_s``. ``link``: the hub's link state value
    (``"live"``, ``"offline"``, ``"connecting"``; anything else counts as connecting).
    Memory and uptime are measured here; ``host`` defaults to this machine's name.
    """
    t = now_ms() if now is None else now
    ages = {b: (None if r is None else max(0.0, (t - r) / 1000)) for b, r in received_ms.items()}
    state: LinkName = link if link in ("live", "offline", "connecting") else "connecting"  # type: ignore[assignment]
    return DisplayHeartbeat(
        display_id=display_id,
        version=__version__,
        ts=t,
        shown_tab=shown_tab,
        data_age_s=ages,
        rss_mb=rss_mb(),
        uptime_s=max(0.0, process_age_ms() / 1000),
        link=state,
        period_s=period_s,
        host=(host if host is not None else socket.gethostname())[:253] or None,
        screen=ScreenSize(width=screen[0], height=screen[1]) if screen and min(screen) > 0 else None,
    )


def _kind(exc: Exception) -> str:
    """What kind of failure this is, for logging each kind once."""
    if isinstance(exc, HttpError):
        return f"HTTP {exc.status}"
    return type(exc).__name__


class FleetReporter:
    """Posts a heartbeat at start and every ``period_s``; never raises, never blocks.

    ``collect`` builds the heartbeat (on the loop's thread; see :func:`build_heartbeat`).
    ``last_ok_ms`` (local epoch ms of the last heartbeat the API took), ``last_error``
    (plain text; None after a success), ``last_error_ms``, ``last_latency_ms`` (the last
    POST's round trip, queueing for a worker included), ``sent`` and ``failed`` are for
    the diagnostics; ``on_latency(ms)`` is called after each heartbeat taken.
    """

    def __init__(
        self,
        client: ApiClient,
        executor: Executor,
        collect: Callable[[], DisplayHeartbeat],
        period_s: float = PERIOD_S,
        *,
        jitter: float = JITTER,
        on_latency: Callable[[float], None] | None = None,
    ) -> None:
        if not period_s > 0:
            raise ValueError(f"period_s must be positive, got {period_s}")
        self.client = client
        self.executor = executor
        self.collect = collect
        self.period_s = float(period_s)
        self.jitter = max(0.0, min(0.5, float(jitter)))
        self.on_latency = on_latency
        self.last_ok_ms: int | None = None
        self.last_latency_ms: float | None = None
        self.last_error: str | None = None
        self.last_error_ms: int | None = None
        self.sent = 0
        self.failed = 0
        self._task: asyncio.Task | None = None
        self._logged: set[str] = set()  # failure kinds logged since the last success

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> asyncio.Task:
        """Start reporting on the running loop (idempotent): one heartbeat now, then every period."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="fleet-heartbeat")
        return self._task

    async def stop(self) -> None:
        """Stop reporting. A POST in flight finishes on its worker thread, unawaited."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            await cancel_and_wait([task])

    def next_delay(self) -> float:
        """The wait before the next heartbeat: the period, jittered."""
        return self.period_s * random.uniform(1 - self.jitter, 1 + self.jitter)

    async def send_now(self) -> bool:
        """Collect and post one heartbeat; True if the API took it. Never raises (but a cancel)."""
        try:
            hb = self.collect()
        except Exception as exc:  # noqa: BLE001 - the display goes on whatever collect does
            self._failed(exc, "could not collect the heartbeat")
            return False
        started = time.monotonic()
        try:
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(self.executor, self.client.post_heartbeat, hb)
        except asyncio.CancelledError:
            raise
        except ApiError as exc:
            self._failed(exc, "heartbeat not taken")
            return False
        except Exception as exc:  # noqa: BLE001 - e.g. the executor shut down
            self._failed(exc, "heartbeat not sent")
            return False
        self.sent += 1
        self.last_ok_ms = now_ms()
        self.last_latency_ms = (time.monotonic() - started) * 1000
        if self.on_latency is not None:
            try:
                self.on_latency(self.last_latency_ms)
            except Exception:  # noqa: BLE001 - a diagnostics hook never stops the heartbeat
                log.debug("fleet heartbeat: on_latency failed", exc_info=True)
        if self.last_error is not None:
            log.info("fleet heartbeat: the API takes heartbeats again")
        self.last_error = None
        self._logged.clear()
        return True

    async def _run(self) -> None:
        while True:
            try:
                await self.send_now()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - never end the loop, never raise into the app
                log.exception("fleet heartbeat: unexpected error")
            await asyncio.sleep(self.next_delay())

    def _failed(self, exc: Exception, what: str) -> None:
        self.failed += 1
        self.last_error = f"{what}: {exc}" if str(exc) else f"{what}: {type(exc).__name__}"
        self.last_error_ms = now_ms()
        kind = _kind(exc)
        if kind not in self._logged:
            self._logged.add(kind)
            if isinstance(exc, ApiError):
                log.warning("fleet heartbeat: %s (logged once until it works again)", self.last_error)
            else:
                log.warning("fleet heartbeat: %s (logged once until it works again)", self.last_error,
                            exc_info=exc)
