"""Wire contract v1, 企业码 "一键获取": applying for a policy benefit from the profile.

The profile (``GET /api/v1/enterprises/{code}``) lists the benefits an enterprise
qualifies for (:class:`~cockpit.api.schema.PolicyBenefit`). An operator applies for one:

* ``POST /api/v1/enterprises/{code}/benefits/{benefit_id}/apply``  body :class:`BenefitApply`

which answers the :class:`BenefitApplication`; ``request_id`` makes it idempotent (sent
again after a lost answer or an outage: the same application, not a second one), and an
enterprise applies for a benefit once (a second request answers the first application).
The application then moves ``applied`` (已申请) → ``reviewing`` (审核中) → ``granted``
(已兑现) or ``refused`` (不予支持, with the reason). ``GET /api/v1/enterprises/{code}/benefits``
answers :class:`BenefitApplications`: the state of every benefit applied for.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from cockpit.api.schema import ID_PATTERN, EnterpriseCode, EpochMs, Names, _Model

BenefitState = Literal["applied", "reviewing", "granted", "refused"]
REQUEST_ID_PATTERN = r"^[A-Za-z0-9_-]{8,64}$"


class BenefitApply(_Model):
    """The body of ``POST /api/v1/enterprises/{code}/benefits/{benefit_id}/apply``."""

    request_id: str = Field(pattern=REQUEST_ID_PATTERN, description="idempotency key, unique per application")
    operator: str = Field(min_length=1, max_length=64, description="who applies (the cockpit's alarm.operator)")
    note: str | None = Field(default=None, max_length=500)


class BenefitApplication(_Model):
    """One benefit applied for, and where its application stands."""

    code: EnterpriseCode
    benefit_id: str = Field(pattern=ID_PATTERN)
    state: BenefitState
    reason: Names | None = None  # why (refused), or what was granted
    applied_by: str
    applied_at: EpochMs
    updated_at: EpochMs  # when it reached its state
    request_id: str


class BenefitApplications(_Model):
    """``GET /api/v1/enterprises/{code}/benefits``: every benefit the enterprise applied for."""

    code: EnterpriseCode
    applications: list[BenefitApplication] = Field(default_factory=list, max_length=50)
