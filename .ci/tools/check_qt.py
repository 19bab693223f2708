"""Check that Qt can start here (run by the Makefile before the tests and the app).

Where a Qt runtime library is missing, print one line naming the Debian packages to
install and exit 1, instead of a traceback from deep inside PySide6.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

# shared library -> the Debian/Ubuntu package that ships it (the Qt runtime of .ci/run)
PACKAGES = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libGLX.so.0": "libglx0",
}

PROBE = """
from PySide6.QtWidgets import QApplication
from PySide6.QtGui import QFontDatabase
app = QApplication([])
raise SystemExit(0 if set(QFontDatabase.families()) - {"Monospace", "Sans Serif", "Serif"} else 3)
"""
NO_FONT = 3  # Qt started but fontconfig finds no font at all (the bundled CJK face needs a Latin one beside it)


def missing_libraries() -> list[str]:
    """Libraries the Qt modules and the offscreen platform link to that are not found."""
    try:
        import PySide6
    except ImportError:
        return []
    qt = Path(PySide6.__file__).parent / "Qt"
    libs = [qt / "lib" / f"libQt6{m}.so.6" for m in ("Core", "Gui", "Widgets", "DBus")]
    libs += list((qt / "plugins" / "platforms").glob("libqoffscreen.so"))
    found: list[str] = []
    for lib in libs:
        if not lib.is_file():
            continue
        out = subprocess.run(["ldd", str(lib)], capture_output=True, text=True).stdout
        for name in re.findall(r"^\s*(\S+) => not found", out, re.M):
            if name not in found:
                found.append(name)
    return found


def main() -> int:
    if not sys.platform.startswith("linux"):
        return 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    if r.returncode == 0:
        return 0
    if r.returncode == NO_FONT:
        print("Qt finds no font at all (fontconfig): sudo apt-get install fonts-dejavu-core", file=sys.stderr)
        return 1
    libs = missing_libraries()
    if not libs:  # not found by the loader, or found but unusable (truncated, wrong architecture)
        bad = r"(lib[\w.+-]+\.so[\d.]*): (?:cannot open shared object file|file too short|invalid ELF header|wrong ELF class)"
        libs = list(dict.fromkeys(Path(m).name for m in re.findall(bad, r.stderr)))
    if libs:
        pkgs = sorted({PACKAGES.get(lib, f"(the package with {lib})") for lib in libs})
        print(f"Qt cannot start: missing or broken {', '.join(libs)}. Install: "
              f"sudo apt-get install {' '.join(pkgs)}", file=sys.stderr)
    else:
        last = (r.stderr.strip().splitlines() or ["(no message)"])[-1]
        print(f"Qt cannot start here: {last}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
