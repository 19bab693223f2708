"""Screenshots of the trend ranges (本月 with last year faint): the real app, offscreen, with
the embedded central API; the 纺织 tab's turnover chart switched to 本月 and the 印染 tab's COD
chart to 本年 by clicks, grabbed at 1920×1080 and 3840×2160 into
docs/screenshots/trend-ranges-*.png (and trend-ranges.png, the 1080p one).

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_time_screenshots.py
"""

from __future__ import annotations

import asyncio
import os
import shutil
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
    from widgets.state import DataState

    app = QApplication.instance() or QApplication(sys.argv[:1])
    _setup_fonts(app)
    argv = ["--cache", "memory", "--tab", "textile"]
    parser = build_parser()
    args = parser.parse_args(argv)
    args.settings = cfg.load(cfg.given_options(parser, argv), env={})
    cfg.apply_to_args(args.settings, args)
    c = Cockpit(app, args)
    shots = DOCS / "screenshots"
    shots.mkdir(exist_ok=True)

    async def pick(tab, key: str) -> None:
        r = tab.ranges[0]
        next(b for b in r.chart.range_buttons() if b.property("range_key") == key).click()
        await _until(lambda: r.state[0] != DataState.NO_DATA or "waiting" not in r.state[1], 60)
        await _until(lambda: r.state[0] == DataState.LIVE, 60)

    async def scenario() -> None:
        await _until(lambda: c.main is not None and c.main.tabs_by_brain.get("textile") is not None, 30)
        main = c.main
        main.resize(1920, 1080)
        tab = main.tabs_by_brain["textile"]
        await _until(lambda: tab.widgets_with_data() == tab.widget_count(), 30)
        await pick(tab, "month")
        for size, label in (((1920, 1080), "1080p"), ((3840, 2160), "4k")):
            main.resize(*size)
            await asyncio.sleep(0.8)
            main.grab().save(str(shots / f"trend-ranges-{label}.png"))
            print(f"docs/screenshots/trend-ranges-{label}.png")
        shutil.copy(shots / "trend-ranges-1080p.png", shots / "trend-ranges.png")

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
