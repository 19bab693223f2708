"""The video wall as wired in the app: kiosk, rotation with alarm jumps and the command
keys, a clean restart that keeps the tab and the rotation position, the CLI for it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from cockpit.app import Cockpit, build_parser
from cockpit.watchdog import load_restart_state, save_restart_state
from tests.test_app_e2e import _until, _until_quit

# A closed in-process Cockpit window is kept alive by signal connections to lambdas that
# capture it (see Cockpit._close_windows); deleting it crashed a later run: allowed here.
pytestmark = pytest.mark.leaks_qt("Cockpit window outlives run()")


@pytest.fixture(autouse=True)
def _own_state_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def _args(*argv: str):
    from cockpit import settings as cfg

    parser = build_parser()
    args = parser.parse_args(list(argv))
    args.settings = cfg.load(cfg.given_options(parser, list(argv)), env={})
    cfg.apply_to_args(args.settings, args)
    return args


def _run(qloop, argv: list[str], scenario) -> Cockpit:
    """As _run_app, but with the settings main() would load (kiosk, rotation…)."""
    import asyncio

    from PySide6.QtWidgets import QApplication

    cockpit = Cockpit(QApplication.instance(), _args(*argv, "--cache", "memory"))

    async def main() -> None:
        task = asyncio.ensure_future(cockpit.run())
        try:
            await _until(lambda: cockpit.main is not None, 10, "the window")
            await scenario(cockpit)
        finally:
            cockpit.request_quit()
            await _until_quit(task, 20)

    qloop.run_until_complete(main())
    return cockpit


def test_kiosk_with_rotation_and_its_keys(qloop, qtbot):
    seen: dict = {}

    async def scenario(c: Cockpit) -> None:
        win = c.main
        await _until(lambda: len(win.tabs_by_brain) == 7, 15, "tabs")
        await _until(lambda: c.rotation is not None and c.rotation.playlist == ["city", "dyeing"], 5, "the playlist")
        seen["kiosk"] = (win.isFullScreen(), bool(win.windowFlags() & Qt.WindowType.FramelessWindowHint),
                         win.menuBar().isVisible())
        first = win.current_brain()
        queued = list(c.rotation.alarm_queue)  # a brain whose alarm came is shown next (any brain)
        win.menu_actions["rotate_next"].trigger()
        seen["next"] = (first, win.current_brain(), queued)
        win.menu_actions["rotate_pause"].trigger()
        seen["paused"] = c.rotation.paused
        qtbot.keyClick(win, Qt.Key.Key_Escape)  # a stray Escape does not leave kiosk mode
        seen["after_escape"] = win.isFullScreen()
        seen["diag"] = c._diag_rows()

    _run(qloop, ["--kiosk", "--rotate", "20,city=60,dyeing"], scenario)
    assert seen["kiosk"] == (True, True, False)
    first, second, queued = seen["next"]
    if queued:  # "next" goes to the queued alarm first
        assert second == queued[0], (first, second, queued)
    else:
        assert {first, second} == {"city", "dyeing"}
    assert seen["paused"] is True and seen["after_escape"] is True
    assert seen["diag"]["轮播"] == "已暂停" and "界面卡顿 0 次" in seen["diag"]["看门狗"]


def test_a_restart_keeps_the_tab_and_the_rotation_position(qloop):
    save_restart_state({"tab": "ic", "rotation": None, "kiosk": False}, "scheduled")
    seen: dict = {}

    async def scenario(c: Cockpit) -> None:
        win = c.main
        await _until(lambda: len(win.tabs_by_brain) == 7, 15, "tabs")
        seen["tab"] = win.current_brain()
        # the rotation takes its playlist from the tabs on its next 200 ms tick
        await _until(lambda: c.rotation is not None and bool(c.rotation.playlist), 5, "the playlist")
        c.watchdog.restart("memory")  # what the watchdog does at its hour or over its memory limit
        await _until(lambda: c.restart, 5, "the restart request")
        seen["state"] = load_restart_state()

    _run(qloop, ["--rotate", "30"], scenario)
    assert seen["tab"] == "ic"
    assert seen["state"] is not None and seen["state"]["tab"] == "ic"
    assert seen["state"]["rotation"]["playlist"]


def test_rotate_and_screen_options_reach_the_settings():
    args = _args("--rotate", "20,city=60,dyeing", "--screen", "1", "--kiosk")
    s = args.settings
    assert s["rotation.dwell_s"] == 20 and s["rotation.tabs"] == ["city", "dyeing"]
    assert s["rotation.dwell"] == {"city": 60}
    assert s["display.screen"] == 1 and s["display.kiosk"] is True
    assert s.source("display.kiosk") == "command line --kiosk"


def test_a_wall_file_opens_a_window_per_output_each_with_its_own_rotation(qloop, tmp_path):
    wall = tmp_path / "wall.toml"
    wall.write_text('[[window]]\nscreen = 0\nrotate = "30,city,dyeing"\nkiosk = false\n\n'
                    '[[window]]\nscreen = 0\nrotate = "45,ic,pharma"\nkiosk = true\n', "utf-8")
    seen: dict = {}

    async def scenario(c: Cockpit) -> None:
        await _until(lambda: len(c.windows) == 2 and all(len(w.tabs_by_brain) == 7 for w in c.windows), 15, "tabs")
        await _until(lambda: len(c.rotations) == 2 and all(len(r.playlist) == 2 for r in c.rotations), 5, "rotations")
        second = c.windows[1]
        await _until(lambda: second.current_brain() in ("ic", "pharma"), 5, "the second window's first tab")
        await _until(lambda: second.current_tab() is not None and
                     second.current_tab().widgets_with_data() == second.current_tab().widget_count(), 15, "data")
        seen["playlists"] = [r.playlist for r in c.rotations]
        seen["shown"] = [w.current_brain() for w in c.windows]
        seen["kiosk"] = [w.isFullScreen() for w in c.windows]

    _run(qloop, ["--wall", str(wall)], scenario)
    assert seen["playlists"] == [["city", "dyeing"], ["ic", "pharma"]]
    assert seen["shown"][0] in ("city", "dyeing") and seen["shown"][1] in ("ic", "pharma")
    assert seen["kiosk"] == [False, True]


def test_a_wrong_wall_file_says_where_and_opens_one_window(qloop, tmp_path):
    wall = tmp_path / "wall.toml"
    wall.write_text('[[window]]\nscreen = 0\n\n[[window]]\nscreen = 1\nrotate = "city=2"\n', "utf-8")
    seen: dict = {}

    async def scenario(c: Cockpit) -> None:
        await _until(lambda: len(c.main.tabs_by_brain) == 7, 15, "tabs")
        seen["windows"] = len(c.windows)
        seen["notice"] = c.main.cache_label.toolTip()

    _run(qloop, ["--wall", str(wall)], scenario)
    assert seen["windows"] == 1
    assert "wall.toml:4: window 2: rotate:" in seen["notice"]
