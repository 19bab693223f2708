"""The digital-twin screenshots (docs/screenshots/twin-dyeing.png, twin-wine.png and their
-4k versions): the twin view of the largest simulated dyeing mill and rice-wine brewery,
fed by the reference simulator (default seed), offscreen, at 1920×1080 and 3840×2160."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from cockpit import fonts  # noqa: E402
from cockpit.central.simulator import Simulator  # noqa: E402
from cockpit.central.twins import twin  # noqa: E402
from cockpit.ui.twin_view import TwinView  # noqa: E402
from widgets.theme import use_palette  # noqa: E402

SHOTS = Path(__file__).resolve().parent / "screenshots"


def main() -> int:
    app = QApplication(sys.argv)
    fonts.register()
    use_palette("dark")
    sim = Simulator(0)
    now = int(time.time() * 1000)
    for brain, name in (("dyeing", "twin-dyeing"), ("wine", "twin-wine")):
        running = [x for x in sim.firms.enterprises(brain) if sim.firms.status_of(x, now) == "running"]
        e = max(running or sim.firms.enterprises(brain), key=lambda x: x.weight)  # the largest one at work

        def fetch(code: str, cb, e=e) -> None:  # noqa: ANN001
            cb(twin(sim, code, now), "", False, now)

        for size, suffix in (((1920, 1080), ""), ((3840, 2160), "-4k")):
            view = TwinView("zh", e.code, e.name.zh, fetch)
            view.resize(*size)
            view.show()
            app.processEvents()
            view.grab().save(str(SHOTS / f"{name}{suffix}.png"))
            print(f"docs/screenshots/{name}{suffix}.png")
            view.close()
            view.deleteLater()
            app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
