"""Screenshots of the interactive parts (the alarm loop): the real app, offscreen, with the
embedded central API. Alarms are handled through the journal (one
assigned, one closed, one left new), then the journal and the wall with its unacknowledged-alarm badge are
grabbed at 1920×1080 and 3840×2160 into docs/screenshots/alarm-*.png.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_interact_screenshots.py
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
DOCS = Path(__file__).resolve().parent


async def _until(cond, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there")
        await asyncio.sleep(0.1)


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from cockpit import qtloop
    from cockpit import settings as cfg
    from cockpit.app import Cockpit, _setup_fonts, build_parser

    app = QApplication.instance() or QApplication(sys.argv[:1])
    _setup_fonts(app)
    argv = ["--cache", "memory", "--tab", "dyeing", "--set", "alarm.operator=值班员李四"]
    parser = build_parser()
    args = parser.parse_args(argv)
    args.settings = cfg.load(cfg.given_options(parser, argv), env={})
    cfg.apply_to_args(args.settings, args)
    c = Cockpit(app, args)
    shots = DOCS / "screenshots"
    shots.mkdir(exist_ok=True)

    async def scenario() -> None:
        await _until(lambda: c.main is not None and c.alarm_desk is not None and len(c.models.seen_alerts) >= 3, 30)
        main = c.main
        main.resize(1920, 1080)
        tab = main.current_tab()
        await _until(lambda: tab.widgets_with_data() == tab.widget_count(), 20)
        alerts = sorted(c.models.seen_alerts.values(), key=lambda a: (-a.ts, a.id))
        act = c.alarm_act
        assign = next(a for a in alerts if a.level == "alarm")  # an enterprise past a limit
        close = next(a for a in alerts if a is not assign)
        act(assign, "ack", None, None)
        act(close, "ack", None, None)
        await _until(lambda: len(c.alarm_desk.records) >= 2 and not c.alarm_desk.pending, 10)
        act(assign, "assign", "市生态环境局", "两小时内到场核查，督促企业整改")
        act(close, "close", None, "已现场核查处置，指标恢复正常")
        await _until(lambda: not c.alarm_desk.pending and c.alarm_desk.records[close.id].state == "closed", 10)
        # the others stay new: the badge on the wall counts them
        main.commands["alarm_journal"]()
        dlg = main.alarm_journal
        for size, label in (((1920, 1080), "1080p"), ((3840, 2160), "4k")):
            main.resize(*size)
            dlg.resize(*size)
            dlg.refresh()
            dlg.table.selectRow(next(i for i, a in enumerate(dlg.rows) if a.id == assign.id))
            await asyncio.sleep(0.5)
            dlg.grab().save(str(shots / f"alarm-journal-{label}.png"))
            main.grab().save(str(shots / f"alarm-badge-{label}.png"))
            print(f"docs/screenshots/alarm-journal-{label}.png, alarm-badge-{label}.png")
        dlg.hide()

    async def run() -> int:
        task = asyncio.ensure_future(c.run())
        try:
            await scenario()
        finally:
            c.request_quit()
            await asyncio.wait_for(task, 15)
        return 0

    return qtloop.run(run())


if __name__ == "__main__":
    sys.exit(main())
