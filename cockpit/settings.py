"""Settings: one table of every setting, read from defaults ← config file ← environment ← command line.

The config file is TOML in the user config folder
(``platformdirs.user_config_path("industry-brain-cockpit") / "config.toml"``), or the file
named by ``COCKPIT_CONFIG`` (or passed as ``path``)::

    [display]
    lang = "en"
    theme = "high-contrast"

Each setting may also be given by an environment variable, ``COCKPIT_`` and the key in
capitals with ``_`` for ``.`` (``COCKPIT_DISPLAY_LANG=en``), and some by a command-line
flag (``--lang en``). The command line wins over the environment, which wins over the
file, which wins over the default; each effective value remembers where it came from.

A wrong value never stops the cockpit: it becomes a :class:`Problem` naming where it was
written (file and line, environment variable or flag), the key, the value given and the
accepted values, and the setting keeps the value of the next lower source (at worst its
default). ``docs/CONFIG.md`` lists every key; it is written from :data:`SETTINGS`.

Qt-free: it runs before Qt starts (``--print-config`` never loads Qt).
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import os
import re
import stat
import tempfile
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cockpit.parsing import (
    DimRange,
    ParseError,
    format_hhmm,
    parse_chord,
    parse_dim,
    parse_hhmm,
    parse_rotate,
    parse_size,
)
from cockpit.resources import APP_NAME

CONFIG_ENV = "COCKPIT_CONFIG"
ENV_PREFIX = "COCKPIT_"
SECRET_SHOWN = "****"

# (id, zh, en) in the order the dialog and the docs show them
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("api", "中央接口", "Central API"),
    ("display", "显示", "Display"),
    ("kiosk", "值守锁定", "Kiosk"),
    ("rotation", "轮播", "Rotation"),
    ("care", "屏幕养护", "Screen care"),
    ("watchdog", "看门狗", "Watchdog"),
    ("fleet", "大屏集群", "Fleet"),
    ("alarm", "告警处置", "Alarm handling"),
    ("log", "日志", "Log"),
    ("cache", "离线缓存", "Offline cache"),
)

_TAB_RE = r"[a-z0-9][a-z0-9_-]{0,31}"


@dataclass(frozen=True)
class Setting:
    """One setting: its key (``section.name``), kind, default, limits and descriptions.

    ``kind`` is one of: ``choice``, ``int``, ``float`` (``lo``/``hi`` bound them; with
    ``off_zero`` 0 means off and is allowed below ``lo``), ``bool``, ``text`` (matched by
    ``pattern``), ``url``, ``size``, ``path``, ``time``, ``chord``, ``pin``, ``tabs`` (a
    list of tab ids), ``paths`` (a list of folders), ``dwell`` (a table tab id → seconds)
    and ``dim`` (a list of ``{from, to, level}``).
    """

    key: str
    kind: str
    default: Any
    en: str
    zh: str
    choices: tuple[str, ...] = ()
    lo: float | None = None
    hi: float | None = None
    off_zero: bool = False
    pattern: str | None = None
    accepted_en: str = ""  # for ``text``: what the pattern accepts, in words
    accepted_zh: str = ""
    cli: str | None = None  # argparse dest of the command-line option, if there is one
    flag: str | None = None  # the option as typed, e.g. "--lang"
    secret: bool = False  # never shown in clear (print_config, messages)
    live: bool = False  # takes effect without a restart
    unit: str = ""

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.key.upper().replace(".", "_").replace("-", "_")

    def describe(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en


def _s(key: str, kind: str, default: Any, en: str, zh: str, **kw: Any) -> Setting:
    return Setting(key, kind, default, en, zh, **kw)


SETTINGS: tuple[Setting, ...] = (
    # --- api
    _s("api.url", "url", "", "central API address; empty: the embedded reference API and simulator",
       "中央接口地址；留空则启动内置参考接口和模拟器", cli="api", flag="--api"),
    _s("api.token_env", "text", "", "name of the environment variable holding the API bearer token",
       "存放接口令牌（Bearer）的环境变量名", pattern=r"[A-Za-z_][A-Za-z0-9_]{0,127}",
       accepted_en='"" (no token) or a variable name (letters, digits, _)',
       accepted_zh='""（不用令牌）或环境变量名（字母、数字、_）', cli="token_env", flag="--token-env"),
    _s("api.poll_s", "float", 1.0, "snapshot poll interval where the push stream is not used",
       "不用推送流时的轮询间隔", lo=0.2, hi=3600, unit="s", cli="poll", flag="--poll"),
    _s("api.stream", "bool", True, "use the push stream (false: poll, for proxies that break server-sent events)",
       "使用实时推送流（false：轮询，用于不支持 SSE 的代理）", cli="no_stream", flag="--no-stream"),
    _s("api.seed", "int", 20261127, "simulator seed of the embedded API (same seed, same data)",
       "内置模拟接口的随机种子（种子相同，数据相同）", lo=0, hi=2**31 - 1, cli="seed", flag="--seed"),
    # --- display
    _s("display.lang", "choice", "zh", "interface language", "界面语言", choices=("zh", "en"),
       cli="lang", flag="--lang"),
    _s("display.tab", "text", "", "tab shown first (a brain id such as dyeing, or enterprise); empty: the first",
       "启动时显示的标签页（产业大脑编号如 dyeing，或 enterprise）；留空为第一个", pattern=_TAB_RE,
       accepted_en='"" or a tab id (a–z, 0–9, _ and -), e.g. "dyeing"',
       accepted_zh='"" 或标签页编号（a–z、0–9、_、-），如 "dyeing"', cli="tab", flag="--tab"),
    _s("display.size", "size", "", "window size WIDTHxHEIGHT; empty: 1920x1080",
       "窗口大小 宽x高；留空为 1920x1080", cli="size", flag="--size"),
    _s("display.colors", "choice", "status",
       "colour of rises and falls: status = green good, red bad; market = red up, green down",
       "涨跌颜色：status 好绿坏红；market 涨红跌绿（同国内行情）", choices=("status", "market"),
       cli="colors", flag="--colors"),
    _s("display.layouts", "paths", [], "folders of layout files used before the user's and the shipped ones",
       "优先使用的布局文件目录（先于用户目录和内置布局）", cli="layouts", flag="--layouts"),
    _s("display.theme", "choice", "dark", "colour theme", "配色主题", choices=("dark", "light", "high-contrast"),
       cli="theme", flag="--theme"),
    _s("display.screen", "int", 0, "screen the window opens on (0: the primary)", "窗口所在的屏幕编号（0 为主屏）",
       lo=0, hi=63, cli="screen", flag="--screen"),
    _s("display.profile", "choice", "auto",
       "text size profile: wall = read from afar (secondary text 15 px at 1080p, top-10 rankings), desk = 12 px; "
       "auto: wall when kiosk, rotating, a --wall set or the fair-booth demo/tour",
       "文字大小档位：wall 远看（1080p 下次要文字 15 像素，排行只显示前 10）；desk 12 像素；"
       "auto：锁定、轮播、多屏或展会演示时为 wall", choices=("auto", "wall", "desk"), cli="profile", flag="--profile"),
    _s("display.kiosk", "bool", False, "full screen, no window frame, exit only by the exit chord (video wall)",
       "全屏无边框，只能用退出组合键退出（大屏值守）", cli="kiosk", flag="--kiosk"),
    # --- kiosk
    _s("kiosk.exit_chord", "chord", "Ctrl+Alt+Shift+Q", "key chord that leaves kiosk mode",
       "退出锁定模式的组合键"),
    _s("kiosk.pin", "pin", "", "PIN asked before leaving kiosk mode; empty: none",
       "退出锁定模式前要求输入的 PIN；留空则不要求", secret=True),
    # --- rotation
    _s("rotation.dwell_s", "float", 0.0, "seconds each tab is shown before the next (0: no rotation)",
       "轮播时每个标签页停留的秒数（0 为不轮播）", lo=5, hi=86400, off_zero=True, unit="s"),
    _s("rotation.tabs", "tabs", [], "tabs the rotation shows, in order; empty: every tab",
       "轮播的标签页及顺序；留空为全部"),
    _s("rotation.dwell", "dwell", {}, "per-tab dwell in seconds, over rotation.dwell_s",
       "按标签页设定的停留秒数，优先于 rotation.dwell_s", lo=5, hi=86400, unit="s"),
    _s("rotation.pause_resume_s", "float", 120.0, "rotation resumes this long after the last touch",
       "有人操作后暂停轮播，空闲这么久后恢复", lo=10, hi=86400, unit="s"),
    _s("rotation.alarm_hold_s", "float", 60.0, "a new alarm holds its brain's tab this long",
       "出现新告警时停留在其标签页的秒数", lo=5, hi=86400, unit="s"),
    _s("rotation.drill_return_s", "float", 90.0, "a drilled view (a district, an enterprise...) goes back to the "
       "rotation after this long without input (0: stays until Back)", "下钻页面无人操作这么久后自动回到轮播（0 为停留至返回）",
       lo=10, hi=86400, off_zero=True, unit="s"),
    # --- care
    _s("care.pixel_shift", "bool", False, "move the picture by a few pixels now and then (burn-in care)",
       "定时微移画面几个像素（防烧屏）"),
    _s("care.dim", "dim", [], "dim the screen at set hours: level 1 = full brightness, 0 = blank "
       "(where hours overlap the dimmest wins)", "按时段调暗屏幕：level 1 为全亮，0 为熄屏（时段重叠时取最暗）"),
    # --- watchdog
    _s("watchdog.restart_at", "time", "", "restart the cockpit every day at this time; empty: never",
       "每天在此时刻重启驾驶舱；留空则不重启"),
    _s("watchdog.max_rss_mb", "int", 0, "restart when memory use exceeds this (0: off)",
       "内存占用超过此值时重启（0 为不检查）", lo=200, hi=262144, off_zero=True, unit="MB"),
    # --- fleet
    _s("fleet.display_id", "text", "", "name of this display in the fleet; empty: the host name",
       "本屏在大屏集群中的名称；留空为主机名", pattern=r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}",
       accepted_en='"" or a name of letters, digits, _ . - (at most 64)',
       accepted_zh='"" 或由字母、数字、_ . - 组成的名称（最多 64 个字符）'),
    _s("fleet.heartbeat_s", "float", 60.0, "seconds between heartbeats to the fleet monitor (0: off)",
       "向集群监控发送心跳的间隔秒数（0 为关闭）", lo=5, hi=3600, off_zero=True, unit="s"),
    # --- alarm
    _s("alarm.operator", "text", "", "name recorded on alarm actions (确认/派单/办结); empty: the login name",
       "告警确认、派单、办结时记录的操作人；留空为登录用户名", pattern=r"[^\x00-\x1f]{1,64}",
       accepted_en='"" or a name of at most 64 characters', accepted_zh='"" 或不超过 64 个字符的姓名'),
    _s("alarm.sound", "bool", False, "sound when a new alarm is not acknowledged", "有未确认的新告警时发出提示音"),
    _s("alarm.sync_s", "float", 2.0, "seconds between alarm-state syncs while no push stream carries alarm changes",
       "推送流不可用时与中央接口同步告警处置状态的间隔秒数", lo=1, hi=60, unit="s"),
    # --- log
    _s("log.level", "choice", "INFO", "lowest level written to the log", "日志记录的最低级别",
       choices=("DEBUG", "INFO", "WARNING", "ERROR"), cli="log_level", flag="--log-level"),
    _s("log.dir", "path", "", "log folder; empty: the user log folder", "日志目录；留空为用户日志目录"),
    _s("log.max_bytes", "int", 5_000_000, "size at which the log file rotates", "日志文件达到此大小时轮换",
       lo=10_000, hi=1_000_000_000, unit="B"),
    _s("log.backups", "int", 5, "rotated log files kept", "保留的轮换日志文件数", lo=1, hi=100),
    # --- cache
    _s("cache.path", "path", "", "offline cache file (SQLite), or memory; empty: the user cache folder, "
       "one file per data source", "离线缓存文件（SQLite），或 memory 不落盘；留空为用户缓存目录，每个数据源一个文件",
       cli="cache", flag="--cache"),
    _s("cache.retention_days", "float", 30.0, "days of history kept in the cache", "缓存保留的历史天数",
       lo=1, hi=3650, unit="d"),
    _s("cache.max_mb", "int", 256, "size cap of the cache file", "缓存文件的大小上限", lo=16, hi=1_000_000, unit="MB"),
)

BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}
BY_CLI: dict[str, Setting] = {s.cli: s for s in SETTINGS if s.cli}


# ---- problems -----------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A wrong value: where it was written (``source``: ``file <path>``, ``env COCKPIT_…``,
    ``command line --…``), the key ("" for the whole file) and a message that says it all."""

    source: str
    key: str
    message: str
    message_zh: str = ""
    line: int | None = None

    def text(self, lang: str = "en") -> str:
        return self.message_zh if lang == "zh" and self.message_zh else self.message

    def __str__(self) -> str:
        return self.message


class SettingsError(ValueError):
    """Values refused by :func:`save_values` (nothing was written); ``problems`` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


class _Bad(Exception):
    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en = en
        self.zh = zh


# ---- values -------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """An effective value and where it came from (``origin``: default, file, env or cli)."""

    value: Any
    source: str
    origin: str


class Settings:
    """The effective settings: ``settings["display.lang"]``, ``settings.source(key)``,
    ``settings.problems``; ``path`` is the config file looked at."""

    def __init__(self, values: dict[str, Value], problems: list[Problem], path: Path, file_state: str) -> None:
        self.values = values
        self.problems = problems
        self.path = path
        self.file_state = file_state  # "found", "not found", "unreadable", "invalid"

    def __getitem__(self, key: str) -> Any:
        return self.values[key].value

    def source(self, key: str) -> str:
        return self.values[key].source

    def origin(self, key: str) -> str:
        return self.values[key].origin

    def path_value(self, key: str) -> Path | None:
        """A path setting as a Path (``~`` expanded), None when empty (the platform default)."""
        text = self[key]
        return Path(text).expanduser() if text else None


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def toml_repr(v: Any) -> str:
    """A value as it is written in TOML (for messages and print_config)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list | tuple):
        return "[" + ", ".join(toml_repr(x) for x in v) + "]"
    if isinstance(v, Mapping):
        items = (f"{k if re.fullmatch(r'[A-Za-z0-9_-]+', str(k)) else json.dumps(str(k))} = {toml_repr(x)}"
                 for k, x in v.items())
        return "{" + ", ".join(items) + "}"
    return json.dumps(str(v), ensure_ascii=False)


def shown(s: Setting, v: Any) -> str:
    """A value as shown to people: a secret is ``"****"`` unless empty."""
    if s.secret:
        return '""' if v in ("", None) else json.dumps(SECRET_SHOWN)
    if s.kind == "url" and isinstance(v, str) and "@" in v:  # http://user:password@host
        v = re.sub(r"(?<=://)([^/@:]*):[^/@]*@", rf"\1:{SECRET_SHOWN}@", v)
    return toml_repr(v)


# ---- kinds: each owns its check, text form, accepted values, typed value and editor -------


def _bad(s: Setting, en: str | None = None, zh: str | None = None) -> _Bad:
    """Not accepted: ``en``/``zh`` say why (default: "is not <accepted>")."""
    return _Bad(en or f"is not {accepted(s, 'en')}", zh or f"不符合要求（{accepted(s, 'zh')}）")


def _is_num(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


class Kind:
    """What a kind of setting is: ``check`` (a raw value from TOML, the environment, the
    command line or the dialog → the normalised value, or ``_Bad``), ``parse`` (its text
    form → a raw value), ``format`` (the value → that text form), ``accepted`` (in words),
    ``typed`` (the checked value → what :class:`Config` holds) and ``editor`` (which editor
    the settings dialog gives it: ``combo``, ``check``, ``int``, ``float`` or ``line``)."""

    editor = "line"

    def accepted(self, s: Setting, zh: bool) -> str:
        raise NotImplementedError

    def check(self, s: Setting, v: Any) -> Any:
        return self.check_text(s, self.text(s, v))

    def check_text(self, s: Setting, v: str) -> Any:
        return v

    @staticmethod
    def text(s: Setting, v: Any) -> str:
        if not isinstance(v, str):
            if s.kind == "pin" and isinstance(v, int) and not isinstance(v, bool):
                raise _bad(s, f"is a number: write the PIN in quotes (accepted: {accepted(s)})",
                           f"是数字：PIN 要加引号（{accepted(s, 'zh')}）")
            raise _bad(s, f"is not text (accepted: {accepted(s)})", f"不是文本（{accepted(s, 'zh')}）")
        return v

    def parse(self, s: Setting, text: str) -> Any:
        return text.strip()

    def format(self, s: Setting, v: Any) -> str:
        return str(v)

    def typed(self, s: Setting, v: Any) -> Any:
        return v


class ChoiceKind(Kind):
    editor = "combo"

    def accepted(self, s: Setting, zh: bool) -> str:
        return ("可选：" if zh else "one of ") + ", ".join(s.choices)

    def check_text(self, s: Setting, v: str) -> str:
        for c in s.choices:
            if v.lower() == c.lower():
                return c
        raise _Bad(f"is not one of {', '.join(s.choices)}", f"不是 {', '.join(s.choices)} 之一")


class NumberKind(Kind):
    def __init__(self, whole: bool) -> None:
        self.whole = whole
        self.editor = "int" if whole else "float"

    def accepted(self, s: Setting, zh: bool) -> str:
        unit = f" {s.unit}" if s.unit else ""
        what = ("整数" if zh else "a whole number") if self.whole else ("数值" if zh else "a number")
        rng = f"{_num(s.lo or 0)} … {_num(s.hi or 0)}{unit}"
        if s.off_zero:
            return f"0（关闭）或{what} {rng}" if zh else f"0 (off) or {what} {rng}"
        return f"{what} {rng}"

    def check(self, s: Setting, v: Any) -> float | int:
        if self.whole:
            if not isinstance(v, int) or isinstance(v, bool):
                raise _Bad(f"is not a whole number (accepted: {accepted(s)})", f"不是整数（{accepted(s, 'zh')}）")
        elif not _is_num(v) or not math.isfinite(v):
            raise _Bad(f"is not a number (accepted: {accepted(s)})", f"不是数值（{accepted(s, 'zh')}）")
        lo, hi = s.lo if s.lo is not None else -math.inf, s.hi if s.hi is not None else math.inf
        if not (lo <= v <= hi or (s.off_zero and v == 0)):
            raise _Bad(f"is out of range (accepted: {accepted(s)})", f"超出范围（{accepted(s, 'zh')}）")
        return v if self.whole else float(v)

    def parse(self, s: Setting, text: str) -> Any:
        t = text.strip()
        try:
            if self.whole:
                return int(t)
            return float(t) if t.lower() not in ("nan", "inf", "-inf", "infinity") else text
        except ValueError:
            return text

    def format(self, s: Setting, v: Any) -> str:
        return _num(v)


class BoolKind(Kind):
    editor = "check"

    def accepted(self, s: Setting, zh: bool) -> str:
        return "true 或 false" if zh else "true or false"

    def check(self, s: Setting, v: Any) -> bool:
        if not isinstance(v, bool):
            raise _bad(s)
        return v

    def parse(self, s: Setting, text: str) -> Any:
        low = text.strip().lower()
        if low in ("1", "true", "yes", "on"):
            return True
        if low in ("0", "false", "no", "off"):
            return False
        return text

    def format(self, s: Setting, v: Any) -> str:
        return "true" if v else "false"


class TextKind(Kind):
    def accepted(self, s: Setting, zh: bool) -> str:
        return s.accepted_zh if zh else s.accepted_en

    def check_text(self, s: Setting, v: str) -> str:
        if v and not re.fullmatch(s.pattern or ".*", v):
            raise _bad(s)
        return v


class UrlKind(Kind):
    def accepted(self, s: Setting, zh: bool) -> str:
        return '""（内置模拟接口）或 http(s)://主机:端口' if zh else '"" (embedded simulator) or http(s)://host:port'

    def check_text(self, s: Setting, v: str) -> str:
        from urllib.parse import urlsplit

        if not v:
            return v
        parts = urlsplit(v.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise _bad(s)
        return v.strip().rstrip("/")


class SizeKind(Kind):
    def accepted(self, s: Setting, zh: bool) -> str:
        return '"" 或 宽x高，320x240 至 16384x16384' if zh else '"" or WIDTHxHEIGHT from 320x240 to 16384x16384'

    def check_text(self, s: Setting, v: str) -> str:
        if not v:
            return v
        try:
            w, h = parse_size(v)
        except ParseError:
            raise _bad(s) from None
        return f"{w}x{h}"

    def typed(self, s: Setting, v: str) -> tuple[int, int] | None:
        return parse_size(v) if v else None


class PathKind(Kind):
    def accepted(self, s: Setting, zh: bool) -> str:
        memory = s.key == "cache.path"
        if zh:
            return '"" （默认位置）或路径' + ("，或 memory" if memory else "")
        return '"" (the default place) or a path' + (", or memory" if memory else "")

    def check_text(self, s: Setting, v: str) -> str:
        if "\0" in v:
            raise _bad(s)
        return v

    def typed(self, s: Setting, v: str) -> Path | None:
        return Path(v).expanduser() if v else None


class TimeKind(Kind):
    def accepted(self, s: Setting, zh: bool) -> str:
        return '"" 或 24 小时制 "HH:MM"' if zh else '"" or a 24-hour time "HH:MM"'

    def check_text(self, s: Setting, v: str) -> str:
        if not v:
            return v
        if not re.fullmatch(r"\d\d:\d\d", v):  # written in full in the file: "04:00", not "4:00"
            raise _bad(s)
        try:
            return format_hhmm(parse_hhmm(v))
        except ParseError:
            raise _bad(s) from None

    def typed(self, s: Setting, v: str) -> tuple[int, int] | None:
        return parse_hhmm(v) if v else None


class ChordKind(Kind):
    def accepted(self, s: Setting, zh: bool) -> str:
        return ('Ctrl、Alt、Shift、Meta 中至少两个加一个键，用 + 连接，如 "Ctrl+Alt+Shift+Q"' if zh
                else 'at least two of Ctrl, Alt, Shift, Meta and a key, joined by +, e.g. "Ctrl+Alt+Shift+Q"')

    def check_text(self, s: Setting, v: str) -> str:
        try:
            return parse_chord(v)
        except ParseError as exc:
            if exc.en == "is not a key chord":
                raise _bad(s) from None
            raise _bad(s, f"{exc.en} (accepted: {accepted(s)})", f"{exc.zh}（{accepted(s, 'zh')}）") from None


class PinKind(Kind):
    def accepted(self, s: Setting, zh: bool) -> str:
        return '""（不要求）或加引号的 4–8 位数字' if zh else '"" (none) or 4–8 digits in quotes'

    def check_text(self, s: Setting, v: str) -> str:
        if v and not re.fullmatch(r"\d{4,8}", v):
            raise _bad(s)
        return v


class ListKind(Kind):
    """``tabs`` (tab ids) or ``paths`` (folders)."""

    def __init__(self, tabs: bool) -> None:
        self.tabs = tabs

    def accepted(self, s: Setting, zh: bool) -> str:
        if self.tabs:
            return '标签页编号列表，如 ["city", "dyeing"]' if zh else 'a list of tab ids, e.g. ["city", "dyeing"]'
        return '目录列表，如 ["/srv/layouts"]' if zh else 'a list of folders, e.g. ["/srv/layouts"]'

    def check(self, s: Setting, v: Any) -> list[str]:
        if not isinstance(v, list):
            raise _bad(s, f"is not a list (accepted: {accepted(s)})", f"不是列表（{accepted(s, 'zh')}）")
        for i, item in enumerate(v, 1):
            ok = isinstance(item, str) and (re.fullmatch(_TAB_RE, item) if self.tabs else item and "\0" not in item)
            if not ok:
                raise _bad(s, f"item {i} {toml_repr(item)} is not {'a tab id' if self.tabs else 'a folder'} "
                              f"(accepted: {accepted(s)})",
                           f"第{i}项 {toml_repr(item)} 不符合要求（{accepted(s, 'zh')}）")
        return list(v)

    def parse(self, s: Setting, text: str) -> Any:
        t = text.strip()
        if t.startswith(("[", "{")):
            return _toml_value(t, text)
        return [x.strip() for x in t.split(",") if x.strip()]

    def format(self, s: Setting, v: Any) -> str:
        return ", ".join(v)

    def typed(self, s: Setting, v: list[str]) -> tuple[Any, ...]:
        return tuple(v) if self.tabs else tuple(Path(p).expanduser() for p in v)


class DwellKind(Kind):
    def accepted(self, s: Setting, zh: bool) -> str:
        rng = f"{_num(s.lo or 0)} … {_num(s.hi or 0)}{f' {s.unit}' if s.unit else ''}"
        return (f"标签页编号 → 秒数（{rng}），如 {{city = 60, dyeing = 30}}" if zh
                else f"a table tab id → seconds ({rng}), e.g. {{city = 60, dyeing = 30}}")

    def check(self, s: Setting, v: Any) -> dict[str, float]:
        if not isinstance(v, Mapping):
            raise _bad(s, f"is not a table (accepted: {accepted(s)})", f"不是表（{accepted(s, 'zh')}）")
        table: dict[str, float] = {}
        for tab, secs in v.items():
            if not isinstance(tab, str) or not re.fullmatch(_TAB_RE, tab):
                raise _bad(s, f"key {toml_repr(tab)} is not a tab id (accepted: {accepted(s)})",
                           f"键 {toml_repr(tab)} 不是标签页编号（{accepted(s, 'zh')}）")
            if not _is_num(secs) or not math.isfinite(secs) or not (s.lo or 0) <= secs <= (s.hi or math.inf):
                raise _bad(s, f"{tab} = {toml_repr(secs)} is not a number {_num(s.lo or 0)} … {_num(s.hi or 0)} s "
                              f"(accepted: {accepted(s)})",
                           f"{tab} = {toml_repr(secs)} 不符合要求（{accepted(s, 'zh')}）")
            table[tab] = float(secs)
        return table

    def parse(self, s: Setting, text: str) -> Any:
        t = text.strip()
        if t.startswith(("[", "{")):
            return _toml_value(t, text)
        table: dict[str, Any] = {}
        for it in (x.strip() for x in t.split(",") if x.strip()):
            tab, eq, secs = it.partition("=")
            if not eq:
                return text
            try:
                table[tab.strip()] = float(secs)
            except ValueError:
                table[tab.strip()] = secs.strip()
        return table

    def format(self, s: Setting, v: Any) -> str:
        return ", ".join(f"{tab}={_num(secs)}" for tab, secs in v.items())

    def typed(self, s: Setting, v: dict[str, float]) -> Mapping[str, float]:
        return MappingProxyType(dict(v))


class DimKind(Kind):
    def accepted(self, s: Setting, zh: bool) -> str:
        return ('时段列表，如 [{from = "22:00", to = "06:00", level = 0.3}]，level 0（熄屏）… 1（全亮），'
                'to 可为 "24:00"' if zh
                else 'a list of {from = "HH:MM", to = "HH:MM" or "24:00", level = 0 (blank) … 1 (full)}, '
                     'e.g. [{from = "22:00", to = "06:00", level = 0.3}]')

    def check(self, s: Setting, v: Any) -> list[dict[str, Any]]:
        if not isinstance(v, list):
            raise _bad(s, f"is not a list (accepted: {accepted(s)})", f"不是列表（{accepted(s, 'zh')}）")
        try:
            return [r.as_entry() for r in parse_dim(v)]
        except ParseError as exc:
            raise _bad(s, f"{exc.en} (accepted: {accepted(s)})", f"{exc.zh}（{accepted(s, 'zh')}）") from None

    def parse(self, s: Setting, text: str) -> Any:
        t = text.strip()
        if t.startswith(("[", "{")):
            return _toml_value(t, text)
        windows: list[Any] = []
        for it in (x.strip() for x in t.split(",") if x.strip()):
            m = re.fullmatch(r"(\S+?)\s*-\s*(\S+?)\s*=\s*(\S+)", it)
            if not m:
                return text
            try:
                level: Any = float(m.group(3))
            except ValueError:
                level = m.group(3)
            windows.append({"from": m.group(1), "to": m.group(2), "level": level})
        return windows

    def format(self, s: Setting, v: Any) -> str:
        return ", ".join(f"{w['from']}-{w['to']}={_num(w['level'])}" for w in v)

    def typed(self, s: Setting, v: list[dict[str, Any]]) -> tuple[DimRange, ...]:
        return parse_dim(v)


def _toml_value(t: str, text: str) -> Any:
    try:
        return tomllib.loads(f"v = {t}")["v"]
    except tomllib.TOMLDecodeError:
        return text


KINDS: dict[str, Kind] = {
    "choice": ChoiceKind(), "int": NumberKind(whole=True), "float": NumberKind(whole=False),
    "bool": BoolKind(), "text": TextKind(), "url": UrlKind(), "size": SizeKind(), "path": PathKind(),
    "time": TimeKind(), "chord": ChordKind(), "pin": PinKind(), "tabs": ListKind(tabs=True),
    "paths": ListKind(tabs=False), "dwell": DwellKind(), "dim": DimKind(),
}


def kind_of(s: Setting) -> Kind:
    return KINDS[s.kind]


def accepted(s: Setting, lang: str = "en") -> str:
    """The accepted values of a setting, in words."""
    return kind_of(s).accepted(s, lang == "zh")


def _check(s: Setting, v: Any) -> Any:
    """The value normalised, or ``_Bad`` saying why it is not accepted."""
    return kind_of(s).check(s, v)


def parse_text(s: Setting, text: str) -> Any:
    """A value written as text (an environment variable, a line edit) → a raw value for
    :func:`check`. Lists and tables take TOML syntax or a short form::

        rotation.tabs   city, dyeing            or  ["city", "dyeing"]
        rotation.dwell  city=60, dyeing=30      or  {city = 60, dyeing = 30}
        care.dim        22:00-06:00=0.3         or  [{from = "22:00", to = "06:00", level = 0.3}]

    Something that cannot be read is returned as the text, so ``check`` reports it.
    """
    return kind_of(s).parse(s, text)


def format_text(s: Setting, v: Any) -> str:
    """A value as the short text :func:`parse_text` reads back (for line edits)."""
    return kind_of(s).format(s, v)


# ---- loading ------------------------------------------------------------------------


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """The config file: ``COCKPIT_CONFIG`` if set, else ``config.toml`` in the user config folder."""
    env = os.environ if env is None else env
    named = env.get(CONFIG_ENV, "").strip()
    if named:
        return Path(named).expanduser()
    import platformdirs

    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def _key_lines(text: str) -> dict[str, int]:
    """The line each dotted key is written on (first occurrence), for messages."""
    lines: dict[str, int] = {}
    prefix = ""
    for n, line in enumerate(text.splitlines(), 1):
        head = re.match(r"\s*\[\[?\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$", line)
        if head:
            prefix = re.sub(r"\s*\.\s*", ".", head.group(1)).replace('"', "") + "."
            lines.setdefault(prefix[:-1], n)
            continue
        m = re.match(r"\s*([A-Za-z0-9_\-.\"' ]+?)\s*=", line)
        if m:
            key = re.sub(r"\s*\.\s*", ".", m.group(1)).replace('"', "").replace("'", "")
            lines.setdefault(prefix + key, n)
    return lines


def _flatten(data: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    for k, v in data.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping) and key not in BY_KEY:
            yield from _flatten(v, key + ".")
        else:
            yield key, v


def _suggest(key: str) -> str | None:
    close = difflib.get_close_matches(key, list(BY_KEY), n=1, cutoff=0.6)
    if close:
        return close[0]
    last = key.rsplit(".", 1)[-1]
    same = [s.key for s in SETTINGS if s.name == last]
    if len(same) == 1:
        return same[0]
    close = difflib.get_close_matches(last, [s.name for s in SETTINGS], n=1, cutoff=0.75)
    if close:
        same = [s.key for s in SETTINGS if s.name == close[0]]
        return same[0] if len(same) == 1 else None
    return None


class _Loader:
    def __init__(self) -> None:
        self.values = {s.key: Value(s.default, "default", "default") for s in SETTINGS}
        self.problems: list[Problem] = []

    def offer(self, s: Setting, raw: Any, source: str, origin: str, where: str, where_zh: str,
              line: int | None = None) -> None:
        try:
            v = _check(s, raw)
        except _Bad as bad:
            cur = self.values[s.key]
            if cur.origin == "default":
                fb_en, fb_zh = f"the default {shown(s, cur.value)}", f"默认值 {shown(s, cur.value)}"
            else:
                fb_en = f"{shown(s, cur.value)} from {cur.source}"
                fb_zh = f"{shown(s, cur.value)}（来自 {cur.source}）"
            self.problems.append(Problem(
                source, s.key,
                f"{where}: {s.key} = {shown(s, raw)} {bad.en}; using {fb_en}",
                f"{where_zh}：{s.key} = {shown(s, raw)} {bad.zh}；改用{fb_zh}", line))
            return
        self.values[s.key] = Value(v, source, origin)

    def read_file(self, path: Path, explicit: str | None) -> str:
        source = f"file {path}"
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:
            if explicit:
                self.problems.append(Problem(
                    source, "", f"{path}: no such config file (named by {explicit}); using the defaults",
                    f"{path}：配置文件不存在（由 {explicit} 指定）；使用默认值"))
            return "not found"
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(Problem(
                source, "", f"{path}: cannot read the config file ({exc}); using the defaults",
                f"{path}：无法读取配置文件（{exc}）；使用默认值"))
            return "unreadable"
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            m = re.search(r"line (\d+)", str(exc))
            line = int(m.group(1)) if m else None
            where = f"{path}:{line}" if line else str(path)
            self.problems.append(Problem(
                source, "", f"{where}: not valid TOML ({exc}); the whole file is ignored, every setting "
                            "uses its default (or the environment / command line)",
                f"{where}：不是有效的 TOML（{exc}）；整个文件被忽略，各项使用默认值（或环境变量/命令行）", line))
            return "invalid"
        lines = _key_lines(text)
        for key, raw in _flatten(data):
            line = lines.get(key)
            where = f"{path}:{line}" if line else str(path)
            s = BY_KEY.get(key)
            if s is None:
                hint = _suggest(key)
                dym_en = f" (did you mean {hint}?)" if hint else ""
                dym_zh = f"（是否想写 {hint}？）" if hint else ""
                self.problems.append(Problem(
                    source, key, f"{where}: unknown key {key}{dym_en}; ignored",
                    f"{where}：未知的键 {key}{dym_zh}；已忽略", line))
                continue
            self.offer(s, raw, source, "file", where, where, line)
        return "found"

    def read_env(self, env: Mapping[str, str]) -> None:
        for s in SETTINGS:
            if s.env in env:
                self.offer(s, parse_text(s, env[s.env]), f"env {s.env}", "env",
                           f"env {s.env}", f"环境变量 {s.env}")

    def read_cli(self, cli: Mapping[str, Any]) -> None:
        for dest, v in cli.items():
            s = BY_CLI.get(dest)
            if s is not None:
                raw = _from_cli(s, v)
                src = f"command line {s.flag}"
                self.offer(s, raw, src, "cli", src, f"命令行 {s.flag}")
        if cli.get("rotate") is not None:
            try:
                rotate = _rotate_values(cli["rotate"])
            except ParseError as exc:
                self.problems.append(Problem("command line --rotate", "rotation.dwell_s",
                                             f"command line --rotate: {exc.en}; ignored",
                                             f"命令行 --rotate：{exc.zh}；已忽略"))
                rotate = {}
            for key, raw in rotate.items():
                self.offer(BY_KEY[key], raw, "command line --rotate", "cli", "command line --rotate",
                           "命令行 --rotate")
        for item in cli.get("set") or ():
            key, eq, text = str(item).partition("=")
            key = key.strip()
            s = BY_KEY.get(key)
            src = f"command line --set {key}"
            if s is None or not eq:
                hint = _suggest(key) if s is None else None
                why = f"unknown key {key}" + (f" (did you mean {hint}?)" if hint else "") if s is None \
                    else "is not KEY=VALUE"
                self.problems.append(Problem(src, key, f"command line --set {item}: {why}; ignored",
                                             f"命令行 --set {item}：{why}；已忽略"))
                continue
            self.offer(s, parse_text(s, text), src, "cli", src, f"命令行 --set {key}")


def _rotate_values(v: Any) -> dict[str, Any]:
    """``--rotate`` → rotation.dwell_s, .tabs and .dwell. ``v``: the parsed spec
    (:class:`cockpit.parsing.RotateSpec`) or its text (``30`` or ``20,city=60,dyeing``,
    read by :func:`cockpit.parsing.parse_rotate`, whose ValueError says what is wrong)."""
    if isinstance(v, str):
        v = parse_rotate(v)
    return {"rotation.dwell_s": getattr(v, "default_dwell_s", 30.0),
            "rotation.tabs": list(getattr(v, "playlist", None) or []),
            "rotation.dwell": dict(getattr(v, "dwell", None) or {})}


def _from_cli(s: Setting, v: Any) -> Any:
    """An argparse value (already converted by its ``type``) → a raw setting value."""
    if s.key == "api.stream":
        return not v  # --no-stream
    if s.kind == "size" and isinstance(v, tuple | list):
        return f"{v[0]}x{v[1]}"
    if s.kind == "paths" and isinstance(v, list | tuple):
        return [str(x) for x in v]
    if s.kind == "path" and isinstance(v, os.PathLike):
        return os.fspath(v)
    if isinstance(v, str) and s.kind in ("int", "float", "bool", "tabs", "paths", "dwell", "dim"):
        return parse_text(s, v)
    return v


def load(cli_overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None,
         path: Path | None = None) -> Settings:
    """The effective settings: defaults ← config file ← environment ← command line.

    ``cli_overrides``: only the options the user gave, by argparse dest (``{"lang": "en"}``;
    see :func:`given_options`), plus ``"set"``: a list of ``"KEY=VALUE"`` for any key.
    ``env``: the environment (default ``os.environ``). ``path``: the config file (default:
    ``COCKPIT_CONFIG`` or the user config folder's ``config.toml``).
    """
    env = os.environ if env is None else env
    loader = _Loader()
    explicit = "--config" if path is not None else (CONFIG_ENV if env.get(CONFIG_ENV, "").strip() else None)
    file = Path(path).expanduser() if path is not None else config_path(env)
    state = loader.read_file(file, explicit)
    loader.read_env(env)
    loader.read_cli(cli_overrides or {})
    return Settings(loader.values, loader.problems, file, state)


def given_options(parser: argparse.ArgumentParser, argv: list[str] | None = None) -> dict[str, Any]:
    """The options the user actually gave on the command line, by dest (argparse's
    defaults left out), for :func:`load`'s ``cli_overrides``."""
    saved = [(a, a.default) for a in parser._actions]
    for a, _ in saved:
        a.default = argparse.SUPPRESS
    try:
        ns = parser.parse_args(argv)
    finally:
        for a, d in saved:
            a.default = d
    return vars(ns)


def apply_to_args(settings: Settings, args: argparse.Namespace) -> argparse.Namespace:
    """Set the argparse attributes the app reads (``args.lang``, ``args.api``, ...) from the
    effective settings, in the types argparse gives them."""
    for s in SETTINGS:
        if not s.cli:
            continue
        v = settings[s.key]
        if s.key == "api.stream":
            out: Any = not v
        elif s.kind == "size":
            out = tuple(int(x) for x in v.split("x")) if v else None
        elif s.kind == "paths":
            out = [Path(p).expanduser() for p in v] or None
        elif s.kind in ("url", "text", "path"):
            out = v or None
        else:
            out = v
        setattr(args, s.cli, out)
    return args


# ---- showing ------------------------------------------------------------------------


def print_config(settings: Settings) -> str:
    """What ``cockpit --print-config`` prints: every key, its effective value and where it
    came from, aligned, secrets masked; then the problems."""
    head = f"config file: {settings.path} ({settings.file_state})"
    if settings.file_state == "not found":
        head += f"; set {CONFIG_ENV} or --config to use another"
    rows = [(s.key, shown(s, settings[s.key]), settings.source(s.key)) for s in SETTINGS]
    wk = max(len(r[0]) for r in rows)
    wv = min(max(len(r[1]) for r in rows), 40)
    out = [head, "", f"{'key':<{wk}}  {'value':<{wv}}  source"]
    out += [f"{k:<{wk}}  {v:<{wv}}  {src}" for k, v, src in rows]
    if settings.problems:
        out += ["", f"problems ({len(settings.problems)}):"]
        out += [f"  {p.message}" for p in settings.problems]
    return "\n".join(out) + "\n"


# ---- saving -------------------------------------------------------------------------


def validate(changes: Mapping[str, Any], path: Path) -> tuple[dict[str, Any], list[Problem]]:
    """Check values about to be written: (normalised values, problems). ``None`` removes a key."""
    clean: dict[str, Any] = {}
    problems: list[Problem] = []
    source = f"file {path}"
    for key, v in changes.items():
        if v is None:  # removing a key, known or not (a typo the file has)
            clean[key] = None
            continue
        s = BY_KEY.get(key)
        if s is None or "." not in key:
            hint = _suggest(key)
            dym = f" (did you mean {hint}?)" if hint else ""
            problems.append(Problem(source, key, f"{path}: unknown key {key}{dym}; not saved",
                                    f"{path}：未知的键 {key}；未保存"))
            continue
        try:
            clean[key] = _check(s, v)
        except _Bad as bad:
            problems.append(Problem(source, key, f"{path}: {key} = {shown(s, v)} {bad.en}; not saved",
                                    f"{path}：{key} = {shown(s, v)} {bad.zh}；未保存"))
    return clean, problems


def save_values(path: Path, changes: Mapping[str, Any]) -> None:
    """Write ``changes`` (key → value; ``None``: remove the key, back to its default) into
    the config file, keeping everything else the user wrote, comments included.

    Every value is checked first; if any is refused, nothing is written and
    :class:`SettingsError` lists why. The file is replaced atomically; a new one is created
    readable by its owner only (it may hold the kiosk PIN).
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    path = Path(path).expanduser()
    clean, problems = validate(changes, path)
    if problems:
        raise SettingsError(problems)
    try:
        text = path.read_text("utf-8")
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        text, mode = "", None
    try:
        doc = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise SettingsError([Problem(f"file {path}", "", f"{path}: not valid TOML ({exc}); fix or remove it "
                                     "before saving from the settings dialog",
                                     f"{path}：不是有效的 TOML（{exc}）；请先修正或删除该文件")]) from None
    for key, v in clean.items():
        section, name = key.split(".", 1)
        table = doc.get(section)
        if v is None:
            if isinstance(table, dict) and name in table:
                del table[name]
            continue
        if not isinstance(table, dict):
            if section in doc:
                del doc[section]
            table = tomlkit.table()
            doc[section] = table
        table[name] = _toml_item(v)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(tomlkit.dumps(doc))
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _toml_item(v: Any) -> Any:
    import tomlkit

    if isinstance(v, Mapping):
        t = tomlkit.inline_table()
        t.update({k: _toml_item(x) for k, x in v.items()})
        return t
    if isinstance(v, list):
        a = tomlkit.array()
        a.extend(_toml_item(x) for x in v)
        return a
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)  # 30 reads better than 30.0 and means the same to every number setting
    return v
