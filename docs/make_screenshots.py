"""Regenerate the screenshots in docs/ (`make screenshots`): the real app, offscreen,
with the embedded central API, waiting until every widget of the tab has data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
SHOTS = [
    ("dyeing", "1920x1080", DOCS / "screenshot.png"),
    ("city", "3840x2160", DOCS / "screenshot-city-4k.png"),
]


def main() -> int:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    failed = 0
    for tab, size, out in SHOTS:
        cmd = [sys.executable, "-m", "cockpit", "--tab", tab, "--size", size, "--screenshot", str(out),
               "--log-level", "WARNING"]
        rc = subprocess.run(cmd, env=env, cwd=DOCS.parent).returncode
        print(f"{out.relative_to(DOCS.parent)}: {'ok' if rc == 0 else f'exit {rc}'}")
        failed += rc != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
