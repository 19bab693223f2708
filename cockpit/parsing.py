"""One parser for each value with a grammar of its own: window size, time of day, key
chord, the ``--rotate`` spec and the dim schedule.

The settings table (:mod:`cockpit.settings`), the command line, the ``--wall`` file, the
kiosk, the watchdog and the display care all call these, so a value one of them accepts
is accepted by all, with the same words when it is not. Each raises :class:`ParseError`
(a ``ValueError``) whose ``en``/``zh`` say what is wrong, without naming where the value
was written: the caller adds that.

Qt-free: the settings load before Qt starts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

DAY_MIN = 24 * 60
MIN_DWELL_S = 5.0  # as the rotation.dwell settings
DEFAULT_DWELL_S = 30.0
SIZE_MIN = (320, 240)
SIZE_MAX = 16384


class ParseError(ValueError):
    """Not accepted: ``en`` and ``zh`` say why."""

    def __init__(self, en: str, zh: str = "") -> None:
        super().__init__(en)
        self.en = en
        self.zh = zh or en


# ---- window size ----------------------------------------------------------------------


def parse_size(text: str) -> tuple[int, int]:
    """``"1920x1080"`` (also ``X`` and ``×``) → (1920, 1080), from 320x240 to 16384x16384."""
    m = re.fullmatch(r"(\d{3,5})[xX×](\d{3,5})", text.strip())
    if not m:
        raise ParseError(f"size must look like 1920x1080, got {text!r}", f"窗口大小应形如 1920x1080，而不是 {text!r}")
    w, h = int(m.group(1)), int(m.group(2))
    if not (SIZE_MIN[0] <= w <= SIZE_MAX and SIZE_MIN[1] <= h <= SIZE_MAX):
        raise ParseError(f"size {w}x{h} out of range (320x240 .. 16384x16384)",
                         f"窗口大小 {w}x{h} 超出范围（320x240 至 16384x16384）")
    return w, h


# ---- time of day ----------------------------------------------------------------------


def parse_hhmm(text: Any, *, allow_24: bool = False) -> tuple[int, int]:
    """``"04:00"`` (also ``"4:00"``) → (4, 0); ``"24:00"`` (the end of the day) only with
    ``allow_24``."""
    m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", text) if isinstance(text, str) else None
    if not m:
        raise ParseError(f"{text!r} is not a time of day like \"04:00\"", f"{text!r} 不是 \"04:00\" 这样的时刻")
    h, mi = int(m.group(1)), int(m.group(2))
    if (h, mi) == (24, 0) and allow_24:
        return h, mi
    if h > 23 or mi > 59:
        end = ", or 24:00 for the end of the day" if allow_24 else ""
        raise ParseError(f"{text!r} is not a time of day (00:00 .. 23:59{end})",
                         f"{text!r} 不是一天中的时刻（00:00 … 23:59{'，或 24:00 表示一天结束' if allow_24 else ''}）")
    return h, mi


def format_hhmm(hm: tuple[int, int]) -> str:
    return f"{hm[0]:02d}:{hm[1]:02d}"


# ---- key chord ------------------------------------------------------------------------

MODIFIER_ORDER = ("Ctrl", "Alt", "Shift", "Meta")
_MODIFIERS = {"ctrl": "Ctrl", "control": "Ctrl", "alt": "Alt", "shift": "Shift", "meta": "Meta"}
_NAMED_KEYS = {k.lower(): k for k in (
    "Esc", "Escape", "Tab", "Backspace", "Return", "Enter", "Insert", "Delete", "Pause", "Home",
    "End", "PgUp", "PgDown", "Space", "Up", "Down", "Left", "Right")}


def parse_chord(text: Any) -> str:
    """The kiosk exit chord: at least two of Ctrl, Alt, Shift, Meta and one key, joined by
    ``+`` (``"ctrl+alt+shift+q"`` → ``"Ctrl+Alt+Shift+Q"``, modifiers in that order). Two
    modifiers, so that neither typing nor a one-hand shortcut leaves the kiosk."""
    if not isinstance(text, str):
        raise ParseError("is not text", "不是文本")
    parts = [p.strip() for p in text.split("+")]
    if len(parts) < 2 or not all(parts):
        raise ParseError("is not a key chord", "不是组合键")
    mods: list[str] = []
    for p in parts[:-1]:
        m = _MODIFIERS.get(p.lower())
        if m is None or m in mods:
            raise ParseError(f"is not a key chord: {p!r} is not a modifier", f"不是组合键：{p!r} 不是修饰键")
        mods.append(m)
    key = parts[-1]
    if re.fullmatch(r"[A-Za-z0-9]", key) or re.fullmatch(r"[Ff]([1-9]|1\d|2[0-4])", key):
        key = key.upper()
    elif key.lower() in _NAMED_KEYS:
        key = _NAMED_KEYS[key.lower()]
    else:
        raise ParseError(f"is not a key chord: {key!r} is not a key", f"不是组合键：{key!r} 不是按键")
    if len(mods) < 2:
        raise ParseError("has fewer than two modifiers", "修饰键少于两个")
    return "+".join(sorted(mods, key=MODIFIER_ORDER.index) + [key])


# ---- the --rotate spec ----------------------------------------------------------------


@dataclass
class RotateSpec:
    """What ``--rotate`` asked for: a default dwell, and optionally which tabs in which order."""

    default_dwell_s: float = DEFAULT_DWELL_S
    playlist: list[str] | None = None  # None: every tab, in tab order
    dwell: dict[str, float] = field(default_factory=dict)  # tab id -> its own dwell


def parse_duration(text: str) -> float:
    """Seconds from "30", "30s", "1.5m", "2m"; ValueError otherwise (or if not positive)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(s|m|min)?\s*", text)
    if not m:
        raise ParseError(f"{text!r} is not a duration (seconds, e.g. 30, 45s or 2m)")
    value = float(m.group(1)) * (60 if m.group(2) in ("m", "min") else 1)
    if value <= 0:
        raise ParseError(f"{text!r}: a duration must be more than 0")
    return value


def parse_rotate(text: str) -> RotateSpec:
    """Parse ``--rotate``: ``30`` (every tab 30 s) or ``city=60,dyeing,ic=20`` (these tabs,
    in this order; a tab without ``=`` gets the default dwell, which a bare number among
    the items sets: ``20,city=60,ic``). ValueError naming the item that is wrong."""
    spec = RotateSpec()
    ids: list[str] = []
    items = [p.strip() for p in text.split(",")]
    if not any(items):
        raise ParseError("--rotate: empty; give seconds (30) or tabs (city=60,dyeing,ic)")
    for item in items:
        if not item:
            raise ParseError(f"--rotate {text!r}: an empty item between commas")
        name, sep, secs = item.partition("=")
        name = name.strip()
        if not sep and re.fullmatch(r"[\d.]+\s*(s|m|min)?", name):
            spec.default_dwell_s = _dwell(name, item)
            continue
        if not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
            raise ParseError(f"--rotate item {item!r}: {name!r} is not a tab id (like city, dyeing, enterprise)")
        if name in ids:
            raise ParseError(f"--rotate item {item!r}: tab {name!r} is listed twice")
        ids.append(name)
        if sep:
            spec.dwell[name] = _dwell(secs, item)
    spec.playlist = ids or None
    return spec


def _dwell(text: str, item: str) -> float:
    try:
        value = parse_duration(text)
    except ValueError as exc:
        raise ParseError(f"--rotate item {item!r}: {exc}") from None
    if value < MIN_DWELL_S:
        raise ParseError(f"--rotate item {item!r}: a dwell under {MIN_DWELL_S:.0f} s cannot be read")
    return value


# ---- the dim schedule -----------------------------------------------------------------


@dataclass(frozen=True)
class DimRange:
    start_min: int  # minutes after midnight
    end_min: int  # exclusive; 1440 = the end of the day
    level: float

    def covers(self, minute: float) -> bool:
        if self.start_min < self.end_min:
            return self.start_min <= minute < self.end_min
        return minute >= self.start_min or minute < self.end_min

    def as_entry(self) -> dict[str, Any]:
        """As written in the config file: ``{from, to, level}``."""
        return {"from": _hm(self.start_min), "to": _hm(self.end_min), "level": self.level}


def _hm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


_DIM_KEYS = ("from", "to", "level")


def parse_dim_range(entry: Any) -> DimRange:
    """One ``{from = "22:00", to = "06:00", level = 0.3}`` entry (``to`` may be ``"24:00"``)."""
    if not isinstance(entry, Mapping):
        raise ParseError("is not a table {from, to, level}", "不是 {from, to, level} 表")
    extra = sorted(set(entry) - set(_DIM_KEYS))
    if extra:
        raise ParseError(f"unknown key {extra[0]} (the keys are from, to, level)", f"未知的键 {extra[0]}")
    minutes = {}
    for end in ("from", "to"):
        t = entry.get(end)
        try:
            h, mi = parse_hhmm(t, allow_24=end == "to")
        except ParseError:
            shown = f'"{t}"' if isinstance(t, str) else (repr(t) if t is not None else None)
            raise ParseError(f"{end} = {shown or 'missing'} is not a time \"HH:MM\"",
                             f"{end} = {shown or '缺失'} 不是时间 \"HH:MM\"") from None
        minutes[end] = h * 60 + mi
    if minutes["from"] == minutes["to"]:
        raise ParseError("from and to are the same time (the whole day: from \"00:00\" to \"24:00\")",
                         "from 与 to 相同（全天请写 from \"00:00\"、to \"24:00\"）")
    level = entry.get("level")
    if (isinstance(level, bool) or not isinstance(level, int | float) or not math.isfinite(level)
            or not 0 <= level <= 1):
        shown_l = repr(level) if level is not None else "missing"
        raise ParseError(f"level = {shown_l} is not 0 (blank) … 1 (full)",
                         f"level = {shown_l if level is not None else '缺失'} 不在 0（熄屏）… 1（全亮）之间")
    return DimRange(minutes["from"], minutes["to"], float(level))


def parse_dim(entries: Iterable[Any]) -> tuple[DimRange, ...]:
    """A dim schedule; the error names the entry (``item 2: ...``)."""
    out = []
    for i, entry in enumerate(entries, 1):
        try:
            out.append(parse_dim_range(entry))
        except ParseError as exc:
            raise ParseError(f"item {i}: {exc.en}", f"第{i}项：{exc.zh}") from None
    return tuple(out)
