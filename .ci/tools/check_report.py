"""Check a ``cockpit --report`` file: at least six tabs, the theme loaded, every brain's
layout from its file (no automatic layout), the bundled font registered. Used by
``make dist-check`` (the PyInstaller app); .ci/tools/wheel_check.py does the same for the wheel.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def problems(rep: dict, tag: str) -> list[str]:
    out = []
    if len(rep.get("tabs", [])) < 6:
        out.append(f"{tag}: only {len(rep.get('tabs', []))} tabs")
    if not rep.get("theme", {}).get("loaded"):
        out.append(f"{tag}: theme {rep.get('theme')} not loaded")
    for brain, b in rep.get("brains", {}).items():
        if b.get("layout") != "file" or b.get("layout_error"):
            out.append(f"{tag}: brain {brain} uses the {b.get('layout')} layout ({b.get('layout_error')})")
    if "Cockpit Sans SC" not in rep.get("fonts", {}).get("bundled", []):
        out.append(f"{tag}: the bundled font is not registered ({rep.get('fonts')})")
    if "B612" not in rep.get("fonts", {}).get("bundled", []):
        out.append(f"{tag}: the bundled figure face is not registered ({rep.get('fonts')})")
    return out


def main(argv: list[str]) -> int:
    path, tag = Path(argv[0]), (argv[1] if len(argv) > 1 else "report")
    rep = json.loads(path.read_text("utf-8"))
    found = problems(rep, tag)
    for line in found:
        print(line, file=sys.stderr)
    if found:
        return 1
    print(f"{tag} OK: {len(rep['tabs'])} tabs, every brain from its layout file, theme {rep['theme']['name']} "
          f"loaded, font {', '.join(rep['fonts']['bundled'])}, connection {rep['connection']['state']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
