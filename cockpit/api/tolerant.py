"""The tolerant reader: a payload that breaks the contract loses only the part that is wrong.

A platform written by someone else will, one day, send one bad cell in a table of a
hundred enterprises. Rejecting the whole snapshot would blank every widget of the brain
for that one cell; this module narrows the rejection instead::

    snap, problems = read(Snapshot, body)          # body: bytes, str or parsed JSON

* an unknown key anywhere is ignored (the models do that);
* a bad cell (``panels.<p>.rows[i].values.<col>``) is blanked (``null``): the rest of the
  row and panel stay;
* a bad reading (``values.<metric>``) is left out: that metric is marked;
* a bad panel (a column without a unit, a duplicate row...) is left out: that panel is
  marked, the brain's other panels stay;
* a bad alert is left out (the others stay);
* only a payload whose head is wrong (``brain``, ``ts``, not an object) is rejected whole
  (:class:`~cockpit.api.client.ContractError`).

Each part left out or blanked is a :class:`Problem`: which part, what kind of fault, in
which field. The hub keeps them per brain; the screen marks the part and the status bar
and ``--report`` list them. No Qt here, no language: :mod:`cockpit.ui.text` words them.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

__all__ = ["MAX_PASSES", "Problem", "future_problems", "problem_kind", "read"]

M = TypeVar("M", bound=BaseModel)

MAX_PASSES = 6  # validate, drop what is wrong, validate again: bounded

# pydantic error types -> the short kinds the screen words (cockpit.ui.text.problem_text)
_KINDS = {
    "missing": "missing",
    "string_too_short": "empty",
    "too_short": "empty",
    "string_too_long": "too_long",
    "too_long": "too_many",
    "string_pattern_mismatch": "format",
    "literal_error": "value",
    "enum": "value",
    "finite_number": "number",
    "float_parsing": "number",
    "float_type": "number",
    "int_parsing": "number",
    "int_type": "number",
    "int_from_float": "number",
    "greater_than_equal": "range",
    "less_than_equal": "range",
    "greater_than": "range",
    "less_than": "range",
    "string_type": "type",
    "dict_type": "type",
    "list_type": "type",
    "model_type": "type",
    "bool_type": "type",
    "bool_parsing": "type",
    "tuple_type": "type",
}


def problem_kind(err_type: str, msg: str = "") -> str:
    kind = _KINDS.get(err_type)
    if kind is not None:
        return kind
    if "ISO 8601" in msg:
        return "time"
    return "invalid"


@dataclass(frozen=True)
class Problem:
    """A part of a payload that was left out or blanked.

    ``part``: ``metric:<id>``, ``panel:<id>``, ``cell:<panel>/<row>/<column>``,
    ``alert:<index>``, ``alerts``, ``values`` or ``panels``. ``kind``: ``missing``,
    ``empty``, ``too_long``, ``too_many``, ``format``, ``value``, ``number``, ``range``,
    ``type``, ``time``, ``future`` or ``invalid``. ``field``: where inside the part
    (``columns.0.unit.zh``), possibly empty. ``detail``: the validator's English text, for
    the log only (never shown).
    """

    part: str
    kind: str
    field: str = ""
    detail: str = ""

    def __str__(self) -> str:  # English, short: logs and --report
        where = f" ({self.field})" if self.field else ""
        return f"{self.part}: {self.kind}{where}"


def _loc(parts: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in parts)


def read(model: type[M], body: bytes | str | Any) -> tuple[M, list[Problem]]:
    """Validate ``body`` against ``model``, leaving out (or blanking) the smallest parts that
    are wrong. Raises :class:`ValidationError` when the payload's head is wrong or parsing
    fails (the caller turns it into a ContractError), ``ValueError`` for bad JSON."""
    first: ValidationError
    if isinstance(body, bytes | str):
        try:
            return model.model_validate_json(body), []  # the fast path: nothing wrong
        except ValidationError as e:
            if any(err["type"] == "json_invalid" for err in e.errors()):
                raise
            first = e
        data = json.loads(body)
    else:
        data = body
        try:
            return model.model_validate(data), []
        except ValidationError as e:
            first = e
    if not isinstance(data, dict):
        raise first
    data = copy.deepcopy(data)
    problems: list[Problem] = []
    current = first
    for _ in range(MAX_PASSES):
        if not _narrow(data, current, problems):
            raise current
        try:
            return model.model_validate(data), problems
        except ValidationError as again:
            current = again
    raise current


def _narrow(data: dict, exc: ValidationError, problems: list[Problem]) -> bool:
    """Remove or blank the parts ``exc`` names; False when one cannot be narrowed."""
    drop_alerts: set[int] = set()
    for err in exc.errors():
        loc = tuple(err["loc"])
        kind = problem_kind(err["type"], err.get("msg", ""))
        detail = err.get("msg", "")
        head = loc[0] if loc else None
        if head == "values" and len(loc) >= 2 and isinstance(data.get("values"), dict):
            key = str(loc[1])
            if key in data["values"]:
                del data["values"][key]
                problems.append(Problem(f"metric:{key}", kind, _loc(loc[2:]), detail))
                continue
        if head == "values" and len(loc) == 1:
            data["values"] = {}
            problems.append(Problem("values", kind, "", detail))
            continue
        if head == "alerts" and len(loc) >= 2 and isinstance(loc[1], int) and isinstance(data.get("alerts"), list):
            if loc[1] not in drop_alerts:
                drop_alerts.add(loc[1])
                problems.append(Problem(f"alert:{loc[1]}", kind, _loc(loc[2:]), detail))
            continue
        if head == "alerts" and len(loc) == 1:
            data["alerts"] = []
            problems.append(Problem("alerts", kind, "", detail))
            continue
        if head == "panels" and len(loc) >= 2 and isinstance(data.get("panels"), dict):
            pid = str(loc[1])
            panel = data["panels"].get(pid)
            if panel is None:  # already left out for an earlier error of this pass
                continue
            cell = _cell(panel, loc[2:])
            if cell is not None:
                row, col = cell
                row["values"][col] = None
                problems.append(Problem(f"cell:{pid}/{row.get('key', loc[4])}/{col}", kind, "", detail))
                continue
            del data["panels"][pid]
            problems.append(Problem(f"panel:{pid}", kind, _loc(loc[2:]), detail))
            continue
        if head == "panels" and len(loc) == 1:
            data["panels"] = {}
            problems.append(Problem("panels", kind, "", detail))
            continue
        return False
    if drop_alerts:
        data["alerts"] = [a for i, a in enumerate(data["alerts"]) if i not in drop_alerts]
    return True


def _cell(panel: Any, rest: tuple[Any, ...]) -> tuple[dict, str] | None:
    """(row, column) when ``rest`` points at one value of one row: ``rows.<i>.values.<col>``."""
    if len(rest) < 4 or rest[0] != "rows" or not isinstance(rest[1], int) or rest[2] != "values":
        return None
    rows = panel.get("rows") if isinstance(panel, dict) else None
    if not isinstance(rows, list) or not 0 <= rest[1] < len(rows):
        return None
    row = rows[rest[1]]
    if not isinstance(row, dict) or not isinstance(row.get("values"), dict) or str(rest[3]) not in row["values"]:
        return None
    return row, str(rest[3])


def future_problems(obj: BaseModel, now_ms: int, tolerance_ms: int) -> list[str]:
    """Where a payload's times lie in the future of ``now_ms`` by more than the tolerance
    (a platform sending local time as epoch ms, or a wrong clock): ``["ts", "points.3"]``.

    The same rule for every payload: snapshots, series, profiles, chains, batches,
    alerts. Walks the model's fields named like times (``ts`` and the ``*_on`` dates
    of a batch) and a series' points.
    """
    out: list[str] = []
    limit = now_ms + tolerance_ms

    def walk(o: Any, path: str) -> None:
        if isinstance(o, BaseModel):
            for name in type(o).model_fields:
                v = getattr(o, name)
                p = f"{path}.{name}" if path else name
                if name in _TIME_FIELDS and isinstance(v, int) and not isinstance(v, bool):
                    if v > limit:
                        out.append(p)
                elif name == "points" and isinstance(v, list):
                    if v and isinstance(v[-1], tuple) and v[-1][0] > limit:  # increasing: the last is enough
                        out.append(p)
                else:
                    walk(v, p)
        elif isinstance(o, list | tuple):
            for i, x in enumerate(o):
                if isinstance(x, BaseModel):
                    walk(x, f"{path}.{i}")
        elif isinstance(o, dict):
            for k, x in o.items():
                if isinstance(x, BaseModel):
                    walk(x, f"{path}.{k}")
        if len(out) > 20:
            return

    walk(obj, "")
    return out


_TIME_FIELDS = frozenset({"ts", "brewed_on", "stored_since", "bottled_on"})
