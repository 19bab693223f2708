"""The typed config: one field per setting, parsed once, and every setting docs/CONFIG.md
lists changes what the cockpit does (each key names the test that shows it)."""

from __future__ import annotations

import dataclasses
import logging
import re
from datetime import datetime
from pathlib import Path

import pytest
from helpers import until

from cockpit import settings as S
from cockpit.config import Config, config_of, defaults, from_args
from cockpit.parsing import DimRange

ROOT = Path(__file__).resolve().parent.parent


def config(*sets: str, **cli: object) -> Config:
    """The config of ``--set KEY=VALUE ...`` (no file, no environment); problems fail."""
    st = S.load({"set": list(sets), **cli}, env={}, path=Path("/dev/null"))
    assert not st.problems, [p.message for p in st.problems]
    return config_of(st)


# ---- the object -----------------------------------------------------------------------


def test_one_typed_field_per_setting_and_nothing_else():
    fields = {f"{sec.name}.{f.name}" for sec in dataclasses.fields(Config) if sec.name != "settings"
              for f in dataclasses.fields(sec.type if isinstance(sec.type, type) else getattr(Config(), sec.name))}
    assert fields == set(S.BY_KEY)
    assert defaults() == Config()  # the dataclass defaults are the table's


def test_values_arrive_typed_and_frozen():
    c = config("display.size=1280x720", "display.layouts=/srv/a, ~/b", "watchdog.restart_at=04:30",
               "care.dim=22:00-06:00=0.3", "rotation.tabs=city, ic", "rotation.dwell=city=60",
               "cache.path=memory", "log.dir=~/logs")
    assert c.display.size == (1280, 720)
    assert c.display.layouts == (Path("/srv/a"), Path("~/b").expanduser())
    assert c.watchdog.restart_at == (4, 30)
    assert c.care.dim == (DimRange(22 * 60, 6 * 60, 0.3),)
    assert c.rotation.tabs == ("city", "ic") and dict(c.rotation.dwell) == {"city": 60.0}
    assert c.cache.in_memory and c.log.dir == Path("~/logs").expanduser()
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.display.lang = "en"  # type: ignore[misc]
    with pytest.raises(TypeError):
        c.rotation.dwell["ic"] = 5  # type: ignore[index]
    assert c.replace("api.url", "http://x:1").api.url == "http://x:1" and c.api.url == ""


def test_a_parsed_command_line_alone_gives_its_config():
    from cockpit.app import build_parser

    args = build_parser().parse_args(["--lang", "en", "--size", "800x600", "--no-stream", "--rotate", "20,city"])
    c = from_args(args)
    assert (c.display.lang, c.display.size, c.api.stream) == ("en", (800, 600), False)
    assert (c.rotation.dwell_s, c.rotation.tabs) == (20.0, ("city",))


def test_the_one_chord_rule_is_the_kiosks_and_the_settings(qapp):
    from cockpit.ui.kiosk import parse_chord

    for chord in ("Ctrl+Q", "Shift+Q", "Q"):
        with pytest.raises(ValueError):
            parse_chord(chord)
        st = S.load({"set": [f"kiosk.exit_chord={chord}"]}, env={}, path=Path("/dev/null"))
        assert st.problems and st["kiosk.exit_chord"] == "Ctrl+Alt+Shift+Q"
    assert parse_chord("alt+ctrl+f12").toCombined() == parse_chord("Ctrl+Alt+F12").toCombined()


def test_a_wrong_rotate_flag_is_a_problem_not_a_crash():
    st = S.load({"rotate": "city=2"}, env={}, path=Path("/dev/null"))
    assert st["rotation.dwell_s"] == 0.0
    assert st.problems[0].message.startswith("command line --rotate: --rotate item 'city=2': a dwell under 5 s")


# ---- every documented setting has an effect ---------------------------------------------

# key -> the test (file::name) that shows the setting changes what the cockpit does
EFFECTS = {
    "api.url": "test_config.py::test_api_and_display_settings_reach_the_running_cockpit",
    "api.token_env": "test_config.py::test_api_and_display_settings_reach_the_running_cockpit",
    "api.poll_s": "test_config.py::test_api_and_display_settings_reach_the_running_cockpit",
    "api.stream": "test_config.py::test_api_and_display_settings_reach_the_running_cockpit",
    "api.seed": "test_config.py::test_the_seed_picks_the_simulated_data_and_its_cache_file",
    "display.lang": "test_config.py::test_api_and_display_settings_reach_the_running_cockpit",
    "display.tab": "test_config.py::test_api_and_display_settings_reach_the_running_cockpit",
    "display.size": "test_config.py::test_api_and_display_settings_reach_the_running_cockpit",
    "display.colors": "test_config.py::test_look_settings_change_colours_palette_and_language",
    "display.layouts": "test_config.py::test_api_and_display_settings_reach_the_running_cockpit",
    "display.theme": "test_config.py::test_look_settings_change_colours_palette_and_language",
    "display.screen": "test_config.py::test_wall_settings_change_the_window",
    "display.kiosk": "test_config.py::test_wall_settings_change_the_window",
    "kiosk.exit_chord": "test_config.py::test_wall_settings_change_the_window",
    "kiosk.pin": "test_config.py::test_wall_settings_change_the_window",
    "display.profile": "test_legibility.py::test_the_profile_is_a_wall_when_the_cockpit_runs_as_one",
    "rotation.dwell_s": "test_config.py::test_wall_settings_change_the_window",
    "rotation.tabs": "test_config.py::test_wall_settings_change_the_window",
    "rotation.dwell": "test_config.py::test_wall_settings_change_the_window",
    "rotation.pause_resume_s": "test_config.py::test_wall_settings_change_the_window",
    "rotation.alarm_hold_s": "test_config.py::test_wall_settings_change_the_window",
    "rotation.drill_return_s": "test_config.py::test_wall_settings_change_the_window",
    "care.pixel_shift": "test_config.py::test_wall_settings_change_the_window",
    "care.dim": "test_config.py::test_wall_settings_change_the_window",
    "watchdog.restart_at": "test_config.py::test_watchdog_settings",
    "watchdog.max_rss_mb": "test_config.py::test_watchdog_settings",
    "fleet.display_id": "test_config.py::test_api_and_display_settings_reach_the_running_cockpit",
    "fleet.heartbeat_s": "test_config.py::test_api_and_display_settings_reach_the_running_cockpit",
    "alarm.operator": "test_alarm_loop.py::test_the_journal_in_the_app_acknowledges_and_assigns_through_the_api",
    "alarm.sound": "test_alarm_loop.py::test_the_journal_in_the_app_acknowledges_and_assigns_through_the_api",
    "alarm.sync_s": "test_alarm_loop.py::test_the_journal_in_the_app_acknowledges_and_assigns_through_the_api",
    "log.level": "test_config.py::test_log_settings",
    "log.dir": "test_config.py::test_log_settings",
    "log.max_bytes": "test_config.py::test_log_settings",
    "log.backups": "test_config.py::test_log_settings",
    "cache.path": "test_config.py::test_cache_settings_reach_the_cache",
    "cache.retention_days": "test_config.py::test_cache_settings_reach_the_cache",
    "cache.max_mb": "test_config.py::test_cache_settings_reach_the_cache",
}


def test_every_documented_setting_names_a_test_of_its_effect():
    documented = set(re.findall(r"^\|\s*`([a-z_]+\.[a-z_]+)`", (ROOT / "docs" / "CONFIG.md").read_text("utf-8"),
                                re.M))
    assert documented == set(S.BY_KEY) == set(EFFECTS)
    for key, where in EFFECTS.items():
        file, name = where.split("::")
        assert re.search(rf"^def {name}\(", (ROOT / "tests" / file).read_text("utf-8"), re.M), (key, where)


_until = until


def _run(qloop, config: Config, scenario, **opts: object) -> None:  # noqa: ANN001
    import asyncio

    from PySide6.QtWidgets import QApplication

    from cockpit.app import Cockpit, build_parser

    args = build_parser().parse_args([])
    for k, v in opts.items():
        setattr(args, k, v)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    cockpit = Cockpit(app, args, config)

    async def main() -> None:
        task = asyncio.ensure_future(cockpit.run())
        try:
            await _until(lambda: cockpit.main is not None, "the window")
            await scenario(cockpit)
        finally:
            cockpit.request_quit()
            await asyncio.wait_for(task, 10)

    qloop.run_until_complete(main())


@pytest.mark.leaks_qt("Cockpit window outlives run()")
def test_api_and_display_settings_reach_the_running_cockpit(qloop, tmp_path, monkeypatch):
    from cockpit.central.runner import EmbeddedServer
    from cockpit.central.simulator import Simulator

    layouts = tmp_path / "layouts"
    layouts.mkdir()
    (layouts / "ic.toml").write_text('[layout]\ncolumns = 24\nrows = 12\n\n[[panel]]\nwidget = "tile"\n'
                                     'cell = [0, 0, 4, 2]\nmetric = "ic.wafer_starts_today"\n', "utf-8")
    monkeypatch.setenv("TEST_COCKPIT_TOKEN", "s3cret-token")
    seen: dict = {}
    with EmbeddedServer(Simulator(seed=7)) as srv:
        c = config(f"api.url={srv.url}", "api.token_env=TEST_COCKPIT_TOKEN", "api.poll_s=2.5", "api.stream=false",
                   "display.lang=en", "display.tab=ic", "display.size=1024x640", f"display.layouts={layouts}",
                   "fleet.display_id=hall-3", "fleet.heartbeat_s=5", "cache.path=memory")

        async def scenario(ck) -> None:  # noqa: ANN001
            win = ck.main
            await _until(lambda: win.current_tab() is not None and ck.hub.status.state.value == "live", "live")
            await _until(lambda: ck.fleet is not None and ck.fleet.sent >= 1, "a heartbeat")
            seen["client"] = (ck.client.config.base_url, ck.client.config.token)
            seen["hub"] = (ck.hub.poll_interval_s, ck.hub.status.mode)
            seen["window"] = (win.lang, win.current_brain(), win.width(), win.height(), win.windowTitle())
            seen["widgets"] = win.current_tab().widget_count()
            seen["fleet"] = ck.fleet.period_s
            seen["displays"] = [d.heartbeat.display_id for d in
                                (await __import__("asyncio").get_running_loop().run_in_executor(
                                    ck.executor, ck.client.displays)).displays]

        _run(qloop, c, scenario)
    assert seen["client"] == (c.api.url, "s3cret-token")
    assert seen["hub"] == (2.5, "poll")
    lang, tab, w, h, title = seen["window"]
    assert (lang, tab, w, h) == ("en", "ic", 1024, 640) and "Industry Brain Cockpit" in title
    assert seen["widgets"] == 1  # the layout folder's ic.toml (one tile), not the shipped one
    assert seen["fleet"] == 5.0 and "hall-3" in seen["displays"]


def test_the_seed_picks_the_simulated_data_and_its_cache_file(qapp, tmp_path, monkeypatch):
    import time

    from cockpit.api.client import ApiClient, ClientConfig
    from cockpit.app import Cockpit, build_parser
    from cockpit.cache import default_cache_path
    from cockpit.hub.history import open_cache

    ts = (time.time_ns() // 1_000_000 - 86_400_000) // 60_000 * 60_000  # a minute of yesterday, fixed
    values: dict[int, list] = {}
    for seed in (1, 2, 1):
        ck = Cockpit(qapp, build_parser().parse_args([]), config(f"api.seed={seed}"))
        client = ApiClient(ClientConfig(ck._start_embedded(None)))  # the app's embedded API
        try:
            resp = client.series(["city.power_load"], ts - 600_000, ts, 60)
            values.setdefault(seed, []).append([v for s in resp.series for _t, v in s.points])
        finally:
            client.close()
            assert ck.server is not None
            ck.server.stop()
    assert values[1][0] == values[1][1] != values[2][0] and len(values[2][0]) >= 10
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    paths = {open_cache(c.cache, f"embedded-seed-{c.api.seed}").path for c in (config("api.seed=1"),
                                                                              config("api.seed=2"))}
    assert paths == {default_cache_path("embedded-seed-1"), default_cache_path("embedded-seed-2")}


def test_look_settings_change_colours_palette_and_language(qapp):
    from cockpit import i18n
    from cockpit.app import apply_look
    from cockpit.ui.text import tr
    from widgets import theme

    try:
        apply_look(config("display.colors=market", "display.theme=light", "display.lang=en"))
        assert theme.change_convention() == "market" and theme.palette_name() == "light"
        assert theme.change_color(+1, True) == theme.change_color(+1, False)  # market: up is red, good or bad
        assert tr("app_title", "en") == "Industry Brain Cockpit"
        apply_look(config("display.theme=high-contrast"))
        assert theme.change_convention() == "status" and theme.palette_name() == "high-contrast"
        assert theme.change_color(+1, True) != theme.change_color(+1, False)
    finally:
        apply_look(Config())
        i18n.use("zh")


def test_wall_settings_change_the_window(qtbot):
    from PySide6.QtCore import Qt

    from cockpit.ui.display_care import DimOverlay, PixelShifter
    from cockpit.ui.kiosk import is_kiosk, kiosk_of
    from cockpit.ui.main_window import MainWindow
    from cockpit.ui.wall_setup import start_wall

    plain = MainWindow("zh", "test", None, animate=False)
    qtbot.addWidget(plain)
    parts = start_wall(plain, Config())
    assert parts.rotation is None and parts.shifter is None and parts.dim is None and not is_kiosk(plain)

    c = config("rotation.dwell_s=40", "rotation.tabs=city, ic", "rotation.dwell=ic=90", "rotation.pause_resume_s=300",
               "rotation.alarm_hold_s=20", "rotation.drill_return_s=45", "care.pixel_shift=true", "care.dim=00:00-24:00=0.4",
               "display.kiosk=true", "display.screen=0", "kiosk.exit_chord=Ctrl+Alt+F12", "kiosk.pin=2468")
    win = MainWindow("zh", "test", None, animate=False)
    qtbot.addWidget(win)
    parts = start_wall(win, c)
    rot = parts.rotation
    assert rot is not None
    assert (rot.default_dwell_s, rot.dwell_of("ic"), rot.dwell_of("city")) == (40.0, 90.0, 40.0)
    assert (rot.pause_resume_s, rot.alarm_hold_s) == (300.0, 20.0)
    assert win.drill.rotation is rot and win.drill.idle_return_s == 45.0  # a drilled view returns after 45 s
    qtbot.waitUntil(lambda: rot.playlist == ["city", "ic"], timeout=2000)
    assert isinstance(parts.shifter, PixelShifter) and isinstance(parts.dim, DimOverlay)
    assert parts.dim.schedule.level_at(datetime(2026, 1, 1, 12, 0)) == 0.4
    assert is_kiosk(win)
    k = kiosk_of(win)
    assert k is not None and k.chord_text == "Ctrl+Alt+F12" and k.pin == "2468"
    assert k.chord.key() == Qt.Key.Key_F12
    k.exit_requested()  # with a PIN: asks for it instead of leaving
    assert is_kiosk(win)
    for w in (plain, win):
        w.close()


def test_watchdog_settings(qtbot):
    from cockpit.ui.main_window import MainWindow
    from cockpit.ui.wall_setup import start_watchdog

    win = MainWindow("zh", "test", None, animate=False)
    qtbot.addWidget(win)
    off = start_watchdog(win, Config(), None, lambda _r: None)
    on = start_watchdog(win, config("watchdog.restart_at=04:30", "watchdog.max_rss_mb=900"), None, lambda _r: None)
    try:
        assert off.status()["restart"]["at"] is None and off.status()["memory"]["max_rss_mb"] is None
        assert on.status()["restart"]["at"] == "04:30" and on.status()["memory"]["max_rss_mb"] == 900
    finally:
        off.stop()
        on.stop()
        win.close()


def test_log_settings(tmp_path):
    from cockpit import logs
    from cockpit.app import start_logging

    folder = tmp_path / "logs"
    try:
        path = start_logging(config(f"log.dir={folder}", "log.level=WARNING", "log.max_bytes=20000",
                                    "log.backups=2"))
        assert path == folder / logs.LOG_NAME
        logging.getLogger("cockpit.test").info("not written at WARNING")
        logging.getLogger("cockpit.test").warning("written")
        text = path.read_text("utf-8")
        assert "written" in text and "not written" not in text
        for i in range(400):  # 400 lines of ~100 bytes: rotated at 20 kB, two old files kept
            logging.getLogger("cockpit.test").warning("line %03d %s", i, "x" * 60)
        files = sorted(p.name for p in folder.iterdir())
        assert files == ["cockpit.log", "cockpit.log.1", "cockpit.log.2"], files
        assert all(p.stat().st_size <= 20_000 for p in folder.iterdir())
    finally:
        logs.close_logging()


def test_cache_settings_reach_the_cache(qloop, tmp_path):
    from cockpit.hub.history import MB, open_cache

    day = 86_400_000
    now = 1_790_000_000_000
    seen = {}

    async def go() -> None:
        for name, c in (("default", config(f"cache.path={tmp_path / 'a.sqlite'}")),
                        ("short", config(f"cache.path={tmp_path / 'b.sqlite'}", "cache.retention_days=2",
                                         "cache.max_mb=16")),
                        ("memory", config("cache.path=memory"))):
            cache = open_cache(c.cache, "unused")
            await cache.start()
            try:
                await cache.write_points([("m", now - 5 * day, 1.0), ("m", now - day // 2, 2.0)])
                await cache.prune(now)
                pts = await cache.points_many(["m"], now - 10 * day, now)
                seen[name] = ([float(v) for v in pts["m"][1]], (await cache.stats())["max_bytes"], cache.path_in_use)
            finally:
                await cache.close()

    qloop.run_until_complete(go())
    assert seen["default"][:2] == ([1.0, 2.0], 256 * MB)  # 30 days kept
    assert seen["short"][:2] == ([2.0], 16 * MB)  # 2 days kept, a 16 MiB cap
    assert seen["default"][2] == tmp_path / "a.sqlite" and seen["memory"][2] is None
