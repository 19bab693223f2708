"""The alarm loop, client side: actions queued until the central API has them, states synced.

one stream's word (``event: change``, topic ``alarms``, on the push stream: :meth:`AlarmDesk.on_push`),
:class:`AlarmDesk` keeps the alarms' handling records (``GET /api/v1/alarms?since_version=``
when the push stream says something changed; every ``interval_s`` only while no stream
carries the topic: the poll is the fallback) and a queue of the operator's
actions (确认 / 派单 / 办结). An action is queued first and saved (``save``: the offline
cache), then sent; it leaves the queue only when the API answered it. Offline, it waits
and is shown as pending; when the link returns it is sent, oldest first. Each action
carries a request id made when it was queued, so sending it again after a lost answer
or a restart changes nothing on the server: never lost, never applied twice. An action
the API refuses (someone else closed the alarm meanwhile: 409; a bad body: 400) leaves
the queue and is reported in :attr:`AlarmDesk.rejected`.

Qt-free; the HTTP calls run on the executor.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Callable, Coroutine
from concurrent.futures import Executor
from dataclasses import dataclass
from urllib.parse import quote

from pydantic import ValidationError

from cockpit.api.alarms import AlarmAction, AlarmList, AlarmRecord
from cockpit.api.benefits import BenefitApplication, BenefitApplications, BenefitApply
from cockpit.api.client import ApiClient, ApiError, HttpError, Unreachable
from cockpit.api.schema import Alert
from cockpit.hub.hub import now_ms
from cockpit.tasks import cancel_and_wait

log = logging.getLogger(__name__)

MAX_QUEUE = 1000  # actions kept while offline (a duty shift's worth many times over)
MAX_REJECTED = 50


@dataclass(frozen=True)
class PendingAction:
    """An action queued for the API (what the journal shows as 待发送)."""

    alert_id: str  # for "apply": "<credit code>/<benefit id>"
    action: str  # ack / assign / close; apply (a 企业码 benefit application, same queue)
    body: AlarmAction | BenefitApply
    queued_ms: int

    def to_json(self) -> dict:
        return {"alert_id": self.alert_id, "action": self.action, "queued_ms": self.queued_ms,
                "body": json.loads(self.body.model_dump_json())}

    @classmethod
    def from_json(cls, d: dict) -> PendingAction:
        body: AlarmAction | BenefitApply = (BenefitApply if d["action"] == "apply" else AlarmAction) \
            .model_validate(d["body"])
        return cls(str(d["alert_id"]), str(d["action"]), body, int(d["queued_ms"]))


def send_action(client: ApiClient, p: PendingAction) -> AlarmRecord | BenefitApplication:
    """POST one action (blocking; on a worker thread)."""
    if p.action == "apply":
        code, _, benefit = p.alert_id.partition("/")
        resp = client._post(f"/enterprises/{quote(code, safe='')}/benefits/{quote(benefit, safe='')}/apply",
                            p.body.model_dump_json().encode())
        return ApiClient._parse(resp, BenefitApplication)
    resp = client._post(f"/alerts/{quote(p.alert_id, safe='')}/{p.action}", p.body.model_dump_json().encode())
    return ApiClient._parse(resp, AlarmRecord)


def fetch_applications(client: ApiClient, code: str) -> BenefitApplications:
    """GET the state of every benefit an enterprise applied for (blocking; a worker thread)."""
    return client._get_model(f"/enterprises/{quote(code, safe='')}/benefits", BenefitApplications)


def fetch_alarms(client: ApiClient, since_version: int) -> AlarmList:
    """GET the records changed after a version (blocking; on a worker thread)."""
    return client._get_model("/alarms", AlarmList, params=[("since_version", since_version)])


class AlarmDesk:
    """Records and the action queue; see the module docstring."""

    def __init__(self, client: ApiClient, executor: Executor, *, interval_s: float = 2.0,
                 save: Callable[[str], Coroutine[object, object, None]] | None = None,
                 clock: Callable[[], int] = now_ms, owns_executor: bool = False) -> None:
        self.client = client
        self.executor = executor
        self.owns_executor = owns_executor  # stop() shuts it down (the app gives the desk its own)
        self.interval_s = interval_s
        self._save = save
        self._clock = clock
        self.version = 0
        self.records: dict[str, AlarmRecord] = {}
        self.applications: dict[str, BenefitApplication] = {}  # "<code>/<benefit id>" -> its state
        self.pending: list[PendingAction] = []
        self.rejected: list[tuple[PendingAction, str]] = []
        self.last_error: str = ""
        self.listeners: list[Callable[[], None]] = []
        # the push stream carries the topic "alarms" (it said so when it opened): no polling
        self.pushed = False
        self.polls = 0  # syncs the poll timer made (not a push, not an action)
        self.pushes = 0  # change notices heard on the stream
        self._kick = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._saving: set[asyncio.Task] = set()

    # ---- the queue -------------------------------------------------------------------

    def restore(self, text: str | None) -> None:
        """The queue saved before a restart (JSON); a damaged entry is logged and dropped."""
        if not text:
            return
        try:
            items = json.loads(text)
        except ValueError:
            log.error("saved alarm actions unreadable: dropped")
            return
        for d in items if isinstance(items, list) else []:
            try:
                p = PendingAction.from_json(d)
            except (KeyError, TypeError, ValueError, ValidationError) as exc:
                log.error("a saved alarm action is damaged and dropped: %s", exc)
                continue
            if all(q.body.request_id != p.body.request_id for q in self.pending):
                self.pending.append(p)

    def act(self, alert: Alert, action: str, operator: str, *, department: str | None = None,
            note: str | None = None) -> PendingAction:
        """Queue an action (ack/assign/close) and send it at once if the link is up."""
        if action not in ("ack", "assign", "close"):
            raise ValueError(f"unknown alarm action {action!r}")
        body = AlarmAction(request_id=uuid.uuid4().hex, operator=operator, brain=alert.brain,
                           department=department or None, note=note or None, alert=alert)
        p = PendingAction(alert.id, action, body, self._clock())
        if len(self.pending) >= MAX_QUEUE:
            raise ValueError(f"{MAX_QUEUE} alarm actions are waiting to be sent already")
        self.pending.append(p)
        self._changed()
        self._kick.set()
        return p

    def apply_benefit(self, code: str, benefit_id: str, operator: str) -> PendingAction | None:
        """Queue a 企业码 benefit application (一键获取), sent like an alarm action: saved first,
        sent when the link allows, once (its request id). None when one is queued or known."""
        key = f"{code}/{benefit_id}"
        if key in self.applications or self.pending_for(key):
            return None
        if len(self.pending) >= MAX_QUEUE:
            raise ValueError(f"{MAX_QUEUE} actions are waiting to be sent already")
        p = PendingAction(key, "apply", BenefitApply(request_id=uuid.uuid4().hex, operator=operator), self._clock())
        self.pending.append(p)
        self._changed()
        self._kick.set()
        return p

    async def load_applications(self, code: str) -> None:
        """The state of every benefit ``code`` applied for (the profile asks when shown)."""
        loop = asyncio.get_running_loop()
        try:
            listing = await loop.run_in_executor(self.executor, fetch_applications, self.client, code)
        except ApiError as exc:
            self.last_error = str(exc)
            return
        except RuntimeError:  # the desk stopped (the app quits): nothing to ask any more
            return
        changed = False
        for a in listing.applications:
            key = f"{a.code}/{a.benefit_id}"
            if self.applications.get(key) != a:
                self.applications[key] = a
                changed = True
        if changed:
            self._changed()

    def pending_for(self, alert_id: str) -> list[PendingAction]:
        return [p for p in self.pending if p.alert_id == alert_id]

    def state_of(self, alert_id: str) -> str:
        """The state as this desk will have it: the last pending action's, else the record's."""
        mine = self.pending_for(alert_id)
        if mine:
            return {"ack": "acknowledged", "assign": "assigned", "close": "closed"}[mine[-1].action]
        rec = self.records.get(alert_id)
        return rec.state if rec is not None else "new"

    # ---- the loop --------------------------------------------------------------------

    def start(self) -> asyncio.Task:
        self._task = asyncio.get_running_loop().create_task(self.run(), name="alarms")
        return self._task

    async def stop(self) -> None:
        """End the loop; shut the executor down if it is the desk's own (``owns_executor``)."""
        await cancel_and_wait([self._task])
        shutdown = getattr(self.executor, "shutdown", None)
        if self.owns_executor and callable(shutdown):
            await asyncio.get_running_loop().run_in_executor(None, lambda: shutdown(wait=True, cancel_futures=True))

    # ---- the push stream ------------------------------------------------------------

    def on_push(self, data: dict) -> None:
        """``event: change`` of topic ``alarms`` (from ``Hub.on_change``): a stream carrying
        the topic opened (``subscribed``: sync once for what was missed, then stop polling),
        or another desk changed an alarm (sync now)."""
        if data.get("subscribed"):
            self.pushed = True
        else:
            self.pushes += 1
        self._kick.set()

    def on_link(self, streaming: bool) -> None:
        """The hub's link: without a live push stream the desk polls again (the fallback)."""
        if not streaming and self.pushed:
            self.pushed = False
            self._kick.set()

    async def run(self) -> None:
        while True:
            self._kick.clear()  # before the sync: an action or a push during it wakes the next one
            await self.sync_once()
            try:
                # with the push stream up, only a push or an action wakes the desk
                await asyncio.wait_for(self._kick.wait(), None if self.pushed else self.interval_s)
            except TimeoutError:
                self.polls += 1

    async def sync_once(self) -> None:
        """Send what is queued (oldest first), then fetch what changed."""
        loop = asyncio.get_running_loop()
        changed = False
        while self.pending:
            p = self.pending[0]
            try:
                rec = await loop.run_in_executor(self.executor, send_action, self.client, p)
            except Unreachable as exc:
                self.last_error = str(exc)
                break  # offline: it stays queued, shown as pending
            except HttpError as exc:
                if exc.status in (408, 429) or exc.status >= 500:
                    self.last_error = str(exc)
                    break  # the server cannot now: later
                self.pending.pop(0)
                self.rejected.append((p, str(exc)))
                del self.rejected[:-MAX_REJECTED]
                log.warning("alarm action %s on %s refused: %s", p.action, p.alert_id, exc)
                changed = True
                continue
            except ApiError as exc:  # an answer that does not fit: the action arrived; stop resending it
                self.pending.pop(0)
                self.rejected.append((p, str(exc)))
                changed = True
                continue
            self.pending.pop(0)
            if isinstance(rec, BenefitApplication):
                self.applications[p.alert_id] = rec
            else:
                self._take(rec)
            changed = True
        try:
            listing = await loop.run_in_executor(self.executor, fetch_alarms, self.client, self.version)
        except ApiError as exc:
            self.last_error = str(exc)
        else:
            self.last_error = ""
            if listing.version < self.version:  # the server's store was reset: start over
                self.version = 0
                self.records.clear()
                changed = True
            for rec in listing.alarms:
                changed = self._take(rec) or changed
            self.version = max(self.version, listing.version)
        if changed:
            self._changed()

    def _take(self, rec: AlarmRecord) -> bool:
        old = self.records.get(rec.alert_id)
        if old is not None and old.version >= rec.version:
            return False
        self.records[rec.alert_id] = rec
        return True

    def _changed(self) -> None:
        if self._save is not None:
            text = json.dumps([p.to_json() for p in self.pending], ensure_ascii=False)
            try:
                task = asyncio.get_running_loop().create_task(self._save(text))
                self._saving.add(task)
                task.add_done_callback(self._saving.discard)
            except RuntimeError:  # no loop (a test without one): nothing to save into
                pass
        for fn in list(self.listeners):
            fn()
