"""Digital twin of a plant (孪生同现): ``GET /api/v1/enterprises/{code}/twin``.

A floor plan in metres: areas (a workshop, a cellar) and units on it (a dyeing machine, a
stenter, a fermentation tank), each with its state and meters. The platform answers 404
for an enterprise without a twin. ``simulated`` marks a twin a simulator made; the
cockpit says so on screen.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from cockpit.api.schema import ID_PATTERN, EnterpriseCode, EpochMs, FiniteFloat, Names, _Model

__all__ = ["Twin", "TwinArea", "TwinMeter", "TwinState", "TwinUnit"]

# running 运行, idle 待机, stopped 停机, fault 故障, cleaning 清洗/维护
TwinState = Literal["running", "idle", "stopped", "fault", "cleaning"]


class TwinMeter(_Model):
    """A reading of a unit: a number with its unit, or a text (a process step)."""

    key: str = Field(pattern=ID_PATTERN)
    name: Names
    value: FiniteFloat | None = None
    unit: Names | None = None
    precision: int = Field(default=1, ge=0, le=6)
    text: Names | None = None
    level: Literal["ok", "warn", "alarm"] = "ok"  # against the unit's limits


class TwinArea(_Model):
    """A part of the floor (a workshop, a cellar): a rectangle in metres from the top left."""

    id: str = Field(pattern=ID_PATTERN)
    name: Names
    x: FiniteFloat = Field(ge=0)
    y: FiniteFloat = Field(ge=0)
    w: FiniteFloat = Field(gt=0)
    h: FiniteFloat = Field(gt=0)


class TwinUnit(TwinArea):
    """A machine, tank or line on the floor, its state and meters."""

    kind: str = Field(pattern=ID_PATTERN)  # e.g. "jet_dyer", "stenter", "ferment_tank"
    state: TwinState
    meters: list[TwinMeter] = Field(default_factory=list, max_length=12)


class Twin(_Model):
    """``GET /api/v1/enterprises/{code}/twin``: the plant of one enterprise, live."""

    code: EnterpriseCode
    name: Names
    brain: str = Field(pattern=ID_PATTERN)
    kind: str = Field(pattern=ID_PATTERN)  # "dyeing_mill", "brewery", …
    ts: EpochMs
    floor_w: FiniteFloat = Field(gt=0, le=10_000)  # metres
    floor_h: FiniteFloat = Field(gt=0, le=10_000)
    areas: list[TwinArea] = Field(default_factory=list, max_length=50)
    units: list[TwinUnit] = Field(min_length=1, max_length=500)
    cadence_s: float = Field(default=5.0, gt=0, le=86_400)
    simulated: bool = False
    source: Names | None = None

    @model_validator(mode="after")
    def _on_the_floor(self) -> Twin:
        ids: set[str] = set()
        for part in [*self.areas, *self.units]:
            if part.x + part.w > self.floor_w + 1e-6 or part.y + part.h > self.floor_h + 1e-6:
                raise ValueError(f"{part.id!r} lies outside the {self.floor_w:g} × {self.floor_h:g} m floor")
        for u in self.units:
            if u.id in ids:
                raise ValueError(f"unit {u.id!r} listed twice")
            ids.add(u.id)
        return self
