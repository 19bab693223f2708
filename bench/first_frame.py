#!/usr/bin/env python3
"""Time from process start to the first frame: the peer harness's Qt floor beside
``cockpit --bench`` starting from a filled cache, run alternately.

    .venv/bin/python bench/first_frame.py SPEC.json --cache FILLED.sqlite [--runs 3]
        [--floor PATH] [--floor-python /tmp/peer-venv/bin/python]

Each run starts the program offscreen under a hook that notes, from ``/proc``, how long
after the process started its top-level window got its first paint event, prints it and
ends the process there. The floor generates its data in-process, so its first frame has
its values; ``cockpit --bench SPEC --cache FILLED`` reads the cache before it shows its
window, so its first frame has the cached values (the embedded server, standing in for
a remote API, starts after that frame). Floor and cockpit alternate, ``--runs`` each, so
both see the same machine load. Prints both medians and their ratio (target <= 1.2).
The cache file is copied for each cockpit run (a run never changes the next one's start).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
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
if sys.argv[1] == "-m":
    sys.argv = [sys.argv[2]] + sys.argv[3:]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
else:
    sys.argv = [sys.argv[1]] + sys.argv[2:]
    runpy.run_path(sys.argv[0], run_name="__main__")
"""


def first_frame(cmd: list[str], env: dict) -> float | None:
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    line = next((x for x in out.stdout.splitlines() if x.startswith("FIRST_FRAME_MS")), None)
    if line is None:
        print(f"run failed (exit {out.returncode}): {out.stderr.strip()[-300:]}", file=sys.stderr)
        return None
    return float(line.split()[1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("spec", type=Path)
    ap.add_argument("--cache", type=Path, required=True, help="a cache file filled by a cockpit --bench run")
    ap.add_argument("--runs", type=int, default=3)
    here = Path(__file__).resolve().parent
    ap.add_argument("--floor", type=Path, default=here.parent.parent / "shared" / "bench" / "peer" / "qt_floor.py")
    ap.add_argument("--floor-python", default="/tmp/peer-venv/bin/python")
    a = ap.parse_args()
    floor_py = a.floor_python if Path(a.floor_python).exists() else sys.executable
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    floor: list[float] = []
    cockpit: list[float] = []
    with tempfile.TemporaryDirectory(prefix="cockpit-ff-") as tmp:
        for _ in range(a.runs):
            got = first_frame([floor_py, "-c", HOOK, str(a.floor), str(a.spec)], env)
            if got is not None:
                floor.append(got)
            cache = Path(tmp) / "cache.sqlite"
            shutil.copyfile(a.cache, cache)
            got = first_frame([sys.executable, "-c", HOOK, "-m", "cockpit", "--bench", str(a.spec), "--cache",
                               str(cache), "--log-level", "WARNING"], env)
            if got is not None:
                cockpit.append(got)
            for extra in ("-wal", "-shm"):
                Path(str(cache) + extra).unlink(missing_ok=True)
    if not floor or not cockpit:
        return 1
    f, c = statistics.median(floor), statistics.median(cockpit)
    print(f"floor first_frame_ms: median {f:.0f} (runs {', '.join(f'{g:.0f}' for g in floor)})")
    print(f"cockpit first frame with cached values, ms: median {c:.0f} (runs {', '.join(f'{g:.0f}' for g in cockpit)})")
    print(f"first frame with cached values / Qt floor first frame: {c / f:.2f}x (target <= 1.2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
