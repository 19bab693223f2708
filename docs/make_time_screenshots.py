"""Screenshots of the trend ranges and of 企业码 "一键获取": the real app, offscreen, with the
embedded central API. The 纺织 tab's turnover chart switched to 本月 (last year faint) by a
click, grabbed at 1920×1080 and 3840×2160 into docs/screenshots/trend-ranges-*.png (and
trend-ranges.png, the 1080p one); then an enterprise's profile with its benefits: one applied
for earlier in the day (so the reference server has decided it), one by a click on 一键获取 now,
one not applied for, into docs/screenshots/benefits-*.png (and benefits.png).

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

        # 企业码: an enterprise with several benefits
        from cockpit.api.benefits import BenefitApply

        now = int(time.time() * 1000)
        store = c.server.app.state.benefits
        from cockpit.central.simulator import Simulator

        sim = Simulator(seed=c.config.api.seed)  # the embedded API's
        prof = next(p for p in (sim.enterprise(e.code, now) for e in sim.search("", "dyeing", 50, now).items)
                    if p is not None and len(p.benefits) >= 3)
        real = store._now
        for i, b in enumerate(prof.benefits[:1]):  # applied this morning by a colleague: decided by now
            store._now = lambda i=i: now - (3 + i) * 3_600_000
            store.apply(prof.code, b, BenefitApply(request_id=f"screenshot{i:04d}x", operator="经信局张三"))
        store._now = real
        main.resize(1920, 1080)
        main.open_enterprise(prof.code)
        et = main.enterprise_tab
        await _until(lambda: et.profile is not None and et.benefits.rows, 30)
        await _until(lambda: all(t for t in et.benefits.state_texts().values()), 10)
        last = prof.benefits[1].id  # 一键获取 now; the third keeps its button
        et.findChild(type(et.benefits.rows[0][2]), f"apply_{last}").click()
        await _until(lambda: et.benefits.state_texts()[last] == "已申请", 10)
        await _until(lambda: sum(t.startswith(("已兑现", "不予支持")) for t in et.benefits.state_texts().values()) == 1, 10)
        for size, label in (((1920, 1080), "1080p"), ((3840, 2160), "4k")):
            main.resize(*size)
            await asyncio.sleep(0.8)
            bar = et._scroll.verticalScrollBar()
            bar.setValue(bar.maximum())  # the benefits, at the foot of the profile
            await asyncio.sleep(0.3)
            main.grab().save(str(shots / f"benefits-{label}.png"))
            print(f"docs/screenshots/benefits-{label}.png")
        shutil.copy(shots / "benefits-1080p.png", shots / "benefits.png")

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
