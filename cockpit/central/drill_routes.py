"""The drill-down routes of the reference server (see :mod:`cockpit.api.drill`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response

from cockpit.api.drill import ChainLinkView, ClusterView, DistrictView
from cockpit.api.schema import API_PREFIX
from cockpit.central.drill import INDUSTRY_BRAINS, chain_link_view, cluster_view, district_view
from cockpit.central.places import DISTRICTS

JSON = "application/json"
DEFAULT_LIMIT = 100
MAX_LIMIT = 500


def add_drill_routes(app: FastAPI, sim: Any, now_ms: Callable[[], int], *,
                     error: Callable[[int, str, str], Exception], known_brain: Callable[[str], None],
                     errors: dict[int | str, dict[str, Any]]) -> None:
    """Add ``GET /districts/{district}``, ``GET /districts/{district}/clusters/{brain}`` and
    ``GET /brains/{brain}/chain/{link}``, answered from ``sim`` (deterministic per seed and
    time). ``error(status, code, detail)`` makes the server's ErrorBody exception."""
    known = ", ".join(d.id for d in DISTRICTS)

    def _json(model: Any) -> Response:
        return Response(model.model_dump_json(), media_type=JSON, headers={"Cache-Control": "no-cache"})

    def _district(district: str) -> None:
        if district not in {d.id for d in DISTRICTS}:
            raise error(404, "not_found", f"unknown district {district[:80]!r}; known: {known}")

    @app.get(
        f"{API_PREFIX}/districts/{{district}}",
        response_model=DistrictView,
        responses=errors,
        tags=["drill-down"],
        summary="A district: its figures, its figures per brain, its enterprises and alerts",
        description=(
            f"`district`: a district id as the city's `districts` panel lists them ({known}). `figures` are the "
            "district's row of that panel (same keys and values at the same moment); `brains` the district's "
            "enterprises per industry brain with the brain's leading figure summed and its share of the city; "
            f"`enterprises` the largest `limit` (1–{MAX_LIMIT}, default {DEFAULT_LIMIT}) of `total`; `alerts` the "
            "active enterprise alerts there, newest first. 404 for an unknown district."
        ),
    )
    def get_district(request: Request, district: str,
                     limit: str | None = Query(None, description=f"1..{MAX_LIMIT}, default {DEFAULT_LIMIT}")) -> Response:
        _district(district)
        n = DEFAULT_LIMIT
        raw = request.query_params.get("limit")
        if raw is not None and raw.strip():
            try:
                n = int(raw.strip())
            except ValueError:
                raise error(400, "bad_request", f"limit: expected an integer, got {raw[:40]!r}") from None
            if not 1 <= n <= MAX_LIMIT:
                raise error(400, "bad_request", f"limit: must be 1..{MAX_LIMIT}, got {n}")
        view = district_view(sim, district, now_ms(), n)
        assert view is not None
        return _json(view)

    @app.get(
        f"{API_PREFIX}/districts/{{district}}/clusters/{{brain}}",
        response_model=ClusterView,
        responses=errors,
        tags=["drill-down"],
        summary="An industry in a district: the brain's enterprises there with its columns, sums, alerts",
        description=(
            f"`brain`: an industry brain with enterprises ({', '.join(INDUSTRY_BRAINS)}). `enterprises` is the "
            "brain's `enterprises` panel with only the district's rows (ordered by the first column, largest "
            "first); `figures` counts them, sums the first column and gives its share of the city. 404 for an "
            "unknown district or brain, or a brain without enterprises."
        ),
    )
    def get_cluster(district: str, brain: str) -> Response:
        _district(district)
        known_brain(brain)
        view = cluster_view(sim, district, brain, now_ms())
        if view is None:
            raise error(404, "not_found", f"brain {brain!r} has no enterprises by district; these do: "
                        f"{', '.join(INDUSTRY_BRAINS)}")
        return _json(view)

    @app.get(
        f"{API_PREFIX}/brains/{{brain_id}}/chain/{{link}}",
        response_model=ChainLinkView,
        responses=errors,
        tags=["drill-down"],
        summary="A link of a brain's industry chain: its enterprises and why it is a gap",
        description=(
            "`link`: a link id of `GET /brains/{brain_id}/chain`. `gap` is the chain's gap reason for the "
            "link (null for a strong link); `enterprises` the enterprises on it, largest first (as many as "
            "the link counts). 404 for a brain without a chain or an unknown link."
        ),
    )
    def get_chain_link(brain_id: str, link: str) -> Response:
        known_brain(brain_id)
        if sim.chain(brain_id, now_ms()) is None:
            raise error(404, "not_found", f"brain {brain_id!r} has no industry chain; chains: ic, pharma")
        view = chain_link_view(sim, brain_id, link, now_ms())
        if view is None:
            raise error(404, "not_found", f"no link {link[:80]!r} in the chain of {brain_id!r}")
        return _json(view)
