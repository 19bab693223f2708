"""Wiring of the alarm loop into the running cockpit (called once from ``app.Cockpit.run``).

The alarm desk (``cockpit.hub.alarms.AlarmDesk``) gets the API client, its saved queue
from the offline cache and the operator's name (``alarm.operator``, else the login name);
its records go into the shared UI models; every window gets the journal command
(视图 → 告警处置台账…, Ctrl+J) and the unacknowledged-alarm badge.
"""

from __future__ import annotations

import getpass
import logging
from typing import Any

from cockpit.api.schema import Alert

log = logging.getLogger(__name__)

QUEUE_DOC = ("alarm_queue", "pending")  # where the offline cache keeps the queued actions
JOURNAL_DAYS = 7  # the journal lists the alerts the cache kept this far back


def operator_name(setting: str) -> str:
    if setting.strip():
        return setting.strip()[:64]
    try:
        return getpass.getuser()[:64] or "operator"
    except (KeyError, OSError):  # no user name in this environment
        return "operator"


async def start_alarm_loop(c: Any) -> None:
    from cockpit.hub.alarms import AlarmDesk
    from cockpit.hub.hub import now_ms
    from cockpit.ui.alarm_badge import AlarmBadge

    models, cache = c.models, c.cache

    async def save(text: str) -> None:
        if cache is not None:
            await cache.save_document(*QUEUE_DOC, text, now_ms())

    alarm = c.config.alarm
    from concurrent.futures import ThreadPoolExecutor

    # its own worker: a slow API must not take the snapshot requests' workers
    desk = c.alarm_desk = AlarmDesk(c.client, ThreadPoolExecutor(1, thread_name_prefix="cockpit-alarms"),
                                    interval_s=alarm.sync_s, save=save, owns_executor=True)
    if cache is not None:
        doc = await cache.load_document(*QUEUE_DOC)
        desk.restore(doc[0] if doc else None)
        models.note_alerts(await cache.alerts(now_ms() - JOURNAL_DAYS * 86_400_000))
    desk.listeners.append(lambda: models.set_alarms(desk.records, desk.pending, desk.rejected))
    wire_push(c.hub, desk)
    if desk.pending:
        models.set_alarms(desk.records, desk.pending, desk.rejected)
    operator = operator_name(alarm.operator)
    sound = alarm.sound

    def act(alert: Alert, action: str, department: str | None, note: str | None) -> None:
        try:
            desk.act(alert, action, operator, department=department, note=note)
        except ValueError as exc:  # the queue is full: said, nothing lost silently
            log.error("alarm action not queued: %s", exc)
            for w in c.windows:
                w.statusBar().showMessage(str(exc), 10_000)

    for w in c.windows:
        journal_of = _journal_opener(w, models, act)
        w.set_command("alarm_journal", journal_of)
        # at the right end of the tab bar, beside the tabs (which are fitted into what is left)
        w.alarm_badge = AlarmBadge(w.tabs, models, w.lang, on_click=journal_of, sound=sound)
        w.set_tab_corner(w.alarm_badge)
    c.alarm_act = act
    from cockpit.ui.benefits import BenefitService

    for w in c.windows:  # 企业码 一键获取: applications go through the same queue
        w.services.benefits = BenefitService(desk, operator, c.spawn)
    desk.start()


def wire_push(hub: Any, desk: Any) -> None:
    """Alarm changes over the push stream: the desk syncs when the stream says so and polls
    only while no live stream carries them."""
    from cockpit.hub.hub import LinkState

    hub.on_change("alarms", desk.on_push)
    hub.on_status(lambda st: desk.on_link(st.state == LinkState.LIVE and st.mode == "stream"))


def _journal_opener(window: Any, models: Any, act: Any):
    def open_journal() -> None:
        from PySide6.QtCore import Qt

        from cockpit.ui.alarm_journal import AlarmJournal

        dlg = getattr(window, "alarm_journal", None)
        if dlg is None or dlg.lang != window.lang:
            names = {b.id: b.name.pick(window.lang) for b in (window._brains or [])}
            dlg = window.alarm_journal = AlarmJournal(models, window.lang, act, brain_names=names, parent=window,
                                                      open_alert=lambda a: _open_alert(window, a))
            dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        dlg.refresh()
        dlg.show()
        dlg.raise_()

    return open_journal


def _open_alert(window: Any, alert: Any) -> None:
    """An alarm of the journal where it happened: its enterprise's 企业码 profile (drill-down)
    on its brain's tab, else that tab; the main window comes to the front."""
    window.show_brain(alert.brain)
    if alert.enterprise:
        window.drill.open_key(alert.enterprise)
    window.raise_()
    window.activateWindow()
