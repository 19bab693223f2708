"""What each brain screen costs on a wall: CPU and memory of the real cockpit showing one tab.

For each tab: start ``cockpit --tab T --size WxH --cache memory`` (embedded API, push
stream) offscreen, let it warm up, then read its CPU time and resident memory from /proc
over a window. Prints one row per tab; nothing is asserted.

    .venv/bin/python bench/bench_screens.py [--size 3840x2160] [--warmup 10] [--window 30]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABS = ["city", "dyeing", "textile", "wine", "ic", "pharma", "enterprise"]
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def rss_mb(pid: int) -> float:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE / 1e6


def measure(tab: str, size: str, warmup: float, window: float) -> tuple[float, float, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    extra = ["--enterprise", "91330603179158018W"] if tab == "enterprise" else []
    proc = subprocess.Popen([sys.executable, "-m", "cockpit", "--tab", tab, "--size", size, "--cache", "memory",
                             "--log-level", "WARNING", *extra], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(warmup)
        c0, t0 = cpu_s(proc.pid), time.monotonic()
        peak = 0.0
        while time.monotonic() - t0 < window:
            time.sleep(0.5)
            peak = max(peak, rss_mb(proc.pid))
        used = cpu_s(proc.pid) - c0
        return used, 100 * used / (time.monotonic() - t0), peak
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="3840x2160")
    ap.add_argument("--warmup", type=float, default=10)
    ap.add_argument("--window", type=float, default=30)
    ap.add_argument("--tabs", nargs="*", default=TABS)
    a = ap.parse_args()
    print(f"# one tab shown at {a.size}, embedded API, {a.window:g} s after {a.warmup:g} s warm-up")
    print("| tab | cpu_s | % one core | peak RSS MB |")
    print("|---|---|---|---|")
    for tab in a.tabs:
        used, pct, peak = measure(tab, a.size, a.warmup, a.window)
        print(f"| {tab} | {used:.2f} | {pct:.1f} | {peak:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
