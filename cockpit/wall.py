"""``--wall FILE``: several windows from one process, one per output of a video wall.

The file (TOML) lists the windows; each opens on its screen with its own tabs to rotate
through and its own dwell::

    [[window]]
    screen = 0
    rotate = "30"                   # as --rotate: "30" or "20,city=60,dyeing"
    kiosk = true                    # default true: a wall output has no window frame

    [[window]]
    screen = 1
    rotate = "45,ic,pharma"

Every window shows the same live data (one hub, one cache); each rotates on its own, and
a brain with a new alarm jumps the queue in every window that rotates through it. A
wrong file is reported with its line and key, and the cockpit opens one window instead.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from cockpit.parsing import parse_rotate

MAX_WINDOWS = 16


class WallError(ValueError):
    """A wall file that cannot be used; the message names the file, the line or key, and why."""


@dataclass(frozen=True)
class WallWindow:
    screen: int
    rotate: str | None
    kiosk: bool


def load_wall(path: Path) -> list[WallWindow]:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WallError(f"{path}: cannot be read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise WallError(f"{path}: TOML syntax: {exc}") from None
    unknown = sorted(set(data) - {"window"})
    if unknown:
        raise WallError(f"{path}: unknown key {unknown[0]!r} (a wall file has [[window]] tables only)")
    raw = data.get("window")
    if not isinstance(raw, list) or not raw:
        raise WallError(f"{path}: no [[window]] tables: list one per screen")
    if len(raw) > MAX_WINDOWS:
        raise WallError(f"{path}: {len(raw)} windows; at most {MAX_WINDOWS}")
    heads = [i for i, line in enumerate(text.splitlines(), 1) if re.match(r"^\s*\[\[\s*window\s*\]\]", line)]
    out = []
    for i, w in enumerate(raw):
        where = f"{path}:{heads[i] if i < len(heads) else 0}: window {i + 1}"
        if not isinstance(w, dict):
            raise WallError(f"{where}: must be a table")
        extra = sorted(set(w) - {"screen", "rotate", "kiosk"})
        if extra:
            raise WallError(f"{where}: unknown key {extra[0]!r} (known: screen, rotate, kiosk)")
        screen = w.get("screen", i)
        if not isinstance(screen, int) or isinstance(screen, bool) or not 0 <= screen < 64:
            raise WallError(f"{where}: screen must be a whole number 0–63, not {screen!r}")
        rotate = w.get("rotate")
        if rotate is not None:
            if isinstance(rotate, int | float) and not isinstance(rotate, bool):
                rotate = str(rotate)
            if not isinstance(rotate, str):
                raise WallError(f"{where}: rotate must be text like \"30\" or \"20,city=60,dyeing\", not {rotate!r}")
            try:
                parse_rotate(rotate)
            except ValueError as exc:
                raise WallError(f"{where}: rotate: {exc}") from None
        kiosk = w.get("kiosk", True)
        if not isinstance(kiosk, bool):
            raise WallError(f"{where}: kiosk must be true or false, not {kiosk!r}")
        out.append(WallWindow(screen, rotate, kiosk))
    return out
