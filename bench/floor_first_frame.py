#!/usr/bin/env python3
"""Time from process start to the first frame of the peer harness's Qt floor.

    /tmp/peer-venv/bin/python bench/floor_first_frame.py SPEC.json [--runs 3] [--floor PATH]

Runs ``qt_floor.py SPEC`` (from ``../shared/bench/peer``) ``--runs`` times offscreen under
a hook that notes, from ``/proc``, how long after the process started the floor window
got its first paint event (the floor generates its data in-process: that frame has its
values), prints it, and ends the run there. The same moment ``cockpit --bench`` reports
as ``first_frame_ms``/``first_cached_frame_ms`` (its window's paint event, measured from
process start the same way). Prints ``floor first_frame_ms: median … (runs …)``.

Run it with the harness's venv (``/tmp/peer-venv``, made by its ``setup.sh``): the floor
needs pyqtgraph, which the cockpit's venv also has, so ``.venv/bin/python`` works too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

HOOK = r"""
import os, runpy, sys

def age_ms():
    with open("/proc/self/stat") as f:
        start = int(f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as f:
        up = float(f.read().split()[0])
    return (up - start / os.sysconf("SC_CLK_TCK")) * 1000

import PySide6.QtWidgets as W
from PySide6.QtCore import QEvent, QObject, QTimer

class _First(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint and obj.isWidgetType() and obj.isWindow():
            print(f"FIRST_FRAME_MS {age_ms():.0f}", flush=True)
            QTimer.singleShot(0, lambda: os._exit(0))
            W.QApplication.instance().removeEventFilter(self)
        return False

class _App(W.QApplication):
    def __init__(self, *a):
        super().__init__(*a)
        self._first = _First()
        self.installEventFilter(self._first)

W.QApplication = _App
sys.argv = [sys.argv[1]] + sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("spec", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    here = Path(__file__).resolve().parent
    ap.add_argument("--floor", type=Path, default=here.parent.parent / "shared" / "bench" / "peer" / "qt_floor.py")
    a = ap.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    got: list[float] = []
    for _ in range(a.runs):
        out = subprocess.run([sys.executable, "-c", HOOK, str(a.floor), str(a.spec)], env=env,
                             capture_output=True, text=True, timeout=120)
        line = next((x for x in out.stdout.splitlines() if x.startswith("FIRST_FRAME_MS")), None)
        if line is None:
            print(f"floor run failed (exit {out.returncode}): {out.stderr.strip()[-300:]}", file=sys.stderr)
            continue
        got.append(float(line.split()[1]))
    if not got:
        return 1
    print(f"floor first_frame_ms: median {statistics.median(got):.0f} (runs {', '.join(f'{g:.0f}' for g in got)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
