"""Wire contract v1, drill-down views: a district, an industry in a district, a chain link.

``GET /api/v1/districts/{district}`` → :class:`DistrictView`: the district's figures (its row
of the city overview), its figures per brain, its enterprises and its active alerts.
``GET /api/v1/districts/{district}/clusters/{brain}`` → :class:`ClusterView`: one industry
brain's enterprises in the district with the brain's own columns (the same ``DataPanel``
shape as a snapshot's ``enterprises`` panel), their sums and their alerts.
``GET /api/v1/brains/{brain}/chain/{link}`` → :class:`ChainLinkView`: a link of the brain's
industry chain with its enterprises and, when it is weak or missing, why (the gap reason).

The conventions of :mod:`cockpit.api.schema` hold (epoch ms, finite numbers, null for an
unknown value, unknown fields ignored, every string plain text).
"""

from __future__ import annotations

from pydantic import Field, model_validator

from cockpit.api.schema import (
    ID_PATTERN,
    Alert,
    ChainLink,
    DataPanel,
    EnterpriseSummary,
    EpochMs,
    FiniteFloat,
    Names,
    ProfileField,
    _Model,
)

__all__ = ["BrainInDistrict", "ChainLinkView", "ClusterView", "DistrictView"]


class BrainInDistrict(_Model):
    """An industry brain's figures in one district: how many of its enterprises are there,
    how many run, their leading figure summed (``value`` in ``unit``, named ``figure``,
    e.g. 今日产量 in 万米) and its share of the brain's city total, and their alerts."""

    brain: str = Field(pattern=ID_PATTERN)
    name: Names
    enterprises: int = Field(ge=0)
    running: int = Field(ge=0)
    figure: Names
    value: FiniteFloat | None = None
    unit: Names
    precision: int = Field(default=1, ge=0, le=6)
    share: FiniteFloat | None = None  # % of the brain's city-wide value, null when not known
    alerts: int = Field(ge=0)


class DistrictView(_Model):
    """``GET /api/v1/districts/{district}``: one district or county-level city, drilled into.

    ``figures`` are the district's overview figures (output, growth, enterprises, power,
    alerts: its row of the city's ``districts`` panel, same keys); ``brains`` its figures
    per industry brain (a click opens that industry in the district); ``enterprises`` the
    enterprises of the platform located there (largest first, at most ``limit``, ``total``
    counts all); ``alerts`` the active alerts about places or enterprises there."""

    id: str = Field(pattern=ID_PATTERN)
    name: Names
    ts: EpochMs
    figures: list[ProfileField] = Field(default_factory=list, max_length=50)
    brains: list[BrainInDistrict] = Field(default_factory=list, max_length=100)
    total: int = Field(ge=0)
    enterprises: list[EnterpriseSummary] = Field(default_factory=list, max_length=5000)
    alerts: list[Alert] = Field(default_factory=list, max_length=1000)
    source: Names | None = None


class ClusterView(_Model):
    """``GET /api/v1/districts/{district}/clusters/{brain}``: one industry (the brain's
    cluster) in one district. ``figures``: its sums there (enterprises, running, the
    brain's leading figure and its share); ``enterprises``: a panel of the brain's
    enterprises in the district with the brain's columns (as the snapshot's ``enterprises``
    panel, rows filtered to the district); ``alerts``: their active alerts."""

    district: str = Field(pattern=ID_PATTERN)
    district_name: Names
    brain: str = Field(pattern=ID_PATTERN)
    name: Names
    ts: EpochMs
    figures: list[ProfileField] = Field(default_factory=list, max_length=50)
    enterprises: DataPanel
    alerts: list[Alert] = Field(default_factory=list, max_length=1000)

    @model_validator(mode="after")
    def _alerts_belong(self) -> ClusterView:
        for a in self.alerts:
            if a.brain != self.brain:
                raise ValueError(f"alert {a.id!r} belongs to brain {a.brain!r}, not {self.brain!r}")
        return self


class ChainLinkView(_Model):
    """``GET /api/v1/brains/{brain}/chain/{link}``: one link of the brain's industry chain.

    ``stage`` names the stage the link belongs to; ``link`` is the link as the chain lists
    it; ``gap`` is the reason it is a gap to fill (补链) — null when the link is strong;
    ``enterprises`` the enterprises on the link (largest first)."""

    brain: str = Field(pattern=ID_PATTERN)
    ts: EpochMs
    chain: Names  # the chain's title
    stage: Names
    link: ChainLink
    gap: Names | None = None
    enterprises: list[EnterpriseSummary] = Field(default_factory=list, max_length=5000)

    @model_validator(mode="after")
    def _count(self) -> ChainLinkView:
        if len(self.enterprises) > self.link.enterprises:
            raise ValueError(f"link {self.link.id!r} lists {len(self.enterprises)} enterprises but counts "
                             f"{self.link.enterprises}")
        return self
