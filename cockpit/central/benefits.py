"""The reference server's benefit applications (企业码 "一键获取"): kept like alarm states.

SQLAlchemy Core on the shared state store's engine (a SQLite file by default: the
applications survive a restart). An application is made once per enterprise and benefit;
its ``request_id`` makes a resend harmless. Its state follows from the time it was made,
deterministically (no background job): ``applied`` for :data:`REVIEW_AFTER_S`, then
``reviewing`` until :data:`DECIDE_AFTER_S`, then ``granted`` or — for about one benefit in
four, decided by a hash of the enterprise and the benefit — ``refused`` with the reason
(simulated review rules, said so in the reason).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable

from sqlalchemy import Column, Engine, Float, Integer, MetaData, String, Table, Text, insert, select

from cockpit.api.benefits import BenefitApplication, BenefitApply, BenefitState
from cockpit.api.schema import Names, PolicyBenefit

REVIEW_AFTER_S = 60  # 已申请 → 审核中
DECIDE_AFTER_S = 600  # 审核中 → 已兑现 / 不予支持

metadata = MetaData()

benefit_applications = Table(
    "benefit_applications", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("code", String(18), nullable=False, index=True),
    Column("benefit_id", String(64), nullable=False),
    Column("request_id", String(64), nullable=False, unique=True),
    Column("operator", String(64), nullable=False),
    Column("note", Text),
    Column("applied_at", Integer, nullable=False),
    Column("name_zh", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("amount", Float),
)


class BenefitStore:
    """Applications on an Engine; see the module docstring."""

    def __init__(self, engine: Engine, now_ms: Callable[[], int]) -> None:
        self.engine = engine
        self._now = now_ms
        self._lock = threading.Lock()
        metadata.create_all(engine)

    def apply(self, code: str, benefit: PolicyBenefit, body: BenefitApply) -> BenefitApplication:
        """Apply (once per enterprise and benefit; the same request id again: the same answer)."""
        with self._lock, self.engine.begin() as conn:
            row = conn.execute(select(benefit_applications).where(
                (benefit_applications.c.request_id == body.request_id)
                | ((benefit_applications.c.code == code) & (benefit_applications.c.benefit_id == benefit.id)))).first()
            if row is None:
                conn.execute(insert(benefit_applications).values(
                    code=code, benefit_id=benefit.id, request_id=body.request_id, operator=body.operator,
                    note=body.note, applied_at=self._now(), name_zh=benefit.name.zh, name_en=benefit.name.en,
                    amount=benefit.amount))
                row = conn.execute(select(benefit_applications).where(
                    benefit_applications.c.request_id == body.request_id)).first()
        assert row is not None
        if row.code != code or row.benefit_id != benefit.id:
            raise ValueError(f"request_id {body.request_id} was used for another application")
        return self._record(row)

    def of(self, code: str) -> list[BenefitApplication]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(benefit_applications).where(benefit_applications.c.code == code)
                                .order_by(benefit_applications.c.seq)).all()
        return [self._record(r) for r in rows]

    def _record(self, row) -> BenefitApplication:  # noqa: ANN001 (Row)
        age_s = (self._now() - row.applied_at) / 1000
        refused = hashlib.blake2b(f"{row.code}|{row.benefit_id}".encode(), digest_size=2).digest()[0] % 4 == 0
        reason: Names | None = None
        state: BenefitState
        if age_s < REVIEW_AFTER_S:
            state, at = "applied", row.applied_at
        elif age_s < DECIDE_AFTER_S:
            state, at = "reviewing", row.applied_at + REVIEW_AFTER_S * 1000
        else:
            at = row.applied_at + DECIDE_AFTER_S * 1000
            if refused:
                state = "refused"
                reason = Names(zh="申报数据与税务、统计部门核验数据不一致，请核对后重新申报（模拟审核规则）",
                               en="the figures declared differ from the tax and statistics records: check and "
                                  "apply again (simulated review rule)")
            else:
                state = "granted"
                amt = f"{row.amount:.1f}" if row.amount is not None else None
                reason = Names(zh=(f"{amt}万元已兑付" if amt else "已纳入政策兑现名单") + "（模拟审核）",
                               en=(f"{amt}万 CNY paid out" if amt else "on the list of benefits granted")
                               + " (simulated review)")
        return BenefitApplication(code=row.code, benefit_id=row.benefit_id, state=state, reason=reason,
                                  applied_by=row.operator, applied_at=row.applied_at, updated_at=at,
                                  request_id=row.request_id)
