"""``--screenshot`` / ``--report``: wait until the shown tab has data, write a PNG of the
window and/or a JSON report (tabs, connection, per-brain data), and say so.

The wait polls on the loop (never ``processEvents()`` inside a coroutine: it runs other
tasks re-entrantly and qasync loses their wake-ups) for at most ``READY_TIMEOUT_S``.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cockpit import __version__
from cockpit.hub.hub import Hub, LinkState

if TYPE_CHECKING:
    from cockpit.ui.main_window import MainWindow

# --screenshot/--report wait at most this long for data (the environment may shorten it for tests)
READY_TIMEOUT_S = float(os.environ.get("COCKPIT_READY_TIMEOUT_S", "20"))


@dataclass(frozen=True)
class CaptureRequest:
    screenshot: Path | None
    report: Path | None
    enterprise: str | None = None  # --enterprise: wait for its profile
    batch_shown: Callable[[], bool] = lambda: True  # --batch: wait until it is shown


def ready(main: MainWindow, hub: Hub, req: CaptureRequest) -> bool:
    """Every widget on the shown tab has data and the link is known (live, or offline with
    the cached values marked so — not the "connecting" moment between)."""
    tab = main.current_tab()
    settled = hub.status.state != LinkState.CONNECTING and (
        tab is None or not main.models.brain(tab.brain.id).from_cache or hub.status.state == LinkState.OFFLINE)
    replay = getattr(main, "replay", None)  # --at: the moment loaded
    replayed = replay is None or replay.ready
    if (tab is not None and tab.widget_count() and tab.widgets_with_data() == tab.widget_count() and settled
            and replayed):
        if req.batch_shown():
            return True
    ent = main.enterprise_tab
    return ent is not None and main.tabs.currentWidget() is ent and (
        ent.profile is not None or (not req.enterprise and ent.isVisible()))


async def capture(main: MainWindow, hub: Hub, req: CaptureRequest, base_url: str, embedded: bool,
                  timeout_s: float | None = None) -> int:
    """Wait for data, write what was asked; the exit code (0 fine, 2 data incomplete,
    3 the screenshot could not be written, 4 the tab asked for is not on the platform)."""
    timeout_s = READY_TIMEOUT_S if timeout_s is None else timeout_s
    deadline = time.monotonic() + timeout_s
    ok = False
    code = 0
    while time.monotonic() < deadline:
        if main.missing_tab is not None:  # --tab names a brain the platform does not have
            have = ", ".join([*main.tabs_by_brain, "enterprise"])
            print(f"cockpit: the platform has no tab {main.missing_tab!r} (it has: {have})", file=sys.stderr)
            code = 4
            break
        main.models.flush()  # what arrived is on screen, not a frame later
        if ready(main, hub, req):
            ok = True
            break
        await asyncio.sleep(0.2)
    main.refresh()
    await asyncio.sleep(0.3)  # let the last updates paint
    if not ok and code == 0:
        tab = main.current_tab()
        why = hub.status.reason or "no data arrived"
        got = f"{tab.widgets_with_data()}/{tab.widget_count()} widgets have data" if tab else "no tab shown"
        print(f"cockpit: data not complete after {timeout_s:.0f} s ({got}; {why})", file=sys.stderr)
        code = 2
    if req.screenshot:
        req.screenshot.parent.mkdir(parents=True, exist_ok=True)
        if not main.grab().save(str(req.screenshot)):
            print(f"cockpit: cannot write {req.screenshot}", file=sys.stderr)
            code = 3
    if req.report:
        req.report.parent.mkdir(parents=True, exist_ok=True)
        req.report.write_text(json.dumps(report(main, hub, base_url, embedded), ensure_ascii=False, indent=1),
                              "utf-8")
    return code


def report(main: MainWindow, hub: Hub, base_url: str, embedded: bool) -> dict[str, Any]:
    """What ``--report`` writes."""
    from cockpit import fonts
    from cockpit.resources import resources_dir
    from cockpit.ui.text import clock
    from widgets.theme import font_families

    st = hub.status
    brains = {}
    for brain_id, tab in main.tabs_by_brain.items():
        model = main.models.brain(brain_id)  # the data, from the UI model (never read off a widget)
        brains[brain_id] = {
            "last_update_ms": model.received_ms,
            "last_update": clock(model.received_ms) if model.received_ms else None,
            "data_ts_ms": model.snapshot.ts if model.snapshot else None,
            "widgets": tab.widget_count(),
            "widgets_with_data": tab.widgets_with_data(),
            **_layout_report(tab),
        }
    tabs = [{"id": b, "title": main.tab_title(main.tabs.indexOf(t))} for b, t in main.tabs_by_brain.items()]
    return {
        "version": __version__,
        "api": base_url,
        "embedded": embedded,
        "tabs": tabs,
        "shown_tab": main.current_brain(),
        "missing_tab": main.missing_tab,
        "connection": {"state": st.state.value, "mode": st.mode, "reason": st.reason,
                       "last_update_ms": st.last_update_ms,
                       # per brain: its answer rejected whole, or the parts left out of it
                       "errors": {**{b: "; ".join(str(v) for v in parts.values())
                                     for b, parts in st.problems.items()}, **st.errors},
                       "problems": {b: {p: str(v) for p, v in parts.items()} for b, parts in st.problems.items()}},
        "brains": brains,
        "theme": {"name": main.theme, "loaded": bool(main.styleSheet().strip())},
        "resources": str(resources_dir()),
        "fonts": {"bundled": fonts.registered_families(), "ui_families": font_families()},
    }


def _layout_report(tab: Any) -> dict[str, Any]:
    """Where a brain tab's layout came from: its file and panels, or the automatic layout."""
    spec = tab.layout_spec
    return {
        "layout": "file" if spec is not None else "automatic",
        "layout_file": spec.path.name if spec is not None else None,
        "layout_error": tab.layout_error,
        "panels": [{"widget": p.widget, "row": p.row, "col": p.col, "row_span": p.row_span,
                    "col_span": p.col_span} for p in spec.panels] if spec is not None else [],
    }
