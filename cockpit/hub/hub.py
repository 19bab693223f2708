"""The data hub: fetches from the central API and publishes updates to subscribers.

Runs on the asyncio loop (the Qt loop under qasync in the app, a plain loop in tests).
Blocking HTTP runs in an executor the caller owns. The hub knows no Qt: the UI
subscribes with plain callbacks, which are called on the loop's thread.

State machine, per hub: CONNECTING → LIVE ⇄ OFFLINE; a payload that breaks the contract
is reported per brain (the other brains stay live) and never replaces good data.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import random
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from cockpit.api.client import FUTURE_TOLERANCE_MS, ApiClient, ApiError, ContractError, HttpError, Unreachable
from cockpit.api.schema import (
    Catalog,
    Heartbeat,
    SeriesResponse,
    Snapshot,
    StreamAlerts,
    StreamChange,
    StreamDelta,
    StreamPanels,
)
from cockpit.api.stream import EventStream, StreamEvent, StreamUnavailable
from cockpit.api.tolerant import Problem
from cockpit.tasks import cancel_and_wait

log = logging.getLogger(__name__)

T = TypeVar("T")

POLL_PHASE_S = 0.05  # poll this long after each second boundary


class LinkState(enum.Enum):
    CONNECTING = "connecting"
    LIVE = "live"
    OFFLINE = "offline"


@dataclass(frozen=True)
class HubStatus:
    """What the status bar shows: link state, why, and when data last arrived."""

    state: LinkState
    reason: str = ""  # plain text: why offline / what was wrong
    mode: str = "stream"  # how updates arrive: "stream" (push, SSE) or "poll" (conditional GETs)
    last_update_ms: int | None = field(default=None, compare=False)  # local clock of the last good answer
    errors: dict[str, str] = field(default_factory=dict)  # brain id -> contract/http problem
    # brain id -> the parts of its data left out or blanked (part -> problem): the rest shows
    problems: dict[str, dict[str, Problem]] = field(default_factory=dict)


@dataclass(frozen=True)
class BrainUpdate:
    """A new snapshot of one brain, with the local time it was received."""

    brain: str
    snapshot: Snapshot
    received_ms: int
    problems: dict[str, Problem] = field(default_factory=dict)  # part -> what was wrong with it


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def implausible_times(snap: Snapshot, received_ms: int) -> str:
    """Why a snapshot as a whole cannot be right ("" if it can): a snapshot from the
    future of this machine's clock. Its age would be negative and never look stale."""
    if snap.ts > received_ms + FUTURE_TOLERANCE_MS:
        return f"snapshot time {snap.ts} is {(snap.ts - received_ms) / 60000:.0f} min in the future"
    return ""


def drop_implausible(snap: Snapshot, received_ms: int) -> tuple[Snapshot, list[Problem]]:
    """The snapshot without the parts whose times lie in the future (of the snapshot, for
    a reading; of this machine's clock for panels and alerts): each left out is a problem."""
    limit = received_ms + FUTURE_TOLERANCE_MS
    problems: list[Problem] = []
    values = {}
    for mid, r in snap.values.items():
        if r.ts > min(limit, snap.ts + FUTURE_TOLERANCE_MS):
            problems.append(Problem(f"metric:{mid}", "future", "ts"))
        else:
            values[mid] = r
    panels = {}
    for pid, p in snap.panels.items():
        if p.ts > limit:
            problems.append(Problem(f"panel:{pid}", "future", "ts"))
        else:
            panels[pid] = p
    alerts = []
    for i, a in enumerate(snap.alerts):
        if a.ts > limit:
            problems.append(Problem(f"alert:{i}", "future", "ts"))
        else:
            alerts.append(a)
    if not problems:
        return snap, problems
    return snap.model_copy(update={"values": values, "panels": panels, "alerts": alerts}), problems


class Hub:
    """Polls the catalog and every brain's snapshot; publishes changes only."""

    def __init__(
        self,
        client: ApiClient,
        executor: Executor,
        poll_interval_s: float = 1.0,
        max_backoff_s: float = 30.0,
        brains: list[str] | None = None,
        use_stream: bool = True,
        heartbeat_timeout_s: float = 8.0,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        """``clock`` (epoch seconds), ``sleep`` and ``rng`` are the hub's only sources of
        time and chance: a test gives its own and asserts on what the hub did, not on how
        long it took."""
        self.clock = clock
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.client = client
        self.executor = executor
        self.poll_interval_s = poll_interval_s
        self.max_backoff_s = max_backoff_s
        self.only_brains = brains
        self.use_stream = use_stream
        self.heartbeat_timeout_s = heartbeat_timeout_s
        self._mode = "stream" if use_stream else "poll"
        self._stream: EventStream | None = None
        self._stream_events = 0
        self.catalog: Catalog | None = None
        self.snapshots: dict[str, Snapshot] = {}
        self.status = HubStatus(LinkState.CONNECTING)
        self._etags: dict[str, str | None] = {}
        self._errors: dict[str, str] = {}
        self._problems: dict[str, dict[str, Problem]] = {}  # brain -> part -> problem
        self._catalog_subs: list[Callable[[Catalog], None]] = []
        self._update_subs: list[Callable[[BrainUpdate], None]] = []
        self._status_subs: list[Callable[[HubStatus], None]] = []
        self._change_subs: dict[str, list[Callable[[dict], None]]] = {}  # topic -> listeners
        self._task: asyncio.Task | None = None
        self._down: dict[str, str] = {}  # brain id -> why its last poll got no answer
        self._last_update_ms: int | None = None

    # ---- subscriptions ----------------------------------------------------------

    def on_catalog(self, cb: Callable[[Catalog], None]) -> None:
        self._catalog_subs.append(cb)

    def on_update(self, cb: Callable[[BrainUpdate], None]) -> None:
        self._update_subs.append(cb)

    def on_status(self, cb: Callable[[HubStatus], None]) -> None:
        self._status_subs.append(cb)

    def on_change(self, topic: str, cb: Callable[[dict], None]) -> None:
        """Hear ``event: change`` of ``topic`` on the push stream (its ``data``; ``{"subscribed":
        true}`` when a stream carrying the topic opened). A stream already open without the
        topic is reopened with it (resuming where it was)."""
        new = topic not in self._change_subs
        self._change_subs.setdefault(topic, []).append(cb)
        if new and self._stream is not None:
            self._stream.close()

    @property
    def change_topics(self) -> list[str]:
        return sorted(self._change_subs)

    # ---- lifecycle --------------------------------------------------------------

    def start(self) -> asyncio.Task:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self.run(), name="hub")
        return self._task

    async def stop(self) -> None:
        if self._stream is not None:
            self._stream.close()  # ends the worker thread blocked on the socket
        await cancel_and_wait([self._task])
        self._task = None

    async def run(self) -> None:
        """Fetch the catalog (retrying with backoff), then poll every brain in its own loop.

        One loop per brain: a brain whose answers are slow or failing never holds up the
        others; the link is OFFLINE only when every brain is unreachable.
        """
        failures = 0
        while self.catalog is None:
            try:
                await self._load_catalog()
            except ContractError as exc:
                log.error("catalog rejected: %s", exc)
                failures += 1
                self._set_status(LinkState.OFFLINE, str(exc))  # "Catalog does not fit the contract: …"
            except ApiError as exc:
                failures += 1
                self._set_status(LinkState.OFFLINE, str(exc))
            except Exception:  # never let the hub die: log and keep going
                log.exception("catalog load failed")
                failures += 1
                self._set_status(LinkState.OFFLINE, "internal error (see log)")
            if self.catalog is None:
                await self.sleep(self._backoff(failures))
        ids = [b.id for b in self.catalog.brains]
        if not ids:
            self._set_status(LinkState.LIVE, "")
            await asyncio.Event().wait()  # nothing to poll; wait to be cancelled
        if self.use_stream:
            await self._stream_loop(ids)  # returns only when the server has no stream
        self._mode = "poll"
        await asyncio.gather(*(self._brain_loop(b, len(ids)) for b in ids))

    async def fetch_series(self, metrics: list[str], since_ms: int, until_ms: int, step_s: int) -> SeriesResponse:
        """History of metrics; raises ApiError subclasses on failure."""
        return await self._call(self.client.series, metrics, since_ms, until_ms, step_s)

    # ---- internals --------------------------------------------------------------

    async def fetch(self, method: str, *args: Any) -> Any:
        """One on-demand request of the client (``chain``, ``enterprises``, ``enterprise``,
        ``batch``) on the thread pool; raises the client's errors."""
        return await self._call(getattr(self.client, method), *args)

    async def _call(self, fn: Callable[..., T], *args: object) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, fn, *args)

    async def _load_catalog(self) -> None:
        catalog = await self._call(self.client.catalog)
        if self.only_brains is not None:
            wanted = set(self.only_brains)
            catalog = catalog.model_copy(update={"brains": [b for b in catalog.brains if b.id in wanted]})
        self.catalog = catalog
        for cb in self._catalog_subs:
            cb(catalog)

    # ---- push stream --------------------------------------------------------------

    async def _stream_loop(self, ids: list[str]) -> None:
        """Follow the push stream, resuming with the last event id after a cut.

        Returns when the server has no stream (404/405/501): the caller then polls.
        """
        loop = asyncio.get_running_loop()
        failures = 0
        last_id: str | None = None
        while True:
            stream = EventStream(self.client.config, ids, last_event_id=last_id,
                                 heartbeat_timeout_s=self.heartbeat_timeout_s, changes=self.change_topics)
            self._stream = stream
            self._stream_events = 0
            reason: str | None = None
            try:
                await loop.run_in_executor(self.executor, self._pump, stream, loop)
            except StreamUnavailable as exc:
                log.info("no push stream (%s): polling with conditional requests", exc)
                return
            except ApiError as exc:
                reason = str(exc)
            except asyncio.CancelledError:
                stream.close()
                raise
            finally:
                last_id = stream.last_event_id or last_id
                self._stream = None
            # backoff grows only while attempts bring nothing; a stream that ended cleanly
            # (server restart) is reopened at once and is not "offline" unless that fails
            failures = 0 if self._stream_events else failures + 1
            # a stream cut after it delivered is reopened at once and only counts as offline
            # if that fails; silence (the heartbeat timeout) already took seconds: offline now
            cut_while_fine = self._stream_events > 0 and not (reason or "").startswith("stream silent")
            if reason is not None and not cut_while_fine:
                self._down = dict.fromkeys(ids, reason)
                if self.status.state != LinkState.OFFLINE:
                    log.warning("offline: %s", reason)
                self._set_status(LinkState.OFFLINE, reason)
            await self.sleep(self._backoff(failures) if failures else 0.2)

    def _pump(self, stream: EventStream, loop: asyncio.AbstractEventLoop) -> None:
        """Worker thread: hand every event of the stream to the loop."""
        def rejected(brain: str | None, why: str) -> None:
            loop.call_soon_threadsafe(self._stream_reject, brain, why)

        stream.on_reject = rejected
        for ev in stream.events():
            loop.call_soon_threadsafe(self._on_event, ev)

    def _on_event(self, ev: StreamEvent) -> None:
        """Loop thread: merge one stream event into the brain's snapshot and publish it.

        Idempotent: an event that repeats or predates what is already merged changes
        nothing (a reading is only replaced by a newer one). Parts of an event that broke
        the contract (``ev.problems``) are left out and marked; the rest is merged.
        """
        self._stream_events += 1
        received = self.now_ms()
        self._last_update_ms = received
        payload = ev.payload
        if isinstance(payload, StreamChange):  # another client changed shared state
            for fn in list(self._change_subs.get(payload.topic, ())):
                try:
                    fn(dict(payload.data))
                except Exception:  # a listener's fault never stops the stream
                    log.exception("change listener of %s failed", payload.topic)
            return
        self._down.clear()
        snap: Snapshot | None = None
        problems = list(ev.problems)
        touched: set[str] = set()  # problem parts this event speaks for
        full = False
        if isinstance(payload, Snapshot):
            old = self.snapshots.get(payload.brain)
            snap = payload if old is None or payload.ts >= old.ts else None
            full = True
        elif not isinstance(payload, Heartbeat):
            old = self.snapshots.get(payload.brain)
            if old is None:  # a delta before any snapshot: cannot be merged, wait for one
                return
            if isinstance(payload, StreamDelta):
                touched = {f"metric:{k}" for k in payload.values}
                newer = {k: r for k, r in payload.values.items() if k not in old.values or r.ts > old.values[k].ts}
                if newer or problems:
                    snap = old.model_copy(update={"ts": max(old.ts, payload.ts), "values": {**old.values, **newer}})
            elif isinstance(payload, StreamPanels):
                touched = {f"panel:{k}" for k in payload.panels} | {f"cell:{k}/" for k in payload.panels}
                newer_p = {k: p for k, p in payload.panels.items() if k not in old.panels or p.ts > old.panels[k].ts}
                bad = {p.part.removeprefix("panel:") for p in problems if p.part.startswith("panel:")}
                if newer_p or bad:
                    kept = {k: p for k, p in old.panels.items() if k not in bad}  # a bad panel is blanked
                    snap = old.model_copy(update={"ts": max(old.ts, payload.ts), "panels": {**kept, **newer_p}})
            elif isinstance(payload, StreamAlerts) and payload.ts >= old.ts:
                touched = {"alerts", "alert:"}
                snap = old.model_copy(update={"ts": payload.ts, "alerts": payload.alerts})
        if snap is not None:
            problem = implausible_times(snap, received)
            if problem:
                self._reject(snap.brain, problem)
            else:
                snap, late = drop_implausible(snap, received)
                self._errors.pop(snap.brain, None)
                self._merge_problems(snap.brain, problems + late, touched, full)
                self._publish(snap, received)
        self._set_status(LinkState.LIVE, "")

    def _stream_reject(self, brain: str | None, why: str) -> None:
        """Loop thread: an event rejected whole is said (status bar, --report), as in poll mode."""
        known = {b.id for b in self.catalog.brains} if self.catalog is not None else set()
        self._reject(brain if brain in known else "stream", why)
        self._set_status(LinkState.LIVE, "")

    def _merge_problems(self, brain: str, new: list[Problem], touched: set[str], full: bool) -> None:
        """The brain's problem list after an answer: a full snapshot replaces it, an event
        clears the parts it speaks for (``touched``: parts, or prefixes ending in / or :)
        and adds its own."""
        old = {} if full else dict(self._problems.get(brain, {}))
        for part in list(old):
            if part in touched or any(t[-1] in "/:" and part.startswith(t) for t in touched):
                del old[part]
        for p in new:
            old[p.part] = p
            if p.part not in self._problems.get(brain, {}):
                log.warning("brain %s: part left out: %s", brain, p)
        if old:
            self._problems[brain] = old
        else:
            self._problems.pop(brain, None)

    def _publish(self, snap: Snapshot, received: int) -> None:
        brain = self.catalog.brain(snap.brain) if self.catalog is not None else None
        if brain is not None and brain.metrics:  # a metric the catalog does not list: an unknown key
            known = {m.id for m in brain.metrics}
            if not snap.values.keys() <= known:
                snap = snap.model_copy(update={"values": {k: r for k, r in snap.values.items() if k in known}})
        self.snapshots[snap.brain] = snap
        update = BrainUpdate(snap.brain, snap, received, dict(self._problems.get(snap.brain, {})))
        for cb in self._update_subs:
            cb(update)

    def _reject(self, brain_id: str, msg: str) -> None:
        """Keep the last good snapshot on screen; say what was wrong (logged once)."""
        if self._errors.get(brain_id) != msg:
            log.error("brain %s: payload rejected: %s", brain_id, msg)
        self._errors[brain_id] = msg
        self._etags.pop(brain_id, None)

    # ---- polling --------------------------------------------------------------------

    async def _brain_loop(self, brain_id: str, n_brains: int) -> None:
        failures = 0
        while True:
            try:
                await self._poll_brain(brain_id)
                failures = 0
                self._down.pop(brain_id, None)
            except (Unreachable, HttpError) as exc:
                failures += 1
                self._down[brain_id] = str(exc)
                self._etags.pop(brain_id, None)  # the server may restart: ask for a full snapshot
            except Exception:  # never let a brain's loop die: log and keep going
                log.exception("poll of %s failed", brain_id)
                failures += 1
                self._down[brain_id] = "internal error (see log)"
            if len(self._down) == n_brains:
                reason = next(iter(self._down.values()))
                if self.status.state != LinkState.OFFLINE:
                    log.warning("offline: %s", reason)
                self._set_status(LinkState.OFFLINE, reason)
            else:
                self._set_status(LinkState.LIVE, "")
            await self.sleep(self._aligned_delay() if failures == 0 else self._backoff(failures))

    async def _poll_brain(self, brain_id: str) -> None:
        try:
            snap, etag, problems = await self._call(self.client.snapshot_parts, brain_id, self._etags.get(brain_id))
        except ContractError as exc:
            self._reject(brain_id, str(exc))
            return
        except HttpError as exc:
            if exc.status in (404, 410, 400):
                self._errors[brain_id] = str(exc)
                return
            raise
        received = self.now_ms()
        self._last_update_ms = received
        if snap is None:  # 304: nothing changed
            self._errors.pop(brain_id, None)
            return
        problem = implausible_times(snap, received)
        if problem:
            self._reject(brain_id, problem)
            return
        snap, late = drop_implausible(snap, received)
        old = self.snapshots.get(brain_id)
        self._errors.pop(brain_id, None)
        self._etags[brain_id] = etag
        if old is not None and snap.ts < old.ts:  # older than what is shown: not a step back
            return
        self._merge_problems(brain_id, problems + late, set(), full=True)
        self._publish(snap, received)

    def _aligned_delay(self) -> float:
        """Until just after the next interval boundary of the wall clock: a 1 s source is
        then read once per new value, never twice for one and not at all for the next."""
        period = self.poll_interval_s
        delay = period - ((self.clock() - POLL_PHASE_S) % period)
        return delay if delay > period / 10 else delay + period

    def now_ms(self) -> int:
        """The hub's clock in epoch milliseconds (when an answer was received)."""
        return int(self.clock() * 1000)

    def _backoff(self, failures: int) -> float:
        """Exponential backoff with jitter (upper half), capped at ``max_backoff_s``."""
        base = min(self.max_backoff_s, self.poll_interval_s * 2 ** min(failures - 1, 16))
        return self.rng.uniform(base / 2, base)

    def _set_status(self, state: LinkState, reason: str) -> None:
        """Publish the status when it changed (the last-update time alone does not count)."""
        errors = dict(self._errors)
        if state == LinkState.LIVE:  # some brains answer: name the ones that do not
            errors.update(self._down)
        problems = {b: dict(p) for b, p in self._problems.items()}
        status = HubStatus(state, reason, self._mode, self._last_update_ms, errors, problems)
        changed = status != self.status
        self.status = status
        if not changed:
            return
        for cb in self._status_subs:
            cb(status)
