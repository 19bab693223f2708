"""Reference central API server (FastAPI) over the deterministic :class:`Simulator`.

Implements wire contract v1 (:mod:`cockpit.api.schema`): every response body is built
from the contract's models, every 4xx/5xx body is an :class:`ErrorBody`. Timestamps are
integers, epoch milliseconds UTC. With ``token`` set, every ``/api/v1`` route wants
``Authorization: Bearer <token>``; ``/healthz``, ``/openapi.json`` and ``/docs`` stay open.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response, StreamingResponse
from pydantic import ValidationError
from pydantic.json_schema import models_json_schema
from starlette.exceptions import HTTPException as StarletteHTTPException

from cockpit.api import uscc
from cockpit.api.alarms import AlarmAction
from cockpit.api.schema import (
    API_PREFIX,
    DISPLAY_ID_PATTERN,
    ID_PATTERN,
    Batch,
    Catalog,
    Chain,
    DisplayHeartbeat,
    DisplayList,
    EnterpriseList,
    EnterpriseProfile,
    ErrorBody,
    Heartbeat,
    HeartbeatAck,
    SeriesResponse,
    Snapshot,
    StreamAlerts,
    StreamDelta,
    StreamPanels,
)
from cockpit.api.twin import Twin
from cockpit.central.alarm_routes import add_alarm_routes
from cockpit.central.alarms import AlarmStore
from cockpit.central.batches import MalformedBatch
from cockpit.central.benefit_routes import add_benefit_routes
from cockpit.central.benefits import BenefitStore
from cockpit.central.bodies import bounded_body
from cockpit.central.displays import DisplayRegistry
from cockpit.central.docs_page import render_docs
from cockpit.central.drill_routes import add_drill_routes
from cockpit.central.guard import HostCheck
from cockpit.central.replay import MAX_AGE_S as REPLAY_MAX_AGE_S
from cockpit.central.replay import PastError, past_snapshot_json
from cockpit.central.simulator import HISTORY_MS, ROLLUP_HISTORY_MS, ROLLUP_STEP_S, Simulator
from cockpit.central.state import StateStore
from cockpit.central.stream import RESUME_WINDOW_MS, RETRY_MS, StreamHub

__all__ = ["MAX_LIMIT", "MAX_METRICS", "MAX_POINTS", "ApiError", "create_app", "default_step", "snapshot_etag"]

log = logging.getLogger("cockpit.central")

MAX_METRICS = 20
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_QUERY = 100
MAX_HEARTBEAT_BYTES = 64 * 1024
MAX_POINTS = 100_000
DEFAULT_SPAN_MS = 24 * 3600 * 1000
DEFAULT_MAX_POINTS = 2000
MAX_STEP_S = HISTORY_MS // 1000  # 8 days: a step of at most the fine history
HISTORY_GRACE_MS = 60_000
#: Steps the server picks by itself when the client gives none.
NICE_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400)
JSON = "application/json"

DESCRIPTION = """\
Reference implementation of the **Industry Brain Cockpit wire contract v1**
(`cockpit/api/schema.py`), serving simulated data for the industry brains of Shaoxing
(绍兴): city overview, printing & dyeing, textile, yellow rice wine, integrated circuits
and pharmaceuticals.

* JSON, UTF-8, snake_case field names; unknown fields are to be ignored by clients.
* **Every timestamp is an integer: milliseconds since the Unix epoch, UTC**
  (`ts`, `since`, `until`). Local time of the data is Asia/Shanghai (UTC+8).
* Numbers are finite; an unknown value is `null`.
* Every 4xx/5xx answer has an `ErrorBody` (`error`, `detail`).
* Where the server is started with a token, `/api/v1/*` wants
  `Authorization: Bearer <token>`.
* Snapshots carry a weak `ETag` (a version: the second the brain's values, alerts or
  panels last changed); send it back in `If-None-Match` to get `304`. A snapshot is as of
  the current whole second (`ts`).
* Series points sit on multiples of `step` seconds since the epoch; a level's point is
  the mean of samples over `[t, t+step)`, a running total's point is its value at `t`.

Besides metrics: snapshot **panels** (tables: enterprises, districts, vintages…), the
**industry chains** of the IC and pharma brains, **enterprise search** and the
**enterprise code** profile (by unified social credit code), and **rice-wine batch**
provenance with a vintage verdict. The **display fleet**: each cockpit posts a heartbeat
every minute; `GET /api/v1/displays` lists them with a state (ok, stale, down).

All values are simulated (deterministic per seed), sized on published figures; enterprise
names are invented.
"""


class ApiError(Exception):
    """An error answered with ``status`` and an :class:`ErrorBody`."""

    def __init__(self, status: int, error: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.error = error
        self.detail = detail
        self.headers = headers


_ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    421: "misdirected_request",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


def _error_response(status: int, error: str, detail: str, headers: dict[str, str] | None = None) -> Response:
    body = ErrorBody(error=error, detail=detail).model_dump_json()
    return Response(body, status_code=status, media_type=JSON, headers=headers)


def default_step(span_ms: int, max_points: int = DEFAULT_MAX_POINTS) -> int:
    """The smallest nice step (s) that keeps ``span_ms`` within ``max_points`` points."""
    need = -(-span_ms // (max_points * 1000))
    for s in NICE_STEPS:
        if s >= need:
            return s
    return max(need, NICE_STEPS[-1])


def _weak_etag(payload: str) -> str:
    return 'W/"' + hashlib.blake2b(payload.encode(), digest_size=12).hexdigest() + '"'


def _etag_matches(header: str | None, etag: str) -> bool:
    """``If-None-Match`` comparison (weak, as RFC 9110 asks for GET)."""
    if not header:
        return False
    want = etag.removeprefix("W/")
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*" or tag.removeprefix("W/") == want:
            return True
    return False


def snapshot_etag(body: str) -> str:
    """The weak ETag of a snapshot's JSON: everything but the snapshot's own ``ts`` (the time
    it was made), so values, alerts and panels are covered and an unchanged brain keeps its
    tag."""
    head, sep, rest = body.partition(',"ts":')
    if sep:
        i = 0
        while i < len(rest) and rest[i].isdigit():
            i += 1
        body = head + rest[i:]
    return _weak_etag(body)


def _json(model: Any) -> Response:
    return Response(model.model_dump_json(), media_type=JSON, headers={"Cache-Control": "no-cache"})


def _json_or_304(request: Request, body: str, etag: str) -> Response:
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if _etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=JSON, headers=headers)


class _BearerAuth:
    """ASGI middleware: ``/api/...`` requires the bearer token (constant-time compare)."""

    def __init__(self, app: Any, token: str) -> None:
        self.app = app
        self._want = ("Bearer " + token).encode()

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[Any]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> None:
        if scope["type"] == "http" and (scope["path"] == API_PREFIX or scope["path"].startswith("/api/")):
            got = b""
            for name, value in scope.get("headers", ()):
                if name == b"authorization":
                    got = value
                    break
            if not hmac.compare_digest(got, self._want):
                detail = "missing bearer token" if not got else "invalid bearer token"
                resp = _error_response(
                    401, "unauthorized", detail, headers={"WWW-Authenticate": 'Bearer realm="cockpit"'}
                )
                await resp(scope, receive, send)
                return
        await self.app(scope, receive, send)


_DISPLAY_ID_RE = re.compile(DISPLAY_ID_PATTERN.removesuffix("$") + r"\Z")
_ID_FULL_RE = re.compile(ID_PATTERN.removeprefix("^").removesuffix("$"))


def _summarize(exc: ValidationError, limit: int = 3) -> str:
    """The first problems of a body that does not fit the contract, for an ErrorBody."""
    parts = []
    for err in exc.errors()[:limit]:
        loc = ".".join(str(p) for p in err["loc"]) or "(body)"
        parts.append(f"{loc}: {err['msg']}")
    more = exc.error_count() - limit
    return "; ".join(parts)[:400] + (f" (+{more} more)" if more > 0 else "")


def _int_param(request: Request, name: str, what: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        return int(raw.strip())
    except ValueError:
        raise ApiError(400, "bad_request", f"{name}: expected an integer ({what}), got {raw[:40]!r}") from None


def _metric_params(request: Request) -> list[str]:
    out: list[str] = []
    for raw in request.query_params.getlist("metric"):
        for part in raw.split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def create_app(
    sim: Simulator | None = None,
    token: str | None = None,
    *,
    bench: tuple[int, int, int] | None = None,
    clock: Callable[[], int] | None = None,
    heartbeat_s: float = 5.0,
    bind_host: str | None = None,
    allowed_hosts: tuple[str, ...] = (),
    store: StateStore | None = None,
    alarms: AlarmStore | None = None,
) -> FastAPI:
    """The ASGI app serving ``sim`` (a seed-0 simulator by default).

    ``token``: require ``Authorization: Bearer <token>`` on ``/api/v1``. ``bench``: add
    the ``bench`` brain (gauges, lines, kpis) if ``sim`` lacks it. ``clock``: now in epoch
    ms (tests may pin it). ``heartbeat_s``: the event stream's heartbeat period.
    ``app.state.stream_hub.close()`` ends every open event stream (call it before
    stopping the server, as :class:`~cockpit.central.runner.EmbeddedServer` does).
    ``bind_host`` (with no token): refuse requests whose ``Host`` names neither it, a
    loopback name nor one of ``allowed_hosts`` (421; DNS rebinding).
    ``store``: the shared state (:class:`~cockpit.central.state.StateStore`; default SQLite
    in memory), as ``app.state.store``; its bus events reach the streams that ask for them.
    ``app.state.displays`` is the :class:`~cockpit.central.displays.DisplayRegistry` of
    the displays' heartbeats (on the same clock). ``alarms``: where alarm handling states
    are kept (:class:`~cockpit.central.alarms.AlarmStore`; default in memory).
    """
    if sim is None:
        sim = Simulator(0, bench=bench)
    elif bench is not None and sim.bench != bench:
        sim = sim.with_bench(*bench)
    if token is not None and not token:
        raise ValueError("token must be a non-empty string or None")
    now_ms: Callable[[], int] = clock or (lambda: time.time_ns() // 1_000_000)
    simulator: Simulator = sim

    app = FastAPI(
        title="Industry Brain Cockpit — reference central API (contract v1)",
        description=DESCRIPTION,
        version="v1",
        docs_url=None,  # Swagger UI loads from a CDN (blank offline): /docs is rendered here
        redoc_url=None,
    )

    # ---- errors: every 4xx/5xx is an ErrorBody --------------------------------------
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> Response:
        return _error_response(exc.status, exc.error, exc.detail, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> Response:
        code = _ERROR_CODES.get(exc.status_code, "error" if exc.status_code >= 500 else "bad_request")
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        headers = dict(exc.headers) if exc.headers else None
        return _error_response(exc.status_code, code, detail, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors():
            loc = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
            parts.append(f"{loc or 'request'}: {err.get('msg', 'invalid')}")
        return _error_response(400, "bad_request", "; ".join(parts) or "invalid request")

    @app.exception_handler(Exception)
    async def _internal_error(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return _error_response(500, "internal_error", "internal server error")

    # ---- routes ----------------------------------------------------------------------
    errors: dict[int | str, dict[str, Any]] = {
        400: {"model": ErrorBody, "description": "Bad parameter"},
        401: {"model": ErrorBody, "description": "Missing or wrong bearer token"},
        404: {"model": ErrorBody, "description": "Unknown brain, metric, enterprise or batch"},
    }
    catalog_etag = _weak_etag("".join(b.model_dump_json() for b in simulator.brains()))
    stream_hub = StreamHub(simulator, now_ms, heartbeat_s)
    # the same on every worker of the same simulator: a tag from one worker is good on another
    sim_tag = hashlib.blake2b(repr((simulator.seed, simulator.bench)).encode(), digest_size=4).hexdigest()
    app.state.stream_hub = stream_hub
    store = store if store is not None else StateStore()
    app.state.store = store
    displays = DisplayRegistry(now_ms, store=store)
    app.state.displays = displays
    store.bus.subscribe(stream_hub.publish_change)  # every worker's streams hear every change

    def _known_brain(brain_id: str) -> None:
        if simulator.brain(brain_id) is None:
            raise ApiError(404, "not_found", f"unknown brain {brain_id[:80]!r}; known: {', '.join(simulator.brain_ids)}")

    @app.get("/healthz", tags=["ops"], summary="Liveness")
    async def healthz() -> dict[str, str]:
        # answered on the event loop itself (no worker-thread hop): it is the loop whose
        # liveness a load balancer asks about, and a busy thread pool must not delay it
        return {"status": "ok"}

    @app.get(
        f"{API_PREFIX}/brains",
        response_model=Catalog,
        responses={**errors, 304: {"description": "Not modified"}},
        tags=["brains"],
        summary="Catalog: brains and their metrics",
    )
    def get_catalog(request: Request) -> Response:
        body = simulator.catalog(now_ms()).model_dump_json()
        return _json_or_304(request, body, catalog_etag)

    @app.get(
        f"{API_PREFIX}/brains/{{brain_id}}/snapshot",
        response_model=Snapshot,
        responses={**errors, 304: {"description": "Not modified (If-None-Match matched the ETag)"}},
        tags=["brains"],
        summary="Current values and active alerts of a brain",
    )
    def get_snapshot(
        brain_id: str,
        request: Request,
        at: str | None = Query(None, description="a past moment (epoch ms or ISO 8601 with offset): the "
                                                 "snapshot as it was then (404 not_kept before the kept history)"),
    ) -> Response:
        _known_brain(brain_id)
        if at is not None:  # time travel (cockpit.central.replay)
            try:
                past, _ = past_snapshot_json(simulator, brain_id, at, now_ms())
            except PastError as exc:
                raise ApiError(exc.status, exc.error, exc.detail) from None
            resp = _json_or_304(request, past, snapshot_etag(past))
            resp.headers["Cache-Control"] = f"max-age={REPLAY_MAX_AGE_S}"
            return resp
        # the version counter answers a conditional GET without building the body; the body
        # itself is serialized once per second and brain, shared with the stream
        now = now_ms()
        t = now // 1000 * 1000
        etag = f'W/"{sim_tag}-{brain_id}-{stream_hub.version(brain_id, t)}"'
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if _etag_matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=headers)
        body = stream_hub.snapshot_json(brain_id, t)
        if now != t:  # the values are those of second t; `ts` says when the answer was made
            head = f'"ts":{t},'.encode()
            body = body.replace(head, f'"ts":{now},'.encode(), 1)
        return Response(body, media_type=JSON, headers=headers)

    @app.get(
        f"{API_PREFIX}/brains/{{brain_id}}/chain",
        response_model=Chain,
        responses=errors,
        tags=["brains"],
        summary="Industry chain of a brain: stages, links, strength, gaps (ic, pharma)",
        description=(
            "Each link's `enterprises` is the number of simulated enterprises on it (the enterprise "
            "search finds them with their `chain_link`); `strength` is `missing` with none, `strong` with "
            "4 or more or 5 % of the chain's output, else `weak`. `gaps` lists the weak and missing links "
            "with a reason and `targets` to attract; `projects` the investment projects per link (招引 / 签约 / "
            "在建 / 投产, investment and expected output in 亿元, `simulated` marked); `local_supply_pct` the "
            "本地配套率 per link and for the chain. 404 for a brain without a chain."
        ),
    )
    def get_chain(brain_id: str) -> Response:
        _known_brain(brain_id)
        chain = simulator.chain(brain_id, now_ms())
        if chain is None:
            raise ApiError(404, "not_found", f"brain {brain_id!r} has no industry chain; chains: ic, pharma")
        return _json(chain)

    @app.get(
        f"{API_PREFIX}/enterprises",
        response_model=EnterpriseList,
        responses=errors,
        tags=["enterprises"],
        summary="Enterprise search by name part or credit-code prefix",
        description=(
            "`q`: a part of the Chinese or English name (case-insensitive) or the start of a unified "
            f"social credit code (spaces and dashes ignored); blank: all. `brain`: only that brain's "
            f"enterprises. `limit`: 1–{MAX_LIMIT} (default {DEFAULT_LIMIT}). `total` counts every match, "
            "`items` holds the first `limit` (code matches first, then by brain and size)."
        ),
    )
    def get_enterprises(
        request: Request,
        q: str = Query("", description="name part (zh/en) or code prefix"),
        brain: str | None = Query(None, description="brain id"),
        limit: str | None = Query(None, description=f"1..{MAX_LIMIT}, default {DEFAULT_LIMIT}"),
    ) -> Response:
        # ``limit`` is declared for the OpenAPI page and read here with a clearer error
        if len(q) > MAX_QUERY:
            raise ApiError(400, "bad_request", f"q: at most {MAX_QUERY} characters, got {len(q)}")
        n = _int_param(request, "limit", "number of items")
        if n is None:
            n = DEFAULT_LIMIT
        elif not 1 <= n <= MAX_LIMIT:
            raise ApiError(400, "bad_request", f"limit: must be 1..{MAX_LIMIT}, got {n}")
        if brain is not None and brain.strip() == "":
            brain = None
        if brain is not None and simulator.brain(brain) is None:
            raise ApiError(404, "not_found", f"brain: unknown brain {brain[:80]!r}; known: {', '.join(simulator.brain_ids)}")
        return _json(simulator.search(q, brain, n, now_ms()))

    @app.get(
        f"{API_PREFIX}/enterprises/{{code}}",
        response_model=EnterpriseProfile,
        responses=errors,
        tags=["enterprises"],
        summary="Enterprise code (企业码) profile, live",
        description=(
            "`code`: an 18-character unified social credit code (GB 32100; lower case, spaces and dashes "
            "are forgiven). 400 when it is not a valid code (the detail says why, e.g. a wrong check "
            "character), 404 when it is valid but not an enterprise of this platform."
        ),
    )
    def get_enterprise(code: str) -> Response:
        try:
            norm = uscc.validate(code)
        except uscc.InvalidCode as exc:
            raise ApiError(400, "bad_request", f"code: {exc}") from None
        prof = simulator.enterprise(norm, now_ms())
        if prof is None:
            raise ApiError(404, "not_found", f"no enterprise with credit code {norm} on this platform")
        return _json(prof)

    @app.get(
        f"{API_PREFIX}/enterprises/{{code}}/twin",
        response_model=Twin,
        responses=errors,
        tags=["enterprises"],
        summary="Digital twin of an enterprise's plant (孪生同现): floor plan, units, states, meters",
        description=(
            "For the dyeing mills and rice-wine breweries: areas and units on a floor plan in metres, each "
            "unit with its state (running, idle, stopped, fault, cleaning) and meters; `simulated` marks a "
            "simulated twin. 400 for a malformed code, 404 for an unknown enterprise or one without a twin."
        ),
    )
    def get_twin(code: str) -> Response:
        from cockpit.central.twins import twin

        try:
            norm = uscc.validate(code)
        except uscc.InvalidCode as exc:
            raise ApiError(400, "bad_request", f"code: {exc}") from None
        tw = twin(simulator, norm, now_ms())
        if tw is None:
            raise ApiError(404, "not_found", f"no plant twin for {norm} on this platform (dyeing mills and "
                                             "rice-wine breweries have one)")
        return _json(tw)

    @app.get(
        f"{API_PREFIX}/batches/{{batch_no}}",
        response_model=Batch,
        responses=errors,
        tags=["batches"],
        summary="Rice-wine batch: provenance, storage records and the vintage verdict",
        description=(
            "`batch_no`: 4–32 capitals, digits or dashes (the contract's pattern; case and surrounding "
            "spaces are forgiven). The reference server numbers its batches `HJ<producer 3 digits>-<brew year>-<serial "
            "3 digits>`, e.g. `HJ007-2012-015`. 400 when the text is not a batch number at all, 404 when no "
            "such batch is on record."
        ),
    )
    def get_batch(batch_no: str) -> Response:
        try:
            batch = simulator.batch(batch_no, now_ms())
        except MalformedBatch as exc:
            raise ApiError(400, "bad_request", f"batch_no: {exc}") from None
        if batch is None:
            raise ApiError(404, "not_found", f"no batch {batch_no.strip().upper()[:40]!r} on record "
                           "(batch numbers here look like HJ007-2012-015)")
        return _json(batch)

    @app.get(
        f"{API_PREFIX}/series",
        response_model=SeriesResponse,
        responses=errors,
        tags=["series"],
        summary="History of metrics, downsampled to step seconds",
        description=(
            "`metric` repeated or comma-separated (≤ 20). `since`/`until` epoch ms UTC "
            "(default: the last 24 h; `until` later than now is clamped to now; history "
            "reaches back 8 days, and 3 years at steps of an hour or more: the trends' "
            "本月 / 本年 and the same period last year). `step` seconds ≥ 1 (default: the smallest of 1, 2, 5, "
            "10, 15, 30, 60 … 86400 giving ≤ 2000 points). Points are at multiples of "
            "`step` since the epoch with since ≤ t < until (a step of whole days: at local "
            "midnights, Asia/Shanghai); at most 100 000 points in all. "
            "A level's point is the mean of min(12, step // 5) whole-second samples of "
            "[t, t+step) (the exact value at t for steps under 10 s), a running total's "
            "point is its value at t (a day's running total at a step of whole days: the "
            "day's total, so far for today), city.alerts takes the maximum."
        ),
    )
    def get_series(request: Request) -> Response:
        now = now_ms()
        metrics = _metric_params(request)
        if not metrics:
            raise ApiError(400, "bad_request", "metric: at least one metric id is required (metric=brain.metric)")
        if len(metrics) > MAX_METRICS:
            raise ApiError(400, "bad_request", f"metric: at most {MAX_METRICS} metrics per request, got {len(metrics)}")
        for m in metrics:
            if not simulator.has_metric(m):
                raise ApiError(404, "not_found", f"metric: unknown metric {m[:130]!r}")
        since = _int_param(request, "since", "epoch ms UTC")
        until = _int_param(request, "until", "epoch ms UTC")
        step = _int_param(request, "step", "seconds")
        if until is None or until > now:
            until = now
        if since is None:
            since = until - DEFAULT_SPAN_MS
        if since >= until:
            raise ApiError(400, "bad_request", f"since ({since}) must be earlier than until ({until})")
        if step is None:
            step = default_step(until - since)
        # the fine history reaches back 8 days; hourly and coarser rollups 3 years
        rollup = step >= ROLLUP_STEP_S
        history_start = now - (ROLLUP_HISTORY_MS if rollup else HISTORY_MS)
        if since < history_start - HISTORY_GRACE_MS:  # grace for clients whose clock lags
            raise ApiError(
                400,
                "bad_request",
                f"since: history starts at {history_start} "
                f"({'3 years before now at steps of an hour or more' if rollup else '8 days before now'}); "
                f"got {since}",
            )
        if step < 1:
            raise ApiError(400, "bad_request", f"step: must be at least 1 second, got {step}")
        elif step > MAX_STEP_S:
            raise ApiError(400, "bad_request", f"step: must be at most {MAX_STEP_S} seconds, got {step}")
        step_ms = step * 1000
        per_metric = max(0, -(-until // step_ms) - -(-since // step_ms))
        total = per_metric * len(metrics)
        if total > MAX_POINTS:
            raise ApiError(
                400,
                "bad_request",
                f"too many points: {len(metrics)} metric(s) × {per_metric} points = {total} > {MAX_POINTS}; "
                "use a larger step or a shorter range",
            )
        series = [simulator.series(m, since, until, step, now_ms=now) for m in metrics]
        body = SeriesResponse(since=since, until=until, step_s=step, series=series).model_dump_json()
        return Response(body, media_type=JSON, headers={"Cache-Control": "no-cache"})

    @app.get(
        f"{API_PREFIX}/stream",
        response_class=StreamingResponse,
        responses={
            200: {"content": {"text/event-stream": {}}, "description": "Server-sent events (never ends by itself)"},
            **errors,
        },
        tags=["stream"],
        summary="Push stream (server-sent events): snapshots, then deltas, alerts, heartbeats",
        description=(
            "`brains` comma-separated (default: every brain). First `retry: "
            f"{RETRY_MS}`, then `event: snapshot` (a Snapshot, panels included) per brain, then each "
            "second `event: delta` (StreamDelta: the readings that changed) per brain, "
            "`event: alerts` (StreamAlerts: the full active list) when a brain's set of "
            "active alerts changed, `event: panels` (StreamPanels: the panels whose cadence tick "
            f"starts that second, each whole) and `event: heartbeat` (Heartbeat) every {heartbeat_s:g} s. "
            "Event ids are `<second ms>-<slot>` (4 slots per brain); reconnect with `Last-Event-ID` to get what "
            f"was missed (up to {RESUME_WINDOW_MS // 60000} minutes back) instead of snapshots."
        ),
    )
    async def get_stream(
        request: Request,
        brains: str | None = Query(None, description="brain ids, comma-separated (default: every brain)"),
        changes: str | None = Query(None, description="change topics, comma-separated (e.g. displays): "
                                                      "`event: change` when another client changes them"),
    ) -> Response:
        wanted: list[str] = []  # `brains` is declared for the OpenAPI page; repeats count too
        for raw in request.query_params.getlist("brains"):
            for part in raw.split(","):
                part = part.strip()
                if part and part not in wanted:
                    wanted.append(part)
        for b in wanted:
            if simulator.brain(b) is None:
                raise ApiError(
                    404, "not_found", f"brains: unknown brain {b[:80]!r}; known: {', '.join(simulator.brain_ids)}"
                )
        abort = request.scope.get("extensions", {}).get("cockpit.abort")  # set by GuardedH11Protocol
        topics = frozenset(p.strip() for raw in request.query_params.getlist("changes") for p in raw.split(",")
                           if p.strip())
        if len(topics) > 16 or any(len(tp) > 64 for tp in topics):
            raise ApiError(400, "bad_request", "changes: at most 16 topics of at most 64 characters")
        raw_write = request.scope.get("extensions", {}).get("cockpit.raw_write")  # likewise
        events = stream_hub.stream(wanted or simulator.brain_ids, request.headers.get("last-event-id"), abort,
                                   topics=topics, raw_write=raw_write)
        return StreamingResponse(
            events,
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    # ---- display fleet: heartbeats of the cockpits ---------------------------------
    @app.post(
        f"{API_PREFIX}/displays/{{display_id}}/heartbeat",
        response_model=HeartbeatAck,
        responses={**errors, 413: {"model": ErrorBody, "description": "Body larger than 64 KB"}},
        tags=["displays"],
        summary="A display's heartbeat: version, shown tab, data ages, memory, uptime",
        description=(
            "Body: a `DisplayHeartbeat` (JSON, at most 64 KB) whose `display_id` is the one in the "
            "path. The server keeps the last heartbeat per display (in its database, shared by every worker; at most "
            f"{displays.max_displays} displays: the one heard from least recently is dropped). "
            "400 with an `ErrorBody` for a body that does not fit or names another display."
        ),
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {JSON: {"schema": {"$ref": "#/components/schemas/DisplayHeartbeat"}}},
            }
        },
    )
    async def post_heartbeat(display_id: str, request: Request) -> Response:
        if not _DISPLAY_ID_RE.match(display_id):
            raise ApiError(400, "bad_request", f"display_id: {display_id[:80]!r} does not match {DISPLAY_ID_PATTERN}")
        ctype = request.headers.get("content-type", "").partition(";")[0].strip().lower()
        if ctype != JSON:
            raise ApiError(415, "unsupported_media_type",
                           f"Content-Type: expected {JSON}, got {ctype[:60] or 'none'!r}")
        body = await bounded_body(request, MAX_HEARTBEAT_BYTES,
                                  f"heartbeat body larger than {MAX_HEARTBEAT_BYTES // 1024} KB", ApiError)
        try:
            hb = DisplayHeartbeat.model_validate_json(body, strict=True)  # no "10" for 10
        except ValidationError as exc:
            raise ApiError(400, "bad_request", f"DisplayHeartbeat: {_summarize(exc)}") from None
        for key in hb.data_age_s:
            if not _ID_FULL_RE.fullmatch(key):  # the schema's `$` lets "city\n" through
                raise ApiError(400, "bad_request", f"DisplayHeartbeat: data_age_s key {key[:70]!r} is not a brain id")
        if hb.display_id != display_id:
            raise ApiError(400, "bad_request",
                           f"display_id: the body names {hb.display_id!r}, the path {display_id!r}")
        received = displays.record(hb)
        return _json(HeartbeatAck(display_id=display_id, received_ms=received))

    @app.get(
        f"{API_PREFIX}/displays",
        response_model=DisplayList,
        responses=errors,
        tags=["displays"],
        summary="Every display that reported, with its state: ok, stale or down",
        description=(
            "Ordered by `display_id`. `state` is computed now, on the server's clock: `down` after 5 "
            "missed heartbeats, `stale` after 2 (each plus a quarter period of grace; the period is "
            "the heartbeat's `period_s`), or when the display reports its link offline, the shown "
            f"tab without data, or a brain's data older than {displays.data_stale_s:g} s; else `ok`. "
            "`reasons` say why."
        ),
    )
    def get_displays() -> Response:
        return _json(displays.listing())

    # ---- the alarm loop (cockpit.central.alarm_routes) -------------------------------
    # the alarm states live in the shared state store's database (SQLite file or PostgreSQL)
    add_alarm_routes(app, alarms or AlarmStore(store.engine, now_ms), store.bus.publish,
                     error=ApiError, known_brain=_known_brain, errors=errors)
    # 企业码 "一键获取": benefit applications, in the same database (cockpit.central.benefit_routes)
    add_benefit_routes(app, BenefitStore(store.engine, now_ms), lambda code: simulator.enterprise(code, now_ms()),
                       error=ApiError, errors=errors)

    # ---- drill-down: a district, an industry in a district, a chain link (cockpit.central.drill_routes)
    add_drill_routes(app, simulator, now_ms, error=ApiError, known_brain=_known_brain, errors=errors)

    # ---- OpenAPI: document the bearer scheme -----------------------------------------
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            schema.setdefault("components", {})["securitySchemes"] = {
                "bearer": {"type": "http", "scheme": "bearer", "description": "Only where the server sets a token"}
            }
            for path, ops in schema.get("paths", {}).items():
                if path.startswith(API_PREFIX):
                    for op in ops.values():
                        op["security"] = [{"bearer": []}] if token else []
            # the stream's event payloads (no route returns them as JSON)
            _, defs = models_json_schema(
                [(m, "validation") for m in (Snapshot, StreamDelta, StreamAlerts, StreamPanels, Heartbeat,
                                                    DisplayHeartbeat, AlarmAction)],
                ref_template="#/components/schemas/{model}",
            )
            known = schema["components"].setdefault("schemas", {})
            for name, sub in defs.get("$defs", {}).items():
                known.setdefault(name, sub)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        return Response(render_docs(app.openapi()), media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})

    if token is not None:
        app.add_middleware(_BearerAuth, token=token)
    elif bind_host is not None:
        app.add_middleware(HostCheck, bind_host=bind_host, extra=allowed_hosts)
    return app
