"""Install the built wheel into a clean venv outside the checkout and check that it shows
the same screens as the checkout (`make wheel-check`, run by .ci/run).

1. a new venv in a temporary folder; ``pip install`` the wheel (its dependencies from the
   index as a packager would); nothing of the checkout is on its path;
2. from that folder, ``cockpit --report --screenshot`` with the embedded API (the wine
   tab, a batch looked up); the same from the checkout's venv;
3. both reports: the theme loaded, every brain's layout came from its file (no automatic
   layout), the bundled font registered, resources read from the installed package;
   the two agree on tabs and on each brain's panels (kind and grid cell); the two
   screenshots agree within a tolerance (the live numbers and clock differ).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import check_report  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
# the wine tab with a batch looked up: it needs the layout file (the batch-check panel), and
# --report waits for the batch to show (exit 2 if it never does)
ARGS = ["--size", "1280x720", "--cache", "memory", "--lang", "zh", "--log-level", "WARNING",
        "--tab", "wine", "--batch", "HJ034-2008-018"]


def run_cockpit(exe: str, cwd: Path, out: Path, tag: str) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONPATH", None)
    report, shot = out / f"{tag}.json", out / f"{tag}.png"
    cmd = [exe, *ARGS, "--report", str(report), "--screenshot", str(shot)]
    r = subprocess.run(cmd, cwd=cwd, env=env, timeout=300, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{tag}: {' '.join(cmd)} exited {r.returncode}\n{r.stdout}\n{r.stderr}")
    return json.loads(report.read_text("utf-8"))


def screens(rep: dict) -> dict:
    return {"tabs": rep["tabs"], "shown": rep["shown_tab"],
            "panels": {b: v["panels"] for b, v in rep["brains"].items()},
            "widgets": {b: v["widgets"] for b, v in rep["brains"].items()}}


def image_difference(a: Path, b: Path) -> float:
    """Mean absolute grey difference (0..255) of the two screenshots at 1/8 size."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    ia, ib = QImage(str(a)), QImage(str(b))
    if ia.size() != ib.size():
        return 255.0
    w, h = ia.width() // 8, ia.height() // 8
    sa = ia.scaled(w, h, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
    sb = ib.scaled(w, h, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
    sa = sa.convertToFormat(QImage.Format.Format_Grayscale8)
    sb = sb.convertToFormat(QImage.Format.Format_Grayscale8)
    total = 0
    for y in range(h):
        for x in range(w):
            total += abs(sa.pixelColor(x, y).value() - sb.pixelColor(x, y).value())
    return total / (w * h)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("wheel", type=Path)
    p.add_argument("--python", default=shutil.which("python3") or sys.executable,
                   help="the Python that makes the clean venv")
    p.add_argument("--checkout-cockpit", default=str(ROOT / ".venv" / "bin" / "cockpit"))
    p.add_argument("--out", type=Path, default=ROOT / "build" / "wheel-check")
    p.add_argument("--max-difference", type=float, default=12.0)
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    wheel = args.wheel.resolve()
    with tempfile.TemporaryDirectory(prefix="cockpit-wheel-") as tmp:
        home = Path(tmp)
        venv = home / "venv"
        subprocess.run([args.python, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], check=True,
                       cwd=home)
        installed = run_cockpit(str(venv / "bin" / "cockpit"), home, args.out, "wheel")
        version = subprocess.run([str(venv / "bin" / "cockpit"), "--version"], capture_output=True, text=True,
                                 cwd=home, check=True).stdout.strip()
    checkout = run_cockpit(args.checkout_cockpit, ROOT, args.out, "checkout")
    problems = check_report.problems(installed, "wheel") + check_report.problems(checkout, "checkout")
    if Path(installed["resources"]).resolve().is_relative_to(ROOT):
        problems.append(f"wheel: resources read from the checkout ({installed['resources']})")
    if screens(installed) != screens(checkout):
        problems.append("wheel and checkout show different screens:\n"
                        f"  wheel:    {json.dumps(screens(installed), ensure_ascii=False)[:2000]}\n"
                        f"  checkout: {json.dumps(screens(checkout), ensure_ascii=False)[:2000]}")
    diff = image_difference(args.out / "wheel.png", args.out / "checkout.png")
    if diff > args.max_difference:
        problems.append(f"screenshots differ by {diff:.1f} grey levels on average (at most {args.max_difference})")
    for line in problems:
        print("wheel-check:", line, file=sys.stderr)
    if problems:
        return 1
    n_panels = sum(len(v) for v in screens(installed)["panels"].values())
    print(f"wheel OK: {wheel.name} ({wheel.stat().st_size / 1e6:.1f} MB), {version}; "
          f"{len(installed['tabs'])} tabs, {n_panels} panels from layout files, theme "
          f"{installed['theme']['name']} loaded, font {', '.join(installed['fonts']['bundled'])}; "
          f"same screens as the checkout (screenshot difference {diff:.1f}/255)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
