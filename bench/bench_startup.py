"""Start-up benchmark: process start to the first painted frame FROM THE CACHE, API down.
Prints figures, asserts nothing.

    .venv/bin/python bench/bench_startup.py [--runs 5] [--size 1920x1080] [--dir DIR]

1. Fill a cache file once, in-process: the cockpit with the embedded API, driven until
   the history of every brain is loaded (``cockpit.history is not None and len(cockpit.history.done)`` is the number of brains) and
   every tab has data; then it quits (the cache is flushed on the way out).
2. ``--runs`` runs of ``python -m cockpit --api http://127.0.0.1:9 --cache FILE --report R
   --screenshot S`` (COCKPIT_READY_TIMEOUT_S=5): wall time from spawn to exit.
3. ``--runs`` runs of the same command line through a small wrapper (this script with
   ``--child``) that runs ``cockpit.app.main`` in-process with paint hooks and records,
   as ``time.time()`` (so the parent can subtract its own spawn time):

   * *python up*: the wrapper's first line runs (interpreter start-up);
   * *window shown*: the main window's first paint event (the first frame);
   * *cached values*: the first paint of a widget on the shown tab once that tab has
     data in every widget (``widgets_with_data() == widget_count()``);
   * *24 h charts*: the first paint of a chart's plot on the shown tab once every chart
     there holds more than one point (the history was loaded) and was flushed to its curve.

   The same with an empty cache and the API down (nothing to show: the run ends at the
   5 s ready timeout, exit code 2), and with an empty cache and the embedded API (data
   comes from the network) for comparison.

The hooks wrap Python methods the widgets already have (``Panel.paintEvent``,
``TrendChart.eventFilter``) and add a ``paintEvent`` to the main window only: no
application-wide event filter, so the wrapper costs next to nothing; the plain-command
wall times of step 2 show it.
"""

from __future__ import annotations

import time

T_PYTHON_UP = time.time()  # as early as the wrapper can look at the clock

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEAD_API = "http://127.0.0.1:9"


# ---- child: the cockpit in-process, with paint hooks ------------------------------------


def child(out: Path, argv: list[str]) -> int:
    import cockpit.app as app_mod
    from cockpit.process import process_age_ms  # Qt-free

    marks: dict[str, float] = {"python_up": T_PYTHON_UP}
    ages: dict[str, float] = {}
    holder: dict[str, object] = {}

    def mark(name: str) -> None:
        if name not in marks:
            marks[name] = time.time()
            ages[name] = process_age_ms()

    orig_run = app_mod.Cockpit.run

    async def run(self) -> int:
        # Qt is imported by now (main() made the QApplication); the window is not built yet
        from PySide6.QtCore import QEvent
        from PySide6.QtWidgets import QMainWindow

        from cockpit.ui.main_window import MainWindow
        from widgets._panel import Panel
        from widgets.trend_chart import TrendChart

        holder["cockpit"] = self

        def main_paint(win, event) -> None:
            QMainWindow.paintEvent(win, event)
            mark("shown")

        MainWindow.paintEvent = main_paint  # type: ignore[method-assign]

        def current_tab():
            main = self.main
            if main is None or not main.tabs_by_brain:
                return None
            return main.current_tab()

        orig_panel_paint = Panel.paintEvent

        def panel_paint(w, event) -> None:
            orig_panel_paint(w, event)
            if "values" in marks:
                return
            tab = current_tab()
            if tab is not None and tab.isAncestorOf(w) and tab.widget_count() \
                    and tab.widgets_with_data() == tab.widget_count():
                mark("values")

        Panel.paintEvent = panel_paint  # type: ignore[method-assign]
        orig_filter = TrendChart.eventFilter

        def chart_filter(chart, obj, event) -> bool:
            if "charts" not in marks and event.type() == QEvent.Type.Paint \
                    and obj is chart._plot.viewport():
                tab = current_tab()
                if tab is not None and tab.isAncestorOf(chart) and tab.charts and all(
                        c.chart._series[c.series].count > 1 and not c.chart._dirty for c in tab.charts):
                    mark("charts")
            return orig_filter(chart, obj, event)

        TrendChart.eventFilter = chart_filter  # type: ignore[method-assign]
        return await orig_run(self)

    app_mod.Cockpit.run = run  # type: ignore[method-assign]
    code = -1
    try:
        code = app_mod.main(argv)
    finally:
        mark("main_returned")
        out.write_text(json.dumps({"marks": marks, "process_age_ms": ages, "exit": code}))
    return code


def fill(cache: Path, size: str) -> int:
    """In-process: the cockpit on the embedded API until every brain's history is cached."""
    import asyncio

    from PySide6.QtWidgets import QApplication

    from cockpit.app import Cockpit, build_parser
    from cockpit.qtloop import SafeEventLoop

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from cockpit.central.simulator import Simulator

    n_brains = len(Simulator(0).brain_ids)  # every tab the embedded API serves
    cockpit = Cockpit(app, build_parser().parse_args(["--cache", str(cache), "--size", size,
                                                      "--log-level", "WARNING"]))
    t0 = time.monotonic()
    took: dict[str, float] = {}

    async def until(cond, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > deadline:
                raise TimeoutError(f"fill: no {what} after {timeout} s")
            await asyncio.sleep(0.05)

    async def main() -> None:
        task = asyncio.ensure_future(cockpit.run())
        try:
            await until(lambda: cockpit.main is not None and len(cockpit.main.tabs_by_brain) == n_brains, 20, "tabs")
            await until(lambda: cockpit.history is not None and len(cockpit.history.done) == n_brains, 90,
                        "history of all brains")
            main = cockpit.main
            assert main is not None
            await until(lambda: all(t.widgets_with_data() == t.widget_count()
                                    for t in main.tabs_by_brain.values()), 20, "data in every tab")
            took["s"] = time.monotonic() - t0
        finally:
            cockpit.request_quit()
            await asyncio.wait_for(task, 30)

    loop = SafeEventLoop(app, already_running=False)
    asyncio.set_event_loop(loop)
    loop.run_until_complete(main())
    loop.close()
    print(f"   filled {cache.name}: {cache.stat().st_size / 1e6:.1f} MB in {took['s']:.1f} s "
          f"(embedded API, history of {n_brains} brains)", flush=True)
    return 0


# ---- parent -----------------------------------------------------------------------------


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COCKPIT_READY_TIMEOUT_S": "5"}


def _cockpit_args(api: str | None, cache: Path, tmp: Path, size: str, i: int) -> list[str]:
    args = ["--cache", str(cache), "--report", str(tmp / f"r{i}.json"), "--screenshot", str(tmp / f"s{i}.png"),
            "--size", size, "--log-level", "WARNING"]
    return (["--api", api] if api else []) + args


def run_plain(api: str | None, cache: Path, tmp: Path, size: str, i: int) -> tuple[float, int]:
    cmd = [sys.executable, "-m", "cockpit", *_cockpit_args(api, cache, tmp, size, i)]
    t0 = time.time()
    proc = subprocess.run(cmd, env=_env(), cwd=ROOT, capture_output=True, text=True, timeout=120)
    return (time.time() - t0) * 1000, proc.returncode


def run_wrapped(api: str | None, cache: Path, tmp: Path, size: str, i: int) -> dict:
    out = tmp / f"marks{i}.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(out), "--",
           *_cockpit_args(api, cache, tmp, size, i)]
    t0 = time.time()
    proc = subprocess.run(cmd, env=_env(), cwd=ROOT, capture_output=True, text=True, timeout=120)
    wall = (time.time() - t0) * 1000
    rec = json.loads(out.read_text()) if out.exists() else {"marks": {}, "process_age_ms": {}, "exit": None}
    ms = {k: (v - t0) * 1000 for k, v in rec["marks"].items()}
    ms["exit"] = wall
    return {"ms": ms, "age": rec["process_age_ms"], "code": proc.returncode,
            "stderr": proc.stderr.strip().splitlines()[-1:] if proc.returncode else []}


def stats(xs: list[float]) -> str:
    if not xs:
        return f"{'—':>8} {'—':>7} {'—':>7}"
    return f"{statistics.median(xs):8.0f} {min(xs):7.0f} {max(xs):7.0f}"


ROWS = (("python_up", "python up (wrapper's first line)"),
        ("shown", "window shown (first frame)"),
        ("values", "first frame with data, every widget"),
        ("charts", "first frame with >1 point in every chart"),
        ("exit", "exit (wall, --report --screenshot)"))


def table(title: str, runs: list[dict], never: str = "") -> None:
    print(f"\n{title}")
    print(f"   {'ms from spawn':44} {'median':>8} {'min':>7} {'max':>7}   n")
    for key, label in ROWS:
        xs = [r["ms"][key] for r in runs if key in r["ms"]]
        note = f"   {never}" if not xs and never else ""
        print(f"   {label:44} {stats(xs)}   {len(xs)}{note}")
    codes = sorted({r["code"] for r in runs})
    print(f"   exit codes {codes}" + (f"; last stderr line: {runs[-1]['stderr'][0]}" if runs[-1]["stderr"] else ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--size", default="1920x1080")
    ap.add_argument("--dir", type=Path, default=None, help="where to put the files (default: a temp dir)")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--fill", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        rest = args.rest[1:] if args.rest[:1] == ["--"] else args.rest
        sys.exit(child(args.child, rest))
    if args.fill:
        sys.exit(fill(args.fill, args.size))

    t_all = time.time()
    tmp_dir = tempfile.TemporaryDirectory(prefix="bench-startup-", dir=args.dir)
    tmp = Path(tmp_dir.name)
    cache = tmp / "cache.sqlite"
    print(f"start-up bench: {args.runs} runs each, window {args.size}, QT_QPA_PLATFORM=offscreen, "
          f"COCKPIT_READY_TIMEOUT_S=5, files in {tmp}")
    print("\n1. fill the cache (in-process, embedded API)")
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--fill", str(cache), "--size", args.size],
                          env=_env(), cwd=ROOT, capture_output=True, text=True)
    print(proc.stdout.rstrip())
    if proc.returncode:
        sys.exit(f"filling the cache failed:\n{proc.stderr[-3000:]}")

    walls, codes = [], set()
    for i in range(args.runs):
        ms, code = run_plain(DEAD_API, cache, tmp, args.size, i)
        walls.append(ms)
        codes.add(code)
    print(f"\n2. `python -m cockpit --api {DEAD_API} --cache FILLED --report R --screenshot S` (no wrapper)")
    print(f"   wall spawn → exit, ms: median {statistics.median(walls):.0f}, min {min(walls):.0f}, "
          f"max {max(walls):.0f}; exit codes {sorted(codes)}")

    cached = [run_wrapped(DEAD_API, cache, tmp, args.size, 100 + i) for i in range(args.runs)]
    table(f"3a. cached start, API down ({DEAD_API}): through the wrapper", cached)
    empty = [run_wrapped(DEAD_API, tmp / f"empty{i}.sqlite", tmp, args.size, 200 + i) for i in range(args.runs)]
    table("3b. empty cache, API down: nothing to show until the 5 s ready timeout", empty,
          never="(never: no cache, no API)")
    net = [run_wrapped(None, tmp / f"net{i}.sqlite", tmp, args.size, 300 + i) for i in range(args.runs)]
    table("3c. empty cache, embedded API (data from the network, history backfilled)", net)

    ages = [r["age"]["shown"] - r["ms"]["shown"] for r in cached if "shown" in r["age"]]
    if ages:
        print(f"\n   cross-check: /proc process age at 'window shown' minus spawn-relative time: "
              f"median {statistics.median(ages):+.0f} ms (the /proc start time has 10 ms ticks)")
    print(f"\ntotal bench time {time.time() - t_all:.0f} s")
    tmp_dir.cleanup()


if __name__ == "__main__":
    main()
