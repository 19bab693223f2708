"""--install-autostart / --install-desktop and their undo, in a temporary HOME (never the
real user's folders): what is written is what a desktop and systemd read at login."""

from __future__ import annotations

import configparser
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from cockpit import app, deploy


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _entry(path: Path) -> configparser.SectionProxy:
    cp = configparser.ConfigParser(interpolation=None)
    cp.optionxform = str  # keys are case-sensitive
    cp.read_string(path.read_text("utf-8"))
    return cp["Desktop Entry"]


def test_install_autostart_writes_an_entry_and_a_restarting_unit_then_undoes_it(home, monkeypatch, capsys):
    calls: list[list[str]] = []
    monkeypatch.setattr(deploy, "_run", lambda cmd: calls.append(cmd) or 0)
    monkeypatch.setattr(deploy.shutil, "which", lambda name: "/usr/bin/systemctl" if name == "systemctl" else None)
    (home / "wall.toml").write_text("")
    code = app.main(["--install-autostart", "--config", "wall.toml", "--kiosk", "--rotate", "30"])
    assert code == 0
    entry = home / "config" / "autostart" / "industry-brain-cockpit.desktop"
    unit = home / "config" / "systemd" / "user" / "industry-brain-cockpit.service"
    e = _entry(entry)
    assert e["Type"] == "Application" and "systemctl --user restart industry-brain-cockpit.service" in e["Exec"]
    assert "import-environment DISPLAY WAYLAND_DISPLAY" in e["Exec"]
    cp = configparser.ConfigParser(interpolation=None)
    cp.read_string(unit.read_text("utf-8"))
    assert cp["Service"]["Restart"] == "on-failure" and cp["Service"]["RestartSec"] == "5"
    cmd = shlex.split(cp["Service"]["ExecStart"])
    # the wall's options, its config made absolute (login does not start in this folder)
    assert cmd[-5:] == ["--config", str(home / "wall.toml"), "--kiosk", "--rotate", "30"]
    assert "--install-autostart" not in cmd
    assert ["systemctl", "--user", "daemon-reload"] in calls
    out = capsys.readouterr().out
    assert str(entry) in out and str(unit) in out
    # nothing was written outside the temporary folders
    assert not (home / "home").exists()

    assert app.main(["--uninstall-autostart"]) == 0
    assert not entry.exists() and not unit.exists()
    assert ["systemctl", "--user", "stop", "industry-brain-cockpit.service"] in calls


def test_without_systemd_the_entry_starts_the_cockpit_itself(home, monkeypatch):
    paths = deploy.install_autostart(["--wall", "w.toml"], has_systemd=False, run=lambda c: 1 / 0)
    e = _entry(paths[0])
    assert "systemctl" not in e["Exec"] and e["Exec"].endswith(f"--wall {home / 'w.toml'}")


def test_install_desktop_puts_the_menu_entry_and_every_icon_size(home):
    written = deploy.install_desktop(["--lang", "en"])
    e = _entry(home / "data" / "applications" / "industry-brain-cockpit.desktop")
    assert e["Name[zh_CN]"] == "产业大脑驾驶舱" and e["Icon"] == "industry-brain-cockpit"
    assert e["Exec"].endswith("--lang en")
    icons = home / "data" / "icons" / "hicolor"
    assert (icons / "scalable" / "apps" / "industry-brain-cockpit.svg").read_text().startswith("<svg")
    for size in (16, 32, 48, 64, 128, 256):
        png = icons / f"{size}x{size}" / "apps" / "industry-brain-cockpit.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", png
    assert set(deploy.uninstall_desktop()) == set(written)
    assert not any(p.is_file() for p in (home / "data").rglob("*"))


def test_the_icons_are_what_the_svg_draws(qapp):
    from PySide6.QtGui import QImage

    from cockpit.resources import resources_dir

    for size in (16, 48, 256):
        img = QImage(str(resources_dir() / "icons" / f"industry-brain-cockpit-{size}.png"))
        assert img.width() == img.height() == size
        centre = img.pixelColor(size // 2, size // 2)
        assert centre.alpha() == 255  # drawn, not an empty canvas


def test_version_is_printed_without_starting_qt():
    r = subprocess.run([sys.executable, "-m", "cockpit", "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == f"cockpit {app.__version__}"
