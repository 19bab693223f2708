"""Screenshots of the drill-down (docs/screenshots/drill-*.png): the real window over the
reference server on loopback (now, seed 0), a district drilled into from the city overview
and one level deeper (an industry of the district), at 1920×1080 — or another size:

    QT_QPA_PLATFORM=offscreen python docs/make_drill_screenshots.py [WIDTHxHEIGHT] [OUT_DIR] [zh|en]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from cockpit import i18n
    from cockpit.api.client import ApiClient, ApiError, ClientConfig, HttpError
    from cockpit.central.runner import EmbeddedServer
    from cockpit.central.simulator import Simulator
    from cockpit.hub.hub import BrainUpdate, HubStatus, LinkState
    from cockpit.ui.drill import Place
    from cockpit.ui.main_window import MainWindow

    w, h = (int(x) for x in (argv[0] if argv else "1920x1080").split("x"))
    out = Path(argv[1]) if len(argv) > 1 else DOCS / "screenshots"
    lang = argv[2] if len(argv) > 2 else "zh"
    i18n.use(lang)
    out.mkdir(parents=True, exist_ok=True)
    sim = Simulator(0)
    with EmbeddedServer(sim) as srv:
        client = ApiClient(ClientConfig(srv.url, retries=0))
        now = int(time.time() * 1000)
        win = MainWindow(lang, srv.url, animate=False, demo=True)

        def service(method: str):  # the window's services, answered at once by the real client
            def call(*a: object) -> None:
                *args, cb = a
                try:
                    cb(getattr(client, method)(*args), "", False, int(time.time() * 1000))
                except HttpError as exc:
                    cb(None, str(exc), exc.status == 404, None)
                except ApiError as exc:
                    cb(None, str(exc), False, None)
            return call

        s = win.services
        s.district, s.cluster = service("district"), service("district_cluster")
        s.chain_link, s.profile = service("chain_link"), service("enterprise")
        win.resize(w, h)
        win.on_catalog(client.catalog())
        for b in sim.brain_ids:
            win.on_update(BrainUpdate(b, client.snapshot(b)[0], now))
        win.on_status(HubStatus(LinkState.LIVE, last_update_ms=now))
        win.show_brain("city")
        win.show()
        for _ in range(30):
            app.processEvents()
        shots = [(Place("district", ("keqiao",)), "drill-district"), (Place("cluster", ("keqiao", "dyeing")),
                                                                       "drill-cluster")]
        for place, name in shots:
            win.drill.open(place)
            for _ in range(30):
                app.processEvents()
            suffix = "" if (w, h) == (1920, 1080) and lang == "zh" else f"-{w}x{h}-{lang}"
            path = out / f"{name}{suffix}.png"
            win.grab().save(str(path))
            print(f"{path}: {win.drill.breadcrumb_text()} · {win.drill.state[1]}")
        client.close()
        win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
