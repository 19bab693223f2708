"""The real product on a real wall: ``cockpit --wall`` with four 3840×2160 windows from one
process, each rotating through every brain, against a separate reference server.

    .venv/bin/python bench/bench_wall.py [--windows 4] [--dwell 10] [--warmup 30] [--window 60]

What it does:

* starts ``python -m cockpit.central`` on a free loopback port (its own process, as a
  command center's API would be);
* gives Qt's offscreen platform four 3840×2160 screens (a 2×2 wall: the ``offscreen``
  plugin's ``configfile`` option lists them), and writes a wall file with one kiosk
  window per screen, each rotating through every brain (city, dyeing, textile, wine,
  ic, pharma and the 亩均 tab, muni) every ``--dwell`` seconds, each starting at a
  different brain so the four screens show four different brains at any time;
* runs ``cockpit --wall FILE --api URL --cache FILE`` (push stream, cache on, a fresh
  cache file: the history is backfilled during the warm-up) under a thin wrapper that
  adds a UI-thread stall probe: a 10 ms precise ``QTimer`` on the GUI thread, each wake-up
  recording how late it came (the stall the UI thread had) and the GUI thread's CPU time
  since the previous wake-up (``time.thread_time``: the work that held the thread, which is
  the stall a quiet machine would see; the lateness adds the time other processes held
  the cores); it costs about 100 Python wake-ups a second (counted in the cockpit's CPU);
* after ``--warmup`` s, measures ``--window`` s: the cockpit's CPU (utime+stime from
  ``/proc``), peak RSS and PSS (sampled every 0.5 s), the server's CPU and RSS, and the
  stall p50/p99/max over the window; then the watchdog's verdict from the log (a stall
  of 10 s or more is logged as "UI thread stalled") and the windows' screens.

ECharts beside it: the peer harness runs one page at a time, so "four ECharts pages" is
four times the single-page figures of the same session (``--echarts-cpu``/``--echarts-rss``,
from ``bench/peer.sh``), labelled as computed. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
BRAINS = ["city", "dyeing", "textile", "wine", "ic", "pharma", "muni"]
W, H = 3840, 2160

PROBE = r"""
import json, os, sys, time
from cockpit import app as A

samples = []
_run = A.Cockpit.run

async def run(self):
    from PySide6.QtCore import Qt, QTimer
    t = QTimer()
    t.setTimerType(Qt.TimerType.PreciseTimer)
    t.setInterval(10)
    last = [time.monotonic(), time.thread_time()]
    def on_timer():
        now, cpu = time.monotonic(), time.thread_time()
        samples.append((now, (now - last[0]) * 1000 - 10, (cpu - last[1]) * 1000))
        last[0], last[1] = now, cpu
    t.timeout.connect(on_timer)
    t.start()
    self._stall_probe = t
    print("WALL_READY", flush=True)
    return await _run(self)

A.Cockpit.run = run
code = A.main(sys.argv[1:])
with open(os.environ["WALL_PROBE_OUT"], "w") as f:
    json.dump({"clock_now": time.monotonic(), "samples": samples}, f)
sys.exit(code)
"""


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mb(pid: int) -> float:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE / 1e6


def pss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(xs: list[float], q: float) -> float:
    ys = sorted(xs)
    return ys[min(len(ys) - 1, max(0, round(q / 100 * len(ys) + 0.5) - 1))] if ys else float("nan")


def screens_file(path: Path, n: int) -> None:
    cols = 2 if n > 1 else 1
    screens = [{"name": f"wall-{i}", "x": (i % cols) * W, "y": (i // cols) * H, "width": W, "height": H,
                "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1} for i in range(n)]
    path.write_text(json.dumps({"synchronousWindowSystemEvents": False, "windowFrameMargins": False,
                                "screens": screens}))


def wall_file(path: Path, n: int, dwell: float) -> None:
    out = []
    for i in range(n):
        order = BRAINS[i % len(BRAINS):] + BRAINS[: i % len(BRAINS)]
        out.append(f'[[window]]\nscreen = {i}\nrotate = "{dwell:g},{",".join(order)}"\nkiosk = true\n')
    path.write_text("\n".join(out), "utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--windows", type=int, default=4)
    ap.add_argument("--dwell", type=float, default=10)
    ap.add_argument("--warmup", type=float, default=30)
    ap.add_argument("--window", type=float, default=60)
    ap.add_argument("--echarts-cpu", type=float, default=None, help="one ECharts page, %% of a core (peer.sh)")
    ap.add_argument("--echarts-rss", type=float, default=None, help="one ECharts page, peak RSS MB (peer.sh)")
    a = ap.parse_args()
    load0 = Path("/proc/loadavg").read_text().split()[:3]
    with tempfile.TemporaryDirectory(prefix="cockpit-wall-") as tmp:
        d = Path(tmp)
        screens_file(d / "screens.json", a.windows)
        wall_file(d / "wall.toml", a.windows, a.dwell)
        port = free_port()
        env = {**os.environ, "XDG_STATE_HOME": str(d / "state"), "XDG_CONFIG_HOME": str(d / "config"),
               "XDG_CACHE_HOME": str(d / "cache"), "WALL_PROBE_OUT": str(d / "probe.json"),
               "QT_QPA_PLATFORM": f"offscreen:configfile={d / 'screens.json'}"}
        server = subprocess.Popen([sys.executable, "-m", "cockpit.central", "--port", str(port),
                                   "--log-level", "warning"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cockpit = None
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), 0.2).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        print("the reference API process did not start", file=sys.stderr)
                        return 1
                    time.sleep(0.05)
            log = (d / "cockpit.log").open("w")
            cockpit = subprocess.Popen(
                [sys.executable, "-c", PROBE, "--wall", str(d / "wall.toml"), "--api", f"http://127.0.0.1:{port}",
                 "--cache", str(d / "cache.sqlite"), "--log-level", "INFO"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
            print(f"[{time.strftime('%H:%M:%S')}] {a.windows} windows of {W}x{H}, rotation {a.dwell:g} s "
                  f"through {len(BRAINS)} brains; warm-up {a.warmup:g} s, window {a.window:g} s", file=sys.stderr)
            time.sleep(a.warmup)
            if cockpit.poll() is not None:
                print(f"the cockpit ended early (exit {cockpit.returncode}); log:\n"
                      + (d / "cockpit.log").read_text()[-2000:], file=sys.stderr)
                return 1
            c0, s0, t0 = cpu_s(cockpit.pid), cpu_s(server.pid), time.monotonic()
            m0 = t0
            peak = peak_pss = srv_peak = 0.0
            while time.monotonic() - t0 < a.window:
                time.sleep(0.5)
                peak = max(peak, rss_mb(cockpit.pid))
                srv_peak = max(srv_peak, rss_mb(server.pid))
                if time.monotonic() - m0 >= 2:
                    peak_pss, m0 = max(peak_pss, pss_mb(cockpit.pid)), time.monotonic()
            secs = time.monotonic() - t0
            used, srv_used = cpu_s(cockpit.pid) - c0, cpu_s(server.pid) - s0
            t1 = time.monotonic()
            cockpit.terminate()
            cockpit.wait(30)
            cockpit = None
        finally:
            for p in (cockpit, server):
                if p is not None and p.poll() is None:
                    p.terminate()
                    try:
                        p.wait(10)
                    except subprocess.TimeoutExpired:
                        p.kill()
                        p.wait(5)
        probe = json.loads((d / "probe.json").read_text()) if (d / "probe.json").exists() else {"samples": []}
        window = [s for s in probe["samples"] if t0 <= s[0] <= t1]
        late = [s[1] for s in window]
        busy = [s[2] for s in window]
        text = (d / "cockpit.log").read_text(errors="replace")
        watchdog_stalls = len(re.findall(r"UI thread stalled", text))
        screens = re.findall(r"screen \d+ does not exist[^\n]*", text)
        refused = re.findall(r"wall file not used[^\n]*", text)
    if refused:  # the cockpit fell back to one window: these figures would not be a wall's
        print(f"the cockpit did not open the wall: {refused[0]}", file=sys.stderr)
        return 1
    load1 = Path("/proc/loadavg").read_text().split()[:3]
    print(f"\nwall: {a.windows} × {W}x{H} kiosk windows, one process, rotation {a.dwell:g} s through every brain, "
          f"API in its own process (python -m cockpit.central), push stream, cache file")
    print(f"cockpit: CPU {used:.1f} s in {secs:.0f} s = {100 * used / secs:.1f} % of one core; "
          f"peak RSS {peak:.0f} MB, peak PSS {peak_pss:.0f} MB   (targets: <= 100 % of a core, <= 600 MB)")
    print(f"server:  CPU {srv_used:.1f} s = {100 * srv_used / secs:.1f} % of one core; peak RSS {srv_peak:.0f} MB")
    if late:
        print(f"UI-thread stall (10 ms timer lateness, {len(late)} wake-ups): p50 {pct(late, 50):.1f} ms, "
              f"p99 {pct(late, 99):.1f} ms, max {max(late):.1f} ms; over 16 ms: {sum(x > 16 for x in late)} "
              f"(target p99 <= 16 ms); watchdog stalls (>= 10 s): {watchdog_stalls}")
        print("  longest: " + ", ".join(f"{x:.0f}" for x in sorted(late)[-8:]) + " ms")
        print(f"  GUI-thread CPU between two wake-ups (the stall without other processes taking the cores): "
              f"p50 {pct(busy, 50):.1f} ms, p99 {pct(busy, 99):.1f} ms, max {max(busy):.1f} ms; "
              f"over 16 ms: {sum(x > 16 for x in busy)}")
    else:
        print("UI-thread stall: no probe samples (see the cockpit log)")
    if screens:
        print("screen warnings: " + "; ".join(screens))
    if a.echarts_cpu is not None and a.echarts_rss is not None:
        e_cpu, e_rss = 4 * a.echarts_cpu, 4 * a.echarts_rss
        print(f"four ECharts pages (4 × one page of peer.sh, computed): CPU {e_cpu:.0f} % of a core, RSS {e_rss:.0f} MB"
              f" → cockpit/ECharts CPU {100 * used / secs / e_cpu:.2f}×, RSS {peak / e_rss:.2f}×")
    print(f"load average (1/5/15 min): before {' '.join(load0)}, after {' '.join(load1)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
