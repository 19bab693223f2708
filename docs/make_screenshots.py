"""Regenerate the screenshots in docs/ (`make screenshots`): the real app, offscreen,
with the embedded central API, waiting until every widget of the tab has data: every
tab at 1920×1080 and 3840×2160 in docs/screenshots/. The
offline one is the same app restarted with the API unreachable, painting from the
cache the first run filled."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent


def shoot(tab: str, size: str, out: Path, *extra: str) -> bool:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "COCKPIT_READY_TIMEOUT_S": "8"}
    # the wall profile: the screens as a command center's wall shows them (#11 §3)
    cmd = [sys.executable, "-m", "cockpit", "--tab", tab, "--size", size, "--screenshot", str(out),
           "--profile", "wall", "--log-level", "WARNING", *extra]
    rc = subprocess.run(cmd, env=env, cwd=DOCS.parent).returncode
    print(f"{out.relative_to(DOCS.parent)}: {'ok' if rc == 0 else f'exit {rc}'}")
    return rc == 0


# every tab, at the size it is designed for and on a 4K wall; the wine tab with a batch
# checked and the enterprise-code tab with a profile open (seed-0 samples are in API.md;
# these are the default seed's)
TABS = [
    ("city", ()),
    ("dyeing", ()),
    ("textile", ()),
    ("wine", ("--batch", "HJ034-2008-018")),
    ("ic", ()),
    ("pharma", ()),
    ("muni", ()),
    ("enterprise", ("--enterprise", "91330603179158018W")),
]
SIZES = [("1920x1080", "1080p"), ("3840x2160", "4k")]


def main() -> int:
    shots = DOCS / "screenshots"
    shots.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cache = str(Path(tmp) / "cache.sqlite")
        ok = [
            shoot("dyeing", "1920x1080", DOCS / "screenshot.png", "--cache", cache),
            shoot("city", "3840x2160", DOCS / "screenshot-city-4k.png", "--cache", cache),
            shoot("dyeing", "1920x1080", DOCS / "screenshot-offline.png", "--cache", cache,
                  "--api", "http://127.0.0.1:9"),
        ]
        for tab, extra in TABS:
            for size, label in SIZES:
                ok.append(shoot(tab, size, shots / f"{tab}-{label}.png", "--cache", cache, *extra))
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
