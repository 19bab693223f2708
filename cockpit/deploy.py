"""Putting the cockpit on a machine: the wall's autostart, the desk's menu entry and icon.

``cockpit --install-autostart [options]``: at login to the graphical session, the wall
starts with the options given (its --config, --wall, --kiosk...), and restarts if it dies:

- ``<XDG_CONFIG_HOME>/autostart/industry-brain-cockpit.desktop`` — the XDG autostart entry
  every desktop runs at login (GNOME, KDE, Xfce, UOS/Deepin, Kylin/UKUI);
- ``<XDG_CONFIG_HOME>/systemd/user/industry-brain-cockpit.service`` — a systemd user unit
  with ``Restart=on-failure``; where ``systemctl`` is there, the autostart entry hands
  the session's display to the user manager and starts this unit, so a crash (or a kill)
  brings the wall back after 5 s. An operator's clean exit (the kiosk exit chord) stays
  down. Without systemd the entry starts the cockpit directly (its watchdog still
  restarts it when it hangs or grows).

``--uninstall-autostart`` stops the unit and removes both files. ``--install-desktop``
puts the menu entry and the icons (SVG and PNG sizes) under ``<XDG_DATA_HOME>``;
``--uninstall-desktop`` removes them. Qt-free: it runs before Qt starts.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from cockpit.resources import APP_NAME, resources_dir

UNIT = f"{APP_NAME}.service"
FLAGS = ("--install-autostart", "--uninstall-autostart", "--install-desktop", "--uninstall-desktop")
PATH_OPTIONS = ("--config", "--wall", "--layouts")  # file options made absolute for login
SESSION_ENV = ("DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "XDG_RUNTIME_DIR", "XDG_SESSION_TYPE",
               "XDG_CURRENT_DESKTOP", "DBUS_SESSION_BUS_ADDRESS")

Runner = Callable[[list[str]], int]


def _run(cmd: list[str]) -> int:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=30).returncode
    except (OSError, subprocess.TimeoutExpired):
        return 1


def _xdg(env: Mapping[str, str], var: str, default: str) -> Path:
    value = env.get(var, "").strip()
    if value and Path(value).is_absolute():
        return Path(value)
    return Path(env.get("HOME") or Path.home()) / default


def config_home(env: Mapping[str, str] | None = None) -> Path:
    return _xdg(os.environ if env is None else env, "XDG_CONFIG_HOME", ".config")


def data_home(env: Mapping[str, str] | None = None) -> Path:
    return _xdg(os.environ if env is None else env, "XDG_DATA_HOME", ".local/share")


def cockpit_command(options: Sequence[str], cwd: Path | None = None) -> list[str]:
    """The command that starts this cockpit with these options, paths made absolute."""
    if getattr(sys, "frozen", False):  # the PyInstaller app
        exe = [str(Path(sys.executable).absolute())]
    elif Path(sys.argv[0]).name == "cockpit" and Path(sys.argv[0]).is_file():
        exe = [str(Path(sys.argv[0]).absolute())]
    else:
        found = shutil.which("cockpit")
        # not resolved: a venv's python is a symlink that must stay the venv's
        exe = [found] if found else [str(Path(sys.executable).absolute()), "-m", "cockpit"]
    base = cwd or Path.cwd()
    out: list[str] = []
    take_path = False
    for opt in options:
        if opt in FLAGS:
            continue
        if take_path:
            out.append(str((base / Path(opt).expanduser()).resolve()))
            take_path = False
            continue
        name, eq, value = opt.partition("=")
        if name in PATH_OPTIONS and eq:
            out.append(f"{name}={(base / Path(value).expanduser()).resolve()}")
        else:
            out.append(opt)
            take_path = opt in PATH_OPTIONS
    return exe + out


def _desktop_exec(cmd: Sequence[str]) -> str:
    """An Exec= value: arguments quoted as the Desktop Entry spec wants ("..." with \\ escapes)."""
    def q(arg: str) -> str:
        if arg and not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`%'):
            return arg
        return '"' + arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$") + '"'
    return " ".join(q(a).replace("%", "%%") for a in cmd)


def unit_text(cmd: Sequence[str]) -> str:
    return (
        "[Unit]\n"
        "Description=Industry Brain Cockpit (video wall)\n"
        "After=graphical-session.target\n"
        "PartOf=graphical-session.target\n"
        "StartLimitIntervalSec=300\n"
        "StartLimitBurst=20\n\n"
        "[Service]\n"
        "Type=simple\n"
        f"ExecStart={shlex.join(cmd).replace('%', '%%')}\n"  # % starts a systemd specifier
        "Restart=on-failure\n"
        "RestartSec=5\n"
        "Environment=PYTHONUNBUFFERED=1\n"
    )


def autostart_text(cmd: Sequence[str], with_systemd: bool) -> str:
    if with_systemd:
        start = (f"systemctl --user import-environment {' '.join(SESSION_ENV)}; "
                 f"exec systemctl --user restart {UNIT}")
        exec_line = _desktop_exec(["sh", "-c", start])
    else:
        exec_line = _desktop_exec(cmd)
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Industry Brain Cockpit (wall)\n"
        "Name[zh_CN]=产业大脑驾驶舱（大屏）\n"
        "Comment=Starts the cockpit at login\n"
        f"Exec={exec_line}\n"
        f"Icon={APP_NAME}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
        f"X-Cockpit-Command={shlex.join(cmd)}\n"
    )


def install_autostart(options: Sequence[str], env: Mapping[str, str] | None = None,
                      run: Runner | None = None, has_systemd: bool | None = None) -> list[Path]:
    cmd = cockpit_command(options)
    home = config_home(env)
    systemd = shutil.which("systemctl") is not None if has_systemd is None else has_systemd
    run = run or _run
    entry = home / "autostart" / f"{APP_NAME}.desktop"
    unit = home / "systemd" / "user" / UNIT
    for path, text in ((entry, autostart_text(cmd, systemd)), (unit, unit_text(cmd))):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    if systemd:
        run(["systemctl", "--user", "daemon-reload"])
    return [entry, unit]


def uninstall_autostart(env: Mapping[str, str] | None = None, run: Runner | None = None,
                        has_systemd: bool | None = None) -> list[Path]:
    home = config_home(env)
    systemd = shutil.which("systemctl") is not None if has_systemd is None else has_systemd
    run = run or _run
    if systemd:
        run(["systemctl", "--user", "stop", UNIT])
    removed = []
    for path in (home / "autostart" / f"{APP_NAME}.desktop", home / "systemd" / "user" / UNIT):
        if path.exists():
            path.unlink()
            removed.append(path)
    if systemd:
        run(["systemctl", "--user", "daemon-reload"])
    return removed


def _icon_targets(home: Path) -> list[tuple[Path, Path]]:
    icons = resources_dir() / "icons"
    out = [(icons / f"{APP_NAME}.svg", home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_NAME}.svg")]
    for png in sorted(icons.glob(f"{APP_NAME}-*.png")):
        size = png.stem.rsplit("-", 1)[1]
        out.append((png, home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_NAME}.png"))
    return out


def install_desktop(options: Sequence[str], env: Mapping[str, str] | None = None) -> list[Path]:
    """The menu entry (starting this cockpit with these options) and its icons."""
    home = data_home(env)
    template = (resources_dir() / "desktop" / f"{APP_NAME}.desktop").read_text("utf-8")
    lines = [f"Exec={_desktop_exec(cockpit_command(options))}" if ln.startswith("Exec=") else ln
             for ln in template.splitlines()]
    entry = home / "applications" / f"{APP_NAME}.desktop"
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text("\n".join(lines) + "\n", "utf-8")
    written = [entry]
    for src, dst in _icon_targets(home):
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        written.append(dst)
    return written


def uninstall_desktop(env: Mapping[str, str] | None = None) -> list[Path]:
    home = data_home(env)
    removed = []
    for path in [home / "applications" / f"{APP_NAME}.desktop", *(dst for _s, dst in _icon_targets(home))]:
        if path.exists():
            path.unlink()
            removed.append(path)
    return removed


def main(args, argv: Sequence[str]) -> int:
    """The --install-* / --uninstall-* commands: do it, say what was written."""
    options = list(argv)
    if sys.platform == "win32" or sys.platform == "darwin":
        print("cockpit: --install-autostart/--install-desktop write XDG and systemd files (Linux desktops); "
              "on Windows see docs/WINDOWS.md (Task Scheduler, Start menu shortcut)", file=sys.stderr)
        return 2
    try:
        if args.install_autostart:
            paths = install_autostart(options)
            print(f"autostart installed: {shlex.join(cockpit_command(options))}")
        elif args.uninstall_autostart:
            paths = uninstall_autostart()
            print("autostart removed" if paths else "no autostart was installed")
        elif args.install_desktop:
            paths = install_desktop(options)
            print(f"menu entry and icons installed: {shlex.join(cockpit_command(options))}")
        else:
            paths = uninstall_desktop()
            print("menu entry and icons removed" if paths else "no menu entry was installed")
    except OSError as exc:
        print(f"cockpit: {exc}", file=sys.stderr)
        return 1
    for p in paths:
        print(f"  {p}")
    return 0
