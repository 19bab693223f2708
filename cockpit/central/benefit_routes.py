"""The 企业码 benefit applications' routes on the reference server (see :mod:`cockpit.api.benefits`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response

from cockpit.api import uscc
from cockpit.api.benefits import BenefitApplication, BenefitApplications, BenefitApply
from cockpit.api.schema import API_PREFIX, EnterpriseProfile
from cockpit.central.benefits import BenefitStore
from cockpit.central.bodies import read_model

MAX_BODY_BYTES = 16 * 1024
JSON = "application/json"


def add_benefit_routes(app: FastAPI, store: BenefitStore, profile: Callable[[str], EnterpriseProfile | None], *,
                       error: Callable[[int, str, str], Exception], errors: dict[int | str, dict[str, Any]]) -> None:
    """``POST /enterprises/{code}/benefits/{benefit_id}/apply`` and ``GET /enterprises/{code}/benefits``."""
    app.state.benefits = store

    def checked(code: str) -> EnterpriseProfile:
        try:
            norm = uscc.validate(code)
        except uscc.InvalidCode as exc:
            raise error(400, "bad_request", f"code: {exc}") from None
        prof = profile(norm)
        if prof is None:
            raise error(404, "not_found", f"no enterprise with credit code {norm} on this platform")
        return prof

    @app.post(f"{API_PREFIX}/enterprises/{{code}}/benefits/{{benefit_id}}/apply", response_model=BenefitApplication,
              responses=errors, tags=["enterprises"], summary="企业码 一键获取: apply for a benefit",
              description="Body `BenefitApply` (JSON). Once per enterprise and benefit: the same `request_id` "
                          "(or a second application) answers the application as it is. 404 when the profile does "
                          "not list the benefit. The state moves applied → reviewing (after 60 s) → granted or "
                          "refused with the reason (after 10 min; simulated review).")
    async def apply(code: str, benefit_id: str, request: Request) -> Response:
        prof = checked(code)
        benefit = next((b for b in prof.benefits if b.id == benefit_id), None)
        if benefit is None:
            raise error(404, "not_found", f"the enterprise does not qualify for benefit {benefit_id[:64]!r}")
        parsed = await read_model(request, BenefitApply, MAX_BODY_BYTES, "body larger than 16 KB", error)
        try:
            rec = store.apply(prof.code, benefit, parsed)
        except ValueError as exc:
            raise error(409, "conflict", str(exc)) from None
        return Response(rec.model_dump_json(), media_type=JSON)

    @app.get(f"{API_PREFIX}/enterprises/{{code}}/benefits", response_model=BenefitApplications, responses=errors,
             tags=["enterprises"], summary="The state of every benefit the enterprise applied for")
    def applications(code: str) -> Response:
        prof = checked(code)
        return Response(BenefitApplications(code=prof.code, applications=store.of(prof.code)).model_dump_json(),
                        media_type=JSON)
