"""Layout files: a brain's screen as panels on a grid, read from TOML and checked.

A layout file ``<brain>.toml`` (``resources/layouts/`` ships ours; a command center puts
its own in the user config folder's ``layouts/`` to override them)::

    [layout]
    columns = 24          # the grid, designed for 1920×1080; it scales with the window
    rows = 12

    [[panel]]
    widget = "big_number"
    cell = [0, 0, 6, 3]   # column, row, column span, row span
    metric = "dyeing.output_today"
    changes = [{ label = "同比", metric = "dyeing.output_yoy" }]

    [[panel]]
    widget = "ranking"
    cell = [18, 0, 6, 8]
    panel = "enterprises"       # a snapshot panel of the brain
    column = "output_today"
    title = { zh = "企业产量排名", en = "Mills by output" }

Everything here is Qt-free: the file is parsed and checked against the catalog (metric
ids, panel ids and columns) and every problem is reported with the file and line it is
on. The UI (``cockpit.ui.brain_tab``) builds the widgets from a checked :class:`Layout`
and falls back to the automatic layout, with a visible notice, when a file is wrong.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cockpit.api.schema import Brain, Catalog

log = logging.getLogger(__name__)

MAX_GRID = 96


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a layout file: where (line 0: the whole file) and what."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path.name}:{self.line}" if self.line else self.path.name
        return f"{where}: {self.message}"


class LayoutError(Exception):
    """A layout file that cannot be used; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:5]) + (" …" if len(problems) > 5 else ""))

    @property
    def path(self) -> Path:
        return self.problems[0].path


@dataclass(frozen=True)
class PanelSpec:
    """One panel of a layout: a widget kind at a grid cell with its bindings and options."""

    widget: str
    col: int
    row: int
    col_span: int
    row_span: int
    options: dict[str, Any]
    line: int  # where its [[panel]] header is

    def opt(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)

    def title(self, lang: str) -> str | None:
        """The title the file gives, in the language (a plain string serves both)."""
        t = self.options.get("title")
        if isinstance(t, dict):
            return str(t.get(lang) or t.get("zh") or t.get("en") or "") or None
        return str(t) if t else None


@dataclass(frozen=True)
class Layout:
    brain: str
    path: Path
    columns: int
    rows: int
    panels: list[PanelSpec] = field(default_factory=list)


# ---- what each widget kind takes ------------------------------------------------------

_TEXT = "text"  # a string, or a {zh, en} table
_STR = "str"
_INT = "int"
_NUM = "number"
_METRIC = "metric"  # a metric id of the catalog
_METRICS = "metrics"  # a non-empty list of metric ids
_PANEL = "panel"  # a panel id of the brain
_COLUMN = "column"  # a column of the panel named by "panel"
_COLUMNS = "columns"  # a non-empty list of columns of that panel
_CHANGES = "changes"  # a list of {label, metric}
_PATH = "path"  # {panel, column}
_STRS = "strs"  # a non-empty list of texts (e.g. the text cells of a panel's rows)

COMMON = {"widget": _STR, "cell": "cell", "title": _TEXT}
KINDS: dict[str, dict[str, str]] = {
    # a value from a metric, or from a panel cell (panel + row + column)
    "gauge": {"metric": _METRIC},
    "tile": {"metric": _METRIC, "panel": _PANEL, "row": _STR, "column": _COLUMN},
    "big_number": {"metric": _METRIC, "panel": _PANEL, "row": _STR, "column": _COLUMN, "changes": _CHANGES},
    "progress": {"metric": _METRIC, "target": _NUM, "target_label": _TEXT, "panel": _PANEL, "column": _COLUMN,
                 "path": _PATH},
    "trend": {"metrics": _METRICS, "hours": _NUM},
    "ranking": {"panel": _PANEL, "column": _COLUMN, "order": _STR, "limit": _INT, "secondary": _STR},
    "bars": {"panel": _PANEL, "column": _COLUMN, "compare": _COLUMN, "metrics": _METRICS, "orientation": _STR,
             "limit": _INT, "order": _STR, "max_line": _NUM},
    "share": {"panel": _PANEL, "column": _COLUMN, "columns": _COLUMNS, "mode": _STR},
    "districts": {"panel": _PANEL, "columns": _COLUMNS, "cycle_s": _NUM},
    "alerts": {"scope": _STR},
    "chain": {},
    "projects": {},
    "batch_check": {},
    "cards": {"panel": _PANEL, "value": _COLUMN, "change": _COLUMN, "extra": _COLUMNS, "texts": _STRS,
              "per_row": _INT},
}
REQUIRED: dict[str, list[tuple[str, ...]]] = {
    # each tuple: one of these keys must be given
    "gauge": [("metric",)],
    "tile": [("metric", "panel")],
    "big_number": [("metric", "panel")],
    "progress": [("metric", "panel")],
    "trend": [("metrics",)],
    "ranking": [("panel",), ("column",)],
    "bars": [("panel", "metrics")],
    "share": [("panel",)],  # donut: the first column unless "column" names one
    "districts": [("panel",), ("columns",)],
    "cards": [("panel",), ("value",)],
}
CHOICES = {
    "order": ("desc", "asc"),
    "orientation": ("h", "v"),
    "mode": ("donut", "area"),
    "scope": ("brain", "all"),
}


# ---- reading --------------------------------------------------------------------------


def _header_lines(text: str) -> tuple[list[int], int]:
    """Line numbers (1-based) of each ``[[panel]]`` header, and of ``[layout]`` (0 if none)."""
    panels, layout = [], 0
    for i, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if re.match(r"^\[\[\s*panel\s*\]\]", s):
            panels.append(i)
        elif re.match(r"^\[\s*layout\s*\]", s):
            layout = i
    return panels, layout


def _key_line(text_lines: list[str], start: int, end: int, key: str) -> int:
    """The line of ``key = ...`` within lines start..end-1 (1-based), else start."""
    pat = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for i in range(start, min(end, len(text_lines) + 1)):
        if pat.match(text_lines[i - 1]):
            return i
    return start


def parse(path: Path, text: str, catalog: Catalog | None, brain_id: str) -> Layout:
    """A checked layout, or LayoutError listing every problem with its line.

    ``catalog``: metric and panel ids are checked against it (None: not checked).
    """
    problems: list[Problem] = []

    def bad(line: int, msg: str) -> None:
        problems.append(Problem(path, line, msg))

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise LayoutError([Problem(path, int(m.group(1)) if m else 0, f"TOML syntax: {exc}")]) from None
    lines = text.splitlines()
    heads, layout_line = _header_lines(text)
    unknown_top = sorted(set(data) - {"layout", "panel"})
    for k in unknown_top:
        bad(_key_line(lines, 1, len(lines) + 1, k), f"unknown top-level key {k!r} (expected [layout] and [[panel]])")
    grid = data.get("layout", {})
    if not isinstance(grid, dict):
        bad(layout_line, "[layout] must be a table")
        grid = {}
    grid_end = min([h for h in heads if h > layout_line], default=len(lines) + 1)
    dims = {}
    for key, default in (("columns", 24), ("rows", 12)):
        v = grid.get(key, default)
        if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= MAX_GRID:
            bad(_key_line(lines, layout_line or 1, grid_end, key), f"[layout] {key} must be a whole number 1–{MAX_GRID}, not {v!r}")
            v = default
        dims[key] = v
    for k in sorted(set(grid) - {"columns", "rows", "title"}):
        bad(_key_line(lines, layout_line or 1, grid_end, k), f"unknown [layout] key {k!r} (known: columns, rows, title)")
    raw_panels = data.get("panel", [])
    if not isinstance(raw_panels, list) or not raw_panels:
        bad(0, "no [[panel]] tables: a layout needs at least one panel")
        raw_panels = []

    brain = catalog.brain(brain_id) if catalog is not None else None
    if catalog is not None and brain is None:
        bad(0, f"the API lists no brain {brain_id!r}")
    # a tab shows its own brain's metrics (its snapshots carry no other brain's values)
    metrics = {m.id: m for m in brain.metrics} if brain is not None else None
    panel_cols = {p.id: set(p.columns) for p in brain.panels} if brain is not None else {}
    check_panels = brain is not None and bool(brain.panels)  # an API that lists none: not checked

    specs: list[PanelSpec] = []
    for i, raw in enumerate(raw_panels):
        start = heads[i] if i < len(heads) else 0
        end = heads[i + 1] if i + 1 < len(heads) else len(lines) + 1

        def at(key: str, _s: int = start, _e: int = end) -> int:
            return _key_line(lines, _s, _e, key) if _s else 0

        n0 = len(problems)
        if not isinstance(raw, dict):
            bad(start, "a [[panel]] must be a table")
            continue
        kind = raw.get("widget")
        if kind not in KINDS:
            known = ", ".join(sorted(KINDS))
            bad(at("widget"), f"unknown widget {kind!r} (known: {known})" if kind else f"panel has no widget (known: {known})")
            continue
        allowed = {**COMMON, **KINDS[kind]}
        for k in raw:
            if k not in allowed:
                bad(at(k), f"{kind}: unknown key {k!r} (known: {', '.join(sorted(allowed))})")
        for group in REQUIRED.get(kind, []):
            if not any(k in raw for k in group):
                bad(start, f"{kind}: needs {' or '.join(repr(k) for k in group)}")
        cell = raw.get("cell")
        if not (isinstance(cell, list) and len(cell) == 4 and all(isinstance(x, int) and not isinstance(x, bool) for x in cell)):
            bad(at("cell"), f"cell must be [column, row, column span, row span] as whole numbers, not {cell!r}")
            continue
        c, r, cs, rs = cell
        if c < 0 or r < 0 or cs < 1 or rs < 1 or c + cs > dims["columns"] or r + rs > dims["rows"]:
            bad(at("cell"), f"cell {cell} lies outside the {dims['columns']}×{dims['rows']} grid")
        opts = {k: v for k, v in raw.items() if k not in ("widget", "cell")}
        panel_id = opts.get("panel")
        for k, v in opts.items():
            want = allowed.get(k)
            line = at(k)
            if want == _TEXT and not (isinstance(v, str) or (isinstance(v, dict) and v and set(v) <= {"zh", "en"}
                                                           and all(isinstance(x, str) for x in v.values()))):
                bad(line, f"{k} must be text or {{ zh = \"…\", en = \"…\" }}, not {v!r}")
            elif want == _STR and not isinstance(v, str):
                bad(line, f"{k} must be text, not {v!r}")
            elif want == _STRS and not (isinstance(v, list) and v and all(isinstance(x, str) for x in v)):
                bad(line, f"{k} must be a non-empty list of texts, not {v!r}")
            elif want == _INT and (not isinstance(v, int) or isinstance(v, bool) or v < 1):
                bad(line, f"{k} must be a whole number ≥ 1, not {v!r}")
            elif want == _NUM and (not isinstance(v, int | float) or isinstance(v, bool)):
                bad(line, f"{k} must be a number, not {v!r}")
            elif want == _METRIC:
                _check_metric(v, k, line, metrics, bad)
            elif want == _METRICS:
                if not isinstance(v, list) or not v:
                    bad(line, f"{k} must be a non-empty list of metric ids, not {v!r}")
                else:
                    for m in v:
                        _check_metric(m, k, line, metrics, bad)
            elif want == _PANEL:
                if not isinstance(v, str):
                    bad(line, f"{k} must be a panel id, not {v!r}")
                elif check_panels and v not in panel_cols:
                    bad(line, f"unknown panel {v!r} of brain {brain_id!r} (the API lists: {', '.join(sorted(panel_cols)) or 'none'})")
            elif want in (_COLUMN, _COLUMNS):
                cols = v if want == _COLUMNS else [v]
                if not isinstance(cols, list) or not cols or not all(isinstance(x, str) for x in cols):
                    bad(line, f"{k} must be {'a non-empty list of column keys' if want == _COLUMNS else 'a column key'}, not {v!r}")
                elif check_panels and isinstance(panel_id, str) and panel_id in panel_cols:
                    for col in cols:
                        if col not in panel_cols[panel_id]:
                            bad(line, f"panel {panel_id!r} has no column {col!r} (it has: {', '.join(sorted(panel_cols[panel_id]))})")
            elif want == _CHANGES:
                if not isinstance(v, list) or not all(isinstance(x, dict) and "metric" in x for x in v):
                    bad(line, f"{k} must be a list of {{ label = \"同比\", metric = \"…\" }}, not {v!r}")
                else:
                    for x in v:
                        _check_metric(x["metric"], k, line, metrics, bad)
            elif want == _PATH:
                if not (isinstance(v, dict) and isinstance(v.get("panel"), str) and isinstance(v.get("column"), str)):
                    bad(line, f"{k} must be {{ panel = \"…\", column = \"…\" }}, not {v!r}")
                elif check_panels and (v["panel"] not in panel_cols or v["column"] not in panel_cols[v["panel"]]):
                    bad(line, f"{k}: brain {brain_id!r} has no panel column {v['panel']}.{v['column']}")
            if k in CHOICES and isinstance(v, str) and v not in CHOICES[k]:
                bad(line, f"{k} must be one of {', '.join(CHOICES[k])}, not {v!r}")
        if "row" in opts and "panel" not in opts:
            bad(at("row"), "row needs panel")
        if len(problems) == n0:
            specs.append(PanelSpec(kind, c, r, cs, rs, opts, start))

    # overlapping cells
    for j, b in enumerate(specs):
        for a in specs[:j]:
            if a.col < b.col + b.col_span and b.col < a.col + a.col_span and a.row < b.row + b.row_span and b.row < a.row + a.row_span:
                bad(b.line, f"{b.widget} at cell {[b.col, b.row, b.col_span, b.row_span]} overlaps the "
                            f"{a.widget} of line {a.line} at {[a.col, a.row, a.col_span, a.row_span]}")
    if problems:
        raise LayoutError(sorted(problems, key=lambda p: p.line))
    return Layout(brain_id, path, dims["columns"], dims["rows"], specs)


def _check_metric(v: Any, key: str, line: int, metrics: dict | None, bad: Any) -> None:
    if not isinstance(v, str):
        bad(line, f"{key} must be a metric id, not {v!r}")
    elif metrics is not None and v not in metrics:
        bad(line, f"unknown metric {v!r} (not a metric of this brain)")


# ---- finding -------------------------------------------------------------------------


def layout_path(brain_id: str, dirs: list[Path]) -> Path | None:
    """The first ``<brain>.toml`` in dirs (the user's folder first, then ours)."""
    for d in dirs:
        p = d / f"{brain_id}.toml"
        if p.is_file():
            return p
    return None


def load(brain: Brain, catalog: Catalog, dirs: list[Path]) -> Layout | None:
    """The brain's checked layout; None when it has no file (automatic layout).

    Raises LayoutError when the file is there but wrong (unreadable included).
    """
    path = layout_path(brain.id, dirs)
    if path is None:
        return None
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LayoutError([Problem(path, 0, f"cannot be read: {exc}")]) from None
    return parse(path, text, catalog, brain.id)
