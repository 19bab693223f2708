"""Themes: shared colours, state looks and the Chinese UI font.

Three palettes (dark command-center, light office, high contrast), each matching its
``resources/themes/<name>.qss``; :func:`use_palette` switches at runtime. Widgets resolve colour names given by callers
("ok", "warn", "alarm", ...) through :func:`qcolor`, so a layout can say ``warn`` instead of
a hex code.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication

from widgets.state import DataState

PALETTES: dict[str, dict[str, str]] = {
    # dark command-center (default): a wall in a dim room
    "dark": {
        "BACKGROUND": "#0b1a33",  # window / wall background
        "PANEL": "#0f2342",  # widget panel fill
        "EDGE": "#1d3557",  # panel border, gauge track, grid
        "TEXT": "#f2f7ff",  # values
        "TEXT_DIM": "#8fb3e0",  # titles, units, axes
        "ACCENT": "#37a2ff",  # neutral highlight (live corner marks, first series)
        "OK": "#22d3a6",  # within limits
        "WARN": "#ffc857",  # warning band / stale
        "ALARM": "#ff6b6b",  # alarm band
        "NEUTRAL": "#cfe3ff",  # a change that is neither good nor bad
        "OFFLINE_EDGE": "#8c5a66",  # red-grey border of an offline widget
        "OFFLINE_VALUE": "#6c7a8f",  # grey value of an offline widget
        "NO_DATA_EDGE": "#3d5478",  # dashed border of a widget without data
    },
    # light office: a desk in a bright room, printouts
    "light": {
        "BACKGROUND": "#e9eef5",
        "PANEL": "#ffffff",
        "EDGE": "#c5d1e0",
        "TEXT": "#102038",
        "TEXT_DIM": "#4b6282",
        "ACCENT": "#1c6ed6",
        "OK": "#0f8a61",
        "WARN": "#b36b00",
        "ALARM": "#cc2f2f",
        "NEUTRAL": "#29466e",
        "OFFLINE_EDGE": "#b0707e",
        "OFFLINE_VALUE": "#8d97a6",
        "NO_DATA_EDGE": "#9aabc2",
    },
    # high contrast: maximum legibility, no mid-tone fills
    "high-contrast": {
        "BACKGROUND": "#000000",
        "PANEL": "#000000",
        "EDGE": "#707070",  # also a fill under white text (chain stages, ranks): not white
        "TEXT": "#ffffff",
        "TEXT_DIM": "#f0f0f0",
        "ACCENT": "#00d0ff",
        "OK": "#00ff80",
        "WARN": "#ffe000",
        "ALARM": "#ff4d4d",
        "NEUTRAL": "#ffffff",
        "OFFLINE_EDGE": "#ff8cc6",
        "OFFLINE_VALUE": "#b8b8b8",
        "NO_DATA_EDGE": "#9a9a9a",
    },
}
_SERIES = {
    "dark": ("#37a2ff", "#22d3a6", "#ffc857", "#ff6b6b", "#b388ff", "#4dd0e1", "#f06292", "#aed581"),
    "light": ("#1c6ed6", "#0f8a61", "#b36b00", "#cc2f2f", "#7b4fd6", "#0e8fa3", "#c2185b", "#5b8c1a"),
    "high-contrast": ("#00d0ff", "#00ff80", "#ffe000", "#ff4d4d", "#d49bff", "#7fffff", "#ff80c0", "#c8ff80"),
}

BACKGROUND = PANEL = EDGE = TEXT = TEXT_DIM = ACCENT = OK = WARN = ALARM = NEUTRAL = ""
OFFLINE_EDGE = OFFLINE_VALUE = NO_DATA_EDGE = ""
SERIES_COLORS: tuple[str, ...] = ()
_NAMED: dict[str, str] = {}
STATE_EDGE: dict[DataState, str] = {}  # border colour per state
STATE_NOTE: dict[DataState, str] = {}  # colour of the state note line drawn on a widget
_palette = ""
_listeners: list[Callable[[], None]] = []


def palette_name() -> str:
    """The palette in use ("dark", "light" or "high-contrast")."""
    return _palette


def use_palette(name: str) -> None:
    """Switch every colour of this module to a palette; widgets repaint with it on their
    next paint (call ``restyle()`` on live widgets, as the main window does)."""
    global BACKGROUND, PANEL, EDGE, TEXT, TEXT_DIM, ACCENT, OK, WARN, ALARM, NEUTRAL
    global OFFLINE_EDGE, OFFLINE_VALUE, NO_DATA_EDGE, SERIES_COLORS, _palette
    if name not in PALETTES:
        raise ValueError(f"theme must be one of {', '.join(PALETTES)}, not {name!r}")
    c = PALETTES[name]
    BACKGROUND, PANEL, EDGE, TEXT, TEXT_DIM = c["BACKGROUND"], c["PANEL"], c["EDGE"], c["TEXT"], c["TEXT_DIM"]
    ACCENT, OK, WARN, ALARM, NEUTRAL = c["ACCENT"], c["OK"], c["WARN"], c["ALARM"], c["NEUTRAL"]
    OFFLINE_EDGE, OFFLINE_VALUE, NO_DATA_EDGE = c["OFFLINE_EDGE"], c["OFFLINE_VALUE"], c["NO_DATA_EDGE"]
    SERIES_COLORS = _SERIES[name]
    _palette = name
    _NAMED.clear()
    _NAMED.update(background=BACKGROUND, panel=PANEL, edge=EDGE, text=TEXT, dim=TEXT_DIM, accent=ACCENT,
                  ok=OK, warn=WARN, alarm=ALARM, neutral=NEUTRAL)
    STATE_EDGE.clear()
    STATE_EDGE.update({DataState.LIVE: EDGE, DataState.STALE: WARN, DataState.OFFLINE: OFFLINE_EDGE,
                       DataState.NO_DATA: NO_DATA_EDGE})
    STATE_NOTE.clear()
    STATE_NOTE.update({DataState.LIVE: TEXT_DIM, DataState.STALE: WARN,
                       DataState.OFFLINE: "#e0a3ad" if name != "light" else "#a0404f",
                       DataState.NO_DATA: TEXT_DIM})
    for fn in list(_listeners):
        fn()


def on_palette_change(fn: Callable[[], None]) -> None:
    """Call fn after every palette switch (for module-level caches of colours)."""
    _listeners.append(fn)


use_palette("dark")

# Preferred Chinese UI families, best first; the first installed one is used.
CJK_FAMILIES = (
    "Cockpit Sans SC",  # the face the cockpit ships and registers at start (cockpit.fonts)
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "Noto Sans SC",
    "SimHei",
)
_LATIN_FALLBACK = ("DejaVu Sans", "Arial", "Sans Serif")

_families: list[str] | None = None

# ---- colour of a change (▲/▼) -------------------------------------------------------------
# Two conventions, a user setting: "status" colours a change by whether it is good (green)
# or bad (red) for the metric (operations); "market" colours every rise red and every fall
# green whatever it means (Chinese finance and stock screens).
CHANGE_CONVENTIONS = ("status", "market")
_change_convention = "status"


def set_change_convention(name: str) -> None:
    """Choose how rises and falls are coloured: "status" (good/bad) or "market" (red up)."""
    global _change_convention
    if name not in CHANGE_CONVENTIONS:
        raise ValueError(f"change colours must be one of {', '.join(CHANGE_CONVENTIONS)}, not {name!r}")
    _change_convention = name


def change_convention() -> str:
    """The current convention ("status" or "market")."""
    return _change_convention


def change_color(direction: int, up_is_good: bool | None) -> QColor:
    """Colour of a change: direction > 0 a rise, < 0 a fall, 0 none (dim).

    "market": red for a rise, green for a fall. "status": green when the change is good,
    red when bad, neutral when the metric has no good direction (up_is_good None).
    """
    if direction == 0:
        return QColor(TEXT_DIM)
    if _change_convention == "market":
        return QColor(ALARM if direction > 0 else OK)
    if up_is_good is None:
        return QColor(NEUTRAL)
    return QColor(OK if (direction > 0) == up_is_good else ALARM)


def qcolor(spec: str | QColor) -> QColor:
    """A QColor from a theme name ("ok", "warn", "alarm", ...) or any Qt colour string."""
    if isinstance(spec, QColor):
        return QColor(spec)
    c = QColor(_NAMED.get(spec.strip().lower(), spec))
    if not c.isValid():
        raise ValueError(f"not a colour: {spec!r}")
    return c


def blend(a: str | QColor, b: str | QColor, t: float) -> QColor:
    """Opaque mix of two colours: t=0 gives a, t=1 gives b."""
    ca, cb = qcolor(a), qcolor(b)
    return QColor(
        round(ca.red() + (cb.red() - ca.red()) * t),
        round(ca.green() + (cb.green() - ca.green()) * t),
        round(ca.blue() + (cb.blue() - ca.blue()) * t),
    )


def font_families() -> list[str]:
    """Installed families to ask for, CJK first, with Latin fallbacks (needs a QGuiApplication)."""
    global _families
    if _families is not None:
        return list(_families)
    installed = set(QFontDatabase.families()) if QGuiApplication.instance() is not None else set()
    chosen = [f for f in CJK_FAMILIES if f in installed]
    if not chosen:  # nothing known installed (or no app yet): let fontconfig pick from the list
        chosen = list(CJK_FAMILIES[:1])
    chosen += list(_LATIN_FALLBACK)
    if installed:  # only remember a real answer
        _families = chosen
    return list(chosen)


def cjk_family() -> str:
    """The Chinese family widgets draw with ("Cockpit Sans SC" once the cockpit registered it)."""
    return font_families()[0]


# ---- minimum text height: the display profile's floor ---------------------------------------
# Widgets size their text from their own size; on a video wall read from 10 m that gives 9 px
# labels in a small panel. The application sets a floor from its display profile (wall / desk)
# and the window height; every font made by pixel_font is at least that tall. 0: no floor.
_min_text_px = 0


def set_min_text_px(px: int) -> bool:
    """Set the smallest pixel size any widget text is drawn at; True when it changed
    (live widgets then need ``restyle()`` to lay out again)."""
    global _min_text_px
    px = max(0, int(px))
    changed = px != _min_text_px
    _min_text_px = px
    return changed


def min_text_px() -> int:
    """The smallest pixel size of widget text (0: none set)."""
    return _min_text_px


def pixel_font(px: int, bold: bool = False) -> QFont:
    """The UI font at a pixel size (widgets scale text with their own size, not with DPI),
    never smaller than the display profile's floor (:func:`set_min_text_px`)."""
    f = QFont()
    f.setFamilies(font_families())
    f.setPixelSize(max(1, int(px), _min_text_px))
    f.setBold(bold)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return f


# the figure face of numbers, first found wins (B612: the cockpit ships and registers it);
# characters it lacks (a unit, an arrow) come from the UI families after it
FIGURE_FAMILIES = ("B612",)
_figure_families: list[str] | None = None


def figure_families() -> list[str]:
    """The families a number asks for: the installed figure face, then the UI families."""
    global _figure_families
    if _figure_families is not None:
        return list(_figure_families)
    installed = set(QFontDatabase.families()) if QGuiApplication.instance() is not None else set()
    chosen = [name for name in FIGURE_FAMILIES if name in installed] + font_families()
    if installed:  # only remember a real answer
        _figure_families = chosen
    return list(chosen)


def figure_font(px: int, bold: bool = False) -> QFont:
    """:func:`pixel_font` for numbers: the figure face first (distinct digits read from
    afar), the UI families after it for what it lacks; the same floor."""
    f = pixel_font(px, bold)
    f.setFamilies(figure_families())
    return f


def ui_font(point_size: float | None = None) -> QFont:
    """The application font: the CJK family at a point size (default: the platform's)."""
    f = QFont()
    f.setFamilies(font_families())
    if point_size is not None and point_size > 0:
        f.setPointSizeF(point_size)
    return f
