"""Wire contract v1 between the cockpit and a central API.

One module owns the contract: the reference server builds its responses from these
models and the client validates every payload against them.

Conventions (docs/API.md says the same for integrators):

* JSON, UTF-8. Field names are snake_case.
* **Every timestamp is milliseconds since the Unix epoch, UTC** (``ts``, ``since``,
  ``until``), an integer; a platform may send an ISO 8601 string with an offset instead
  (``2026-12-06T20:00:00+08:00`` or ``…Z``), which the reader converts. A time without an
  offset is rejected: it cannot be placed.
* Numbers are finite: ``NaN`` and ``±Infinity`` are rejected. A value that is not known
  is ``null``, never a made-up number.
* Unknown fields are ignored (forward compatible), also in a row's ``values`` and a
  panel's ``targets``; missing required fields and wrong types are rejected — the client
  rejects the smallest part that is wrong (a cell, a reading, a panel, an alert), see
  :mod:`cockpit.api.tolerant`.
* Every string is data to be shown as plain text, never markup and never code.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

API_VERSION = "v1"
API_PREFIX = "/api/v1"

ID_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"
METRIC_ID_PATTERN = r"^[a-z][a-z0-9_]{0,63}\.[a-z][a-z0-9_]{0,63}$"
_METRIC_ID_RE = re.compile(METRIC_ID_PATTERN)

DEFAULT_TIME_ZONE = "Asia/Shanghai"


def _iso_to_ms(v: Any) -> Any:
    """An ISO 8601 time with an offset ("2026-12-06T20:00:00+08:00", "...Z") as epoch ms;
    anything else is left for the integer check. A time without an offset is refused."""
    if not isinstance(v, str):
        return v
    try:
        t = datetime.fromisoformat(v.strip())
    except ValueError:
        raise ValueError("not an ISO 8601 time") from None
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError("ISO 8601 time without an offset")
    return round(t.timestamp() * 1000)


# Epoch milliseconds, UTC (or an ISO 8601 string with offset, converted). Bounded to years
# 2000..2200 so that seconds or microseconds sent by mistake are rejected instead of being
# shown as a date in 1970 or 50000.
EpochMs = Annotated[
    int,
    BeforeValidator(_iso_to_ms),
    Field(ge=946_684_800_000, le=7_258_118_400_000),
    WithJsonSchema({"anyOf": [
        {"type": "integer", "minimum": 946_684_800_000, "maximum": 7_258_118_400_000,
         "description": "milliseconds since the Unix epoch, UTC"},
        {"type": "string", "format": "date-time", "description": "ISO 8601 with an offset"},
    ]}, mode="validation"),
]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, allow_inf_nan=False)


class Names(_Model):
    """A name in Chinese (shown by default) and English."""

    zh: str = Field(min_length=1, max_length=200)
    en: str = Field(min_length=1, max_length=200)

    def pick(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Thresholds(_Model):
    """Limits of a metric. Any may be null (no such limit).

    ``warn_*`` marks a value worth attention, ``alarm_*`` a value out of bounds. For a
    metric where high is bad only the ``*_high`` ones are set, and so on.
    """

    warn_low: FiniteFloat | None = None
    warn_high: FiniteFloat | None = None
    alarm_low: FiniteFloat | None = None
    alarm_high: FiniteFloat | None = None

    def level(self, value: float) -> Literal["ok", "warn", "alarm"]:
        if (self.alarm_high is not None and value >= self.alarm_high) or (
            self.alarm_low is not None and value <= self.alarm_low
        ):
            return "alarm"
        if (self.warn_high is not None and value >= self.warn_high) or (
            self.warn_low is not None and value <= self.warn_low
        ):
            return "warn"
        return "ok"


class Metric(_Model):
    """One measured quantity of a brain.

    ``range`` is the scale a gauge draws (a bounded quantity such as a run rate in %);
    a metric without a range is a counter or flow and is shown as a number tile.
    ``precision`` is the number of decimals to show. ``cadence_s`` is how often a new
    value is expected. ``headline`` marks the metrics a brain's trend chart shows.
    """

    id: str = Field(pattern=METRIC_ID_PATTERN, description="'<brain>.<metric>', e.g. 'dyeing.run_rate'")
    name: Names
    unit: Names
    range: tuple[FiniteFloat, FiniteFloat] | None = None
    thresholds: Thresholds = Thresholds()
    precision: int = Field(default=1, ge=0, le=6)
    cadence_s: float = Field(default=1.0, gt=0, le=86_400)
    # a reading older than this is shown as stale; null: three missed updates (3 × cadence_s)
    stale_after_s: float | None = Field(default=None, gt=0, le=30 * 86_400)
    headline: bool = False
    description: Names | None = None
    # where a figure comes from, for "where does this number come from": the scope (口径,
    # e.g. 规上工业企业 vs all enterprises) and the source (e.g. 企业实时采集, 统计月报)
    scope: Names | None = None
    source: Names | None = None
    # whether a rise is good news (True), bad news (False) or neither (null)
    up_is_good: bool | None = None

    @field_validator("range")
    @classmethod
    def _range_increasing(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is not None and not v[0] < v[1]:
            raise ValueError(f"range must be increasing, got {v[0]}..{v[1]}")
        return v

    @property
    def brain(self) -> str:
        return self.id.split(".", 1)[0]


class PanelInfo(_Model):
    """A panel a brain's snapshots carry (see :class:`DataPanel`), as the catalog lists it,
    so that a layout can be checked and titled before the first snapshot arrives."""

    id: str = Field(pattern=ID_PATTERN)
    title: Names
    columns: list[str] = Field(default_factory=list, max_length=50)  # column keys


class Brain(_Model):
    """An industry brain: one tab of the cockpit."""

    id: str = Field(pattern=ID_PATTERN)
    name: Names
    metrics: list[Metric] = Field(max_length=500)
    # the snapshot panels of this brain; empty when the API does not list them
    panels: list[PanelInfo] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _metrics_belong(self) -> Brain:
        seen: set[str] = set()
        for m in self.metrics:
            if m.brain != self.id:
                raise ValueError(f"metric {m.id!r} does not belong to brain {self.id!r}")
            if m.id in seen:
                raise ValueError(f"metric {m.id!r} listed twice")
            seen.add(m.id)
        return self

    def metric(self, metric_id: str) -> Metric | None:
        return next((m for m in self.metrics if m.id == metric_id), None)


class Catalog(_Model):
    """``GET /api/v1/brains``: the brains and their metrics."""

    api_version: Literal["v1"] = "v1"
    ts: EpochMs
    brains: list[Brain] = Field(max_length=100)
    # the platform's time zone (IANA name): every time, "today" and axis on screen uses it
    time_zone: str = Field(default=DEFAULT_TIME_ZONE, max_length=64)

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v[:64]!r}") from None
        return v

    @model_validator(mode="after")
    def _unique_brains(self) -> Catalog:
        ids = [b.id for b in self.brains]
        if len(ids) != len(set(ids)):
            raise ValueError("brain ids must be unique")
        return self

    def brain(self, brain_id: str) -> Brain | None:
        return next((b for b in self.brains if b.id == brain_id), None)

    def metrics(self) -> dict[str, Metric]:
        return {m.id: m for b in self.brains for m in b.metrics}


class Reading(_Model):
    """The current value of one metric and when it was measured."""

    value: FiniteFloat | None
    ts: EpochMs


# An enterprise's unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters
# of 0-9 and the capitals without I, O, Z, S, V. The check characters are verified by
# cockpit.api.uscc where a code is typed in; on the wire only the shape is enforced.
USCC_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{18}$"
EnterpriseCode = Annotated[str, Field(pattern=USCC_PATTERN)]
Status = Literal["running", "idle", "stopped"]
Strength = Literal["strong", "weak", "missing"]


class Alert(_Model):
    """An active alert: a metric past one of its thresholds, or an enterprise past a limit."""

    id: str = Field(min_length=1, max_length=128)
    brain: str = Field(pattern=ID_PATTERN)
    metric: str | None = Field(default=None, pattern=METRIC_ID_PATTERN)
    level: Literal["warn", "alarm"]
    message: Names
    value: FiniteFloat | None = None
    ts: EpochMs
    # the enterprise the alert is about (clicking the alert opens its profile)
    enterprise: EnterpriseCode | None = None
    # the district or county it is in, where the alert is about one place (the alarm journal filters by it)
    district: Names | None = None


# ---- snapshot panels: tables a screen binds its rankings, maps and charts to -------------


class Column(_Model):
    """One value column of a panel: its name, unit, decimals and good direction."""

    key: str = Field(pattern=ID_PATTERN)
    name: Names
    unit: Names
    precision: int = Field(default=1, ge=0, le=6)
    up_is_good: bool | None = None


class Row(_Model):
    """One row of a panel: an enterprise, a district, a year, a category...

    ``code`` is set when the row is an enterprise (a click opens its profile); ``district``
    is a district id; ``status`` an enterprise's production status.
    """

    key: str = Field(min_length=1, max_length=128)
    name: Names
    code: EnterpriseCode | None = None
    district: str | None = Field(default=None, pattern=ID_PATTERN)
    # the district's name, for districts the cockpit does not know by id
    district_name: Names | None = None
    status: Status | None = None
    values: dict[str, FiniteFloat | None] = Field(default_factory=dict)
    # optional (added later; older servers omit them): the brain a click on the row opens, the
    # group the row belongs to (e.g. "3 · 传统优势产业"), and text cells (e.g. a cluster's chain)
    brain: str | None = Field(default=None, pattern=ID_PATTERN)
    group: Names | None = None
    texts: dict[str, Names] = Field(default_factory=dict, max_length=20)


class DataPanel(_Model):
    """A table of a brain's snapshot beyond single metrics (``snapshot.panels[id]``).

    The same shape serves every panel: the enterprises of a cluster with their output and
    intensity (a screen ranks them by a column), the districts with their figures (a tile
    map), the years of a time line (a share chart, the path to a target), the categories
    of a breakdown (a donut or a bar chart). ``targets`` holds a goal per column where
    one exists (e.g. the 1000亿元 cluster target); ``scope`` and ``source`` say where the
    figures come from, as for metrics.
    """

    id: str = Field(pattern=ID_PATTERN)
    title: Names
    ts: EpochMs
    columns: list[Column] = Field(min_length=1, max_length=50)
    rows: list[Row] = Field(default_factory=list, max_length=5000)
    targets: dict[str, FiniteFloat] = Field(default_factory=dict)
    scope: Names | None = None
    source: Names | None = None
    cadence_s: float = Field(default=60.0, gt=0, le=366 * 86_400)

    @model_validator(mode="before")
    @classmethod
    def _drop_unknown_columns(cls, data: Any) -> Any:
        """Values and targets for columns the panel does not declare are ignored (an
        unknown key, as anywhere else), not a reason to reject the panel."""
        if not isinstance(data, dict) or not isinstance(data.get("columns"), list):
            return data
        keys = {c.get("key") if isinstance(c, dict) else getattr(c, "key", None) for c in data["columns"]}
        rows = data.get("rows")
        if isinstance(rows, list) and any(isinstance(r, dict) and isinstance(r.get("values"), dict)
                                          and not r["values"].keys() <= keys for r in rows):
            rows = [{**r, "values": {k: v for k, v in r["values"].items() if k in keys}}
                    if isinstance(r, dict) and isinstance(r.get("values"), dict) else r for r in rows]
            data = {**data, "rows": rows}
        targets = data.get("targets")
        if isinstance(targets, dict) and not targets.keys() <= keys:
            data = {**data, "targets": {k: v for k, v in targets.items() if k in keys}}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> DataPanel:
        keys = {c.key for c in self.columns}
        if len(keys) != len(self.columns):
            raise ValueError(f"panel {self.id!r}: column keys must be unique")
        seen: set[str] = set()
        for r in self.rows:
            if r.key in seen:
                raise ValueError(f"panel {self.id!r}: row {r.key!r} listed twice")
            seen.add(r.key)
        return self

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


class Snapshot(_Model):
    """``GET /api/v1/brains/{id}/snapshot``: every metric's current value, active alerts."""

    brain: str = Field(pattern=ID_PATTERN)
    ts: EpochMs
    values: dict[str, Reading]
    alerts: list[Alert] = Field(default_factory=list, max_length=1000)
    panels: dict[str, DataPanel] = Field(default_factory=dict, max_length=100)

    @model_validator(mode="before")
    @classmethod
    def _drop_foreign(cls, data: Any) -> Any:
        return _drop_foreign_values(data)

    @model_validator(mode="after")
    def _values_belong(self) -> Snapshot:
        _check_value_keys(self.brain, self.values)
        _check_panel_keys(self.panels)
        return self


def _drop_foreign_values(data: Any) -> Any:
    """Value keys that are not a metric of the brain are unknown keys: ignored."""
    if isinstance(data, dict) and isinstance(data.get("values"), dict) and isinstance(data.get("brain"), str):
        prefix = data["brain"] + "."
        values = data["values"]
        if not all(isinstance(k, str) and k.startswith(prefix) and _METRIC_ID_RE.match(k) for k in values):
            data = {**data, "values": {k: v for k, v in values.items()
                                       if isinstance(k, str) and k.startswith(prefix) and _METRIC_ID_RE.match(k)}}
    return data


def _check_panel_keys(panels: dict[str, DataPanel]) -> None:
    for key, panel in panels.items():
        if key != panel.id:
            raise ValueError(f"panel key {key!r} differs from the panel's id {panel.id!r}")


class Series(_Model):
    """History of one metric: points in increasing time, one per ``step_s``."""

    metric: str = Field(pattern=METRIC_ID_PATTERN)
    step_s: int = Field(ge=1)
    points: list[tuple[EpochMs, FiniteFloat | None]]

    @field_validator("points")
    @classmethod
    def _increasing(cls, pts: list[tuple[int, float | None]]) -> list[tuple[int, float | None]]:
        for a, b in zip(pts, pts[1:], strict=False):
            if b[0] <= a[0]:
                raise ValueError("points must be in strictly increasing time")
        return pts

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(timestamps in epoch seconds, values with NaN for null) as float arrays."""
        ts = np.fromiter((p[0] for p in self.points), dtype=float, count=len(self.points)) / 1000
        vals = np.fromiter((np.nan if p[1] is None else p[1] for p in self.points), dtype=float,
                           count=len(self.points))
        return ts, vals


class SeriesResponse(_Model):
    """``GET /api/v1/series``: one entry per requested metric, in request order."""

    since: EpochMs
    until: EpochMs
    step_s: int = Field(ge=1)
    series: list[Series]


class ErrorBody(_Model):
    """Every 4xx/5xx answer of the reference server has this body."""

    error: str
    detail: str = ""


def is_finite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


# ---- push stream (GET /api/v1/stream, server-sent events) ---------------------------------


def _check_value_keys(brain: str, values: dict[str, Reading]) -> None:
    for key in values:
        if not _METRIC_ID_RE.match(key) or key.split(".", 1)[0] != brain:
            raise ValueError(f"value key {key!r} is not a metric of brain {brain!r}")


class StreamDelta(_Model):
    """``event: delta`` of the stream: the readings of a brain that changed (a new value
    or a new measurement ``ts``) since the stream's previous event for that brain.
    ``ts`` is the second the delta brings the brain up to."""

    brain: str = Field(pattern=ID_PATTERN)
    ts: EpochMs
    values: dict[str, Reading]

    @model_validator(mode="before")
    @classmethod
    def _drop_foreign(cls, data: Any) -> Any:
        return _drop_foreign_values(data)

    @model_validator(mode="after")
    def _values_belong(self) -> StreamDelta:
        _check_value_keys(self.brain, self.values)
        return self


class StreamAlerts(_Model):
    """``event: alerts`` of the stream: the brain's full list of active alerts, sent when
    the set of active alerts (their ids and levels) changed."""

    brain: str = Field(pattern=ID_PATTERN)
    ts: EpochMs
    alerts: list[Alert] = Field(default_factory=list, max_length=1000)

    @model_validator(mode="after")
    def _alerts_belong(self) -> StreamAlerts:
        for a in self.alerts:
            if a.brain != self.brain:
                raise ValueError(f"alert {a.id!r} belongs to brain {a.brain!r}, not {self.brain!r}")
        return self


class StreamPanels(_Model):
    """``event: panels`` of the stream: the brain's panels that changed, each whole."""

    brain: str = Field(pattern=ID_PATTERN)
    ts: EpochMs
    panels: dict[str, DataPanel] = Field(max_length=100)

    @model_validator(mode="after")
    def _keys(self) -> StreamPanels:
        _check_panel_keys(self.panels)
        return self


class Heartbeat(_Model):
    """``event: heartbeat`` of the stream: the server's clock, sent to show the stream is alive."""

    ts: EpochMs


# ---- industry chain (GET /api/v1/brains/{id}/chain) ------------------------------------


class ChainLink(_Model):
    """One link of a chain stage (e.g. 12-inch wafer fabrication) and how well it is filled."""

    id: str = Field(pattern=ID_PATTERN)
    name: Names
    strength: Strength
    enterprises: int = Field(ge=0)
    output: FiniteFloat | None = None  # 亿元 per year, null when not known
    anchors: list[Names] = Field(default_factory=list, max_length=50)  # anchor enterprises
    note: Names | None = None
    # optional (added later; older servers omit it): 本地配套率, the share (%) of what the chain's
    # firms buy from this link that firms in the city supply; null when not known
    local_supply_pct: FiniteFloat | None = Field(default=None, ge=0, le=100)


class ChainStage(_Model):
    """A stage of the chain (design, manufacturing, packaging & test, ...), in chain order."""

    id: str = Field(pattern=ID_PATTERN)
    name: Names
    links: list[ChainLink] = Field(max_length=1000)


class ChainGap(_Model):
    """A weak or missing link worth attracting investment for (补链), and why."""

    link: str = Field(pattern=ID_PATTERN)
    reason: Names
    # optional (added later): what to attract for this gap (招引目标): kinds of firm or named
    # targets, in the order the investment office pursues them
    targets: list[Names] = Field(default_factory=list, max_length=20)


# 招引 (being courted) → 签约 (contract signed) → 在建 (under construction) → 投产 (in production)
ProjectStage = Literal["attracting", "signed", "building", "producing"]
PROJECT_STAGES: tuple[ProjectStage, ...] = ("attracting", "signed", "building", "producing")


class ChainProject(_Model):
    """An investment project on a chain link (建链补链强链: 已招引和落地项目).

    ``investment`` is the project's total investment in 亿元; ``expected_output`` the annual
    output (亿元) it is expected to add at full production, null when not stated; ``since``
    when it entered its current stage. ``simulated`` marks a project a simulator made up
    (a real platform sends false or omits it)."""

    id: str = Field(pattern=ID_PATTERN)
    name: Names
    link: str = Field(pattern=ID_PATTERN)
    stage: ProjectStage
    investment: FiniteFloat = Field(ge=0)
    expected_output: FiniteFloat | None = Field(default=None, ge=0)
    district: str | None = Field(default=None, pattern=ID_PATTERN)
    since: EpochMs | None = None
    simulated: bool = False


class Chain(_Model):
    """``GET /api/v1/brains/{id}/chain``: the brain's industry chain (建链补链强链)."""

    brain: str = Field(pattern=ID_PATTERN)
    ts: EpochMs
    title: Names
    stages: list[ChainStage] = Field(min_length=1, max_length=100)
    gaps: list[ChainGap] = Field(default_factory=list, max_length=5000)
    source: Names | None = None
    # optional (added later; older servers omit them): the investment projects on the chain's
    # links, and the chain's 本地配套率 as a whole (%)
    projects: list[ChainProject] = Field(default_factory=list, max_length=5000)
    local_supply_pct: FiniteFloat | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def _gaps_known(self) -> Chain:
        ids = [ln.id for st in self.stages for ln in st.links]
        if len(ids) != len(set(ids)):
            raise ValueError("chain link ids must be unique")
        for g in self.gaps:
            if g.link not in ids:
                raise ValueError(f"gap names unknown link {g.link!r}")
        known = set(ids)
        seen: set[str] = set()
        for pr in self.projects:
            if pr.link not in known:
                raise ValueError(f"project {pr.id!r} names unknown link {pr.link!r}")
            if pr.id in seen:
                raise ValueError(f"project {pr.id!r} listed twice")
            seen.add(pr.id)
        return self


# ---- enterprises (GET /api/v1/enterprises?q=&brain=, /api/v1/enterprises/{code}) -----------


class EnterpriseSummary(_Model):
    """An enterprise as listed by a search."""

    code: EnterpriseCode
    name: Names
    brain: str = Field(pattern=ID_PATTERN)
    district: str = Field(pattern=ID_PATTERN)
    district_name: Names
    status: Status


class EnterpriseList(_Model):
    """``GET /api/v1/enterprises``: the enterprises matching ``q`` (name part or code)."""

    q: str = ""
    total: int = Field(ge=0)  # matches in all, of which ``items`` holds the first ones
    items: list[EnterpriseSummary] = Field(max_length=500)


class ProfileField(_Model):
    """One figure of a profile section: a number with unit, or a text (e.g. a rating "AA")."""

    key: str = Field(pattern=ID_PATTERN)
    name: Names
    value: FiniteFloat | None = None
    unit: Names | None = None
    precision: int = Field(default=1, ge=0, le=6)
    text: Names | None = None
    ts: EpochMs | None = None


class ProfileSection(_Model):
    """A section of the enterprise code: production, operation, logistics, finance, credit."""

    id: Literal["production", "operation", "logistics", "finance", "credit"]
    name: Names
    fields: list[ProfileField] = Field(max_length=100)


class PolicyBenefit(_Model):
    """A policy the enterprise qualifies for, and on what grounds."""

    id: str = Field(pattern=ID_PATTERN)
    name: Names
    basis: Names
    amount: FiniteFloat | None = None  # 万元, when the benefit is a sum


class EnterpriseProfile(_Model):
    """``GET /api/v1/enterprises/{code}``: the enterprise code (企业码) profile, live."""

    code: EnterpriseCode
    name: Names
    brain: str = Field(pattern=ID_PATTERN)
    district: str = Field(pattern=ID_PATTERN)
    district_name: Names
    status: Status
    ts: EpochMs
    chain_link: str | None = Field(default=None, pattern=ID_PATTERN)
    sections: list[ProfileSection] = Field(max_length=10)
    benefits: list[PolicyBenefit] = Field(default_factory=list, max_length=50)


# ---- rice-wine batches (GET /api/v1/batches/{batch_no}) ---------------------------------

BATCH_PATTERN = r"^[A-Z0-9][A-Z0-9-]{3,31}$"


class StoragePoint(_Model):
    """A month of a batch's storage: mean temperature and humidity where it was kept."""

    ts: EpochMs  # start of the month
    temp_c: FiniteFloat | None
    rh: FiniteFloat | None


class BlendPart(_Model):
    """One base wine (原酒) of a blended batch: its vintage, its share of the volume and its
    age when the batch was blended (勾调)."""

    vintage: int = Field(ge=1900, le=2100)
    share_pct: FiniteFloat = Field(ge=0, le=100)
    age_years: FiniteFloat = Field(ge=0, le=100)


class BatchCheckItem(_Model):
    """One check behind a batch's verdict: what was checked, the outcome and why.

    ``result``: ``pass``, ``fail`` (decides the verdict ``inconsistent``), ``unknown`` (the
    records to decide are missing: ``unverifiable``) or ``info`` (evidence shown, not a test:
    e.g. the storage temperature)."""

    id: str = Field(pattern=ID_PATTERN)
    name: Names
    result: Literal["pass", "fail", "unknown", "info"]
    detail: Names


class Batch(_Model):
    """A batch of aged rice wine: provenance, storage history and the vintage verdict.

    ``verdict`` compares the age on the label with the age the records show:
    ``consistent`` (the records support the label), ``inconsistent`` (they do not; the
    ``reasons`` say why) or ``unverifiable`` (records missing).
    """

    batch_no: str = Field(pattern=BATCH_PATTERN)
    ts: EpochMs
    product: Names
    producer: EnterpriseSummary
    labelled_age_years: int = Field(ge=0, le=100)
    brewed_on: EpochMs
    stored_since: EpochMs
    bottled_on: EpochMs | None = None
    location: Names
    recorded_age_years: FiniteFloat | None
    storage: list[StoragePoint] = Field(default_factory=list, max_length=1300)
    verdict: Literal["consistent", "inconsistent", "unverifiable"]
    reasons: list[Names] = Field(default_factory=list, max_length=20)
    # optional (added later; older servers omit them): the blend and the checks the verdict rests on
    blend: list[BlendPart] = Field(default_factory=list, max_length=20)
    checks: list[BatchCheckItem] = Field(default_factory=list, max_length=12)


# ---- display fleet (POST /api/v1/displays/{id}/heartbeat, GET /api/v1/displays) ----------

# A display's id: short, printable, safe in a URL path and a file name (e.g. "cc-wall-01-0").
DISPLAY_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
_ID_RE = re.compile(ID_PATTERN)
LinkName = Literal["live", "offline", "connecting"]
DisplayState = Literal["ok", "stale", "down"]


class ScreenSize(_Model):
    """A display's screen (or window) size in pixels."""

    width: int = Field(ge=1, le=100_000)
    height: int = Field(ge=1, le=100_000)


class DisplayHeartbeat(_Model):
    """``POST /api/v1/displays/{display_id}/heartbeat``: what a cockpit reports every minute.

    ``ts`` is the display's own clock. ``data_age_s`` holds, per brain, how many seconds
    ago the data on screen arrived (``null``: that brain has no data on screen).
    ``period_s`` is how often the display reports, so the server knows when a heartbeat
    is missing. ``link`` is the display's link to the API's data (``offline``: it shows
    cached data). ``host`` is a name for people (it may differ from ``display_id``).
    """

    display_id: str = Field(pattern=DISPLAY_ID_PATTERN)
    version: str = Field(min_length=1, max_length=64)
    ts: EpochMs
    shown_tab: str | None = Field(default=None, pattern=ID_PATTERN)  # a brain id or "enterprise"
    data_age_s: dict[str, Annotated[float, Field(ge=0, allow_inf_nan=False)] | None] = Field(
        default_factory=dict, max_length=100
    )
    rss_mb: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    uptime_s: Annotated[float, Field(ge=0, allow_inf_nan=False)]
    link: LinkName
    period_s: float = Field(default=60.0, ge=1, le=3600, allow_inf_nan=False)
    host: str | None = Field(default=None, max_length=253)
    screen: ScreenSize | None = None

    @field_validator("data_age_s")
    @classmethod
    def _brain_ids(cls, v: dict[str, float | None]) -> dict[str, float | None]:
        for key in v:
            if not _ID_RE.match(key):
                raise ValueError(f"data_age_s key {key[:70]!r} is not a brain id")
        return v


class HeartbeatAck(_Model):
    """The answer to a heartbeat (a platform may answer ``204`` with no body instead)."""

    display_id: str = Field(pattern=DISPLAY_ID_PATTERN)
    received_ms: EpochMs  # the server's clock when the heartbeat arrived


class DisplayStatus(_Model):
    """A display as the server sees it: its last heartbeat and the state derived from it.

    ``state`` (computed by the server when it answers): ``down`` when 5 heartbeats are
    missing, ``stale`` when 2 are missing, when the display's link is offline or when a
    brain's data on it is too old; otherwise ``ok``. ``reasons`` say why (plain text,
    empty when ``ok``); ``age_s`` is the time since the last heartbeat arrived.
    """

    heartbeat: DisplayHeartbeat
    received_ms: EpochMs
    age_s: FiniteFloat = Field(ge=0)
    state: DisplayState
    reasons: list[str] = Field(default_factory=list, max_length=110)


class DisplayList(_Model):
    """``GET /api/v1/displays``: every display that reported, by ``display_id``."""

    ts: EpochMs
    displays: list[DisplayStatus] = Field(max_length=10_000)
