"""Check a live platform against wire contract v1 and list every deviation.

For integrators connecting a real platform::

    python -m cockpit.api.conformance http://platform:8080 [--token-env VAR] [--json]
        [--stream-seconds 5] [--batch NO]
    python -m cockpit.api.conformance http://platform:8080 --catalog   # every metric and panel

Asks every endpoint the cockpit uses (catalog, each brain's snapshot with its ETag and
304, history, the push stream, chains, the enterprise search and a profile, the drill-down
views (a district, an industry in it, a chain link; optional), a batch when
one is named, an unknown resource for the error body) and validates each answer against
the schema (:mod:`cockpit.api.schema`) — strictly: every field that is wrong is listed
with where it is, also those the cockpit would survive (it leaves out only the part that
is wrong, see :mod:`cockpit.api.tolerant`). Times in the future of this machine's clock
(local time sent as epoch ms) and keys the contract does not know are reported too.

Each finding is ``FAIL`` (the cockpit rejects that part), ``WARN`` (taken, but worth
fixing: unknown keys, no ETag, a 304 not honoured) or ``OK``. Exit status: 0 when nothing
failed, 1 when something did, 2 when the platform could not be reached. Qt-free; the
token is sent as ``Authorization: Bearer`` and never printed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import quote

import requests
from pydantic import BaseModel, ValidationError

from cockpit.api import schema as s
from cockpit.api.client import FUTURE_TOLERANCE_MS, scrub, validate_base_url
from cockpit.api.stream import SseParser
from cockpit.api.tolerant import future_problems

__all__ = ["Finding", "catalog_lines", "check", "main"]

# the district ids whose names the cockpit knows (Shaoxing's); others need district_name
SHAOXING = frozenset({"yuecheng", "keqiao", "shangyu", "zhuji", "shengzhou", "xinchang"})


@dataclass(frozen=True)
class Finding:
    level: str  # "FAIL", "WARN" or "OK"
    where: str  # the endpoint (and the part of the answer)
    what: str

    def line(self) -> str:
        return f"{self.level:4}  {self.where}: {self.what}"


class _Checker:
    def __init__(self, base_url: str, token: str | None, timeout_s: float = 10.0) -> None:
        self.base = validate_base_url(base_url) + s.API_PREFIX
        self.token = token
        self.timeout_s = timeout_s
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        self.session.headers["User-Agent"] = "industry-brain-cockpit-conformance/1"
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.findings: list[Finding] = []

    # ---- recording ----------------------------------------------------------------------

    def add(self, level: str, where: str, what: str) -> None:
        self.findings.append(Finding(level, where, scrub(what, self.token)[:500]))

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.session.get(self.base + path, timeout=self.timeout_s, **kw)

    def model(self, where: str, resp: requests.Response, model: type[BaseModel],
              ok_statuses: Iterable[int] = (200,)) -> Any:
        """The answer validated strictly: every error listed; None when it does not fit."""
        if resp.status_code not in ok_statuses:
            self.add("FAIL", where, f"HTTP {resp.status_code} ({_detail(resp)})")
            return None
        ctype = resp.headers.get("Content-Type", "")
        if "json" not in ctype:
            self.add("FAIL", where, f"Content-Type {ctype or '(none)'}: expected application/json")
            return None
        try:
            data = json.loads(resp.content)
        except ValueError as exc:
            self.add("FAIL", where, f"not JSON: {exc}")
            return None
        self.unknown_keys(where, data, model)
        try:
            obj = model.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"]) or "(body)"
                self.add("FAIL", f"{where} {loc}", err["msg"])
            return None
        future = future_problems(obj, int(time.time() * 1000), FUTURE_TOLERANCE_MS)
        for path in future[:10]:
            self.add("FAIL", f"{where} {path}", "time more than 5 min in the future of this machine's clock "
                     "(local time sent as epoch ms? a wrong clock?)")
        return obj

    def unknown_keys(self, where: str, data: Any, model: type[BaseModel]) -> None:
        paths: list[str] = []
        _unknown(data, model, "", paths)
        found = list(dict.fromkeys(re.sub(r"\.\d+(?=\.|$)", "[]", p) for p in paths))  # one per kind of place
        if found:
            more = f" (+{len(found) - 8} more)" if len(found) > 8 else ""
            self.add("WARN", where, "keys the contract does not know (ignored): " + ", ".join(found[:8]) + more)

    # ---- the checks -----------------------------------------------------------------------

    def run(self, stream_s: float, batch: str | None) -> None:
        try:
            resp = self.get("/brains")
        except requests.RequestException as exc:
            raise ConnectionError(f"{self.base}/brains: {type(exc).__name__}") from None
        catalog = self.model("GET /brains", resp, s.Catalog)
        if catalog is None:
            return
        if "time_zone" not in resp.json():
            self.add("WARN", "GET /brains", f"no time_zone: the cockpit assumes {s.DEFAULT_TIME_ZONE}")
        self.add("OK", "GET /brains", f"{len(catalog.brains)} brains, time zone {catalog.time_zone}")
        for brain in catalog.brains:
            self.snapshot(brain)
            self.chain(brain.id)
        self.series(catalog)
        if stream_s > 0:
            self.stream([b.id for b in catalog.brains], stream_s)
        self.enterprises(catalog)
        if batch:
            self.model(f"GET /batches/{batch}", self.get(f"/batches/{quote(batch, safe='')}"), s.Batch)
        self.errors()

    def snapshot(self, brain: s.Brain) -> None:
        where = f"GET /brains/{brain.id}/snapshot"
        resp = self.get(f"/brains/{quote(brain.id, safe='')}/snapshot")
        snap = self.model(where, resp, s.Snapshot)
        if resp.status_code == 200 and "json" in resp.headers.get("Content-Type", ""):
            self.extra_cells(where, resp)
        if snap is None:
            return
        if snap.brain != brain.id:
            self.add("FAIL", where, f"names brain {snap.brain!r}")
        missing = [m.id for m in brain.metrics if m.id not in snap.values]
        if missing:
            self.add("WARN", where, f"no reading for {len(missing)} catalog metrics: {', '.join(missing[:6])}")
        unknown = [k for k in snap.values if brain.metric(k) is None]
        if unknown:
            self.add("WARN", where, f"readings of metrics the catalog does not list (ignored): {', '.join(unknown[:6])}")
        listed = {p.id for p in brain.panels}
        if listed - set(snap.panels):
            self.add("WARN", where, f"panels listed in the catalog but not sent: {sorted(listed - set(snap.panels))}")
        for pid, p in snap.panels.items():
            if listed and pid not in listed:
                self.add("WARN", f"{where} panels.{pid}", "not listed in the catalog's panels")
            districts = sorted({r.district for r in p.rows
                                if r.district and r.district_name is None and r.district not in SHAOXING})
            if districts:
                self.add("WARN", f"{where} panels.{pid}", "district ids without district_name, shown as "
                         f"the raw id: {districts[:6]}")
        etag = resp.headers.get("ETag")
        if not etag:
            self.add("WARN", where, "no ETag: the cockpit cannot ask 'changed?' when it polls")
        else:
            again = self.get(f"/brains/{quote(brain.id, safe='')}/snapshot", headers={"If-None-Match": etag})
            if again.status_code == 304 and again.content:
                self.add("FAIL", where, "304 Not Modified with a body")
            elif again.status_code not in (200, 304):
                self.add("FAIL", where, f"If-None-Match answered HTTP {again.status_code}")
        self.add("OK", where, f"{len(snap.values)} readings, {len(snap.panels)} panels, {len(snap.alerts)} alerts")

    def extra_cells(self, where: str, resp: requests.Response) -> None:
        """Row values for columns a panel does not declare (the cockpit ignores them)."""
        try:
            panels = resp.json().get("panels") or {}
        except (ValueError, AttributeError):
            return
        extra: set[str] = set()
        for pid, p in panels.items() if isinstance(panels, dict) else ():
            if not isinstance(p, dict):
                continue
            keys = {c.get("key") for c in p.get("columns") or [] if isinstance(c, dict)}
            for r in p.get("rows") or []:
                if isinstance(r, dict) and isinstance(r.get("values"), dict):
                    extra |= {f"panels.{pid}.rows[].values.{k}" for k in r["values"] if k not in keys}
        if extra:
            self.add("WARN", where, "values for columns the panel does not declare (ignored): "
                     + ", ".join(sorted(extra)[:6]))

    def chain(self, brain_id: str) -> None:
        where = f"GET /brains/{brain_id}/chain"
        resp = self.get(f"/brains/{quote(brain_id, safe='')}/chain")
        if resp.status_code == 404:
            return  # a brain without a chain
        if self.model(where, resp, s.Chain) is not None:
            self.add("OK", where, "fits the contract")

    def series(self, catalog: s.Catalog) -> None:
        metrics = [m.id for b in catalog.brains for m in b.metrics if m.headline][:10]
        if not metrics:
            return
        now = int(time.time() * 1000)
        params = [("metric", m) for m in metrics] + [("since", now - 3_600_000), ("until", now), ("step", 60)]
        resp = self.get("/series", params=params)
        if resp.status_code == 404:
            self.add("WARN", "GET /series", "no history: trend charts draw live points only")
            return
        got = self.model("GET /series", resp, s.SeriesResponse)
        if got is not None:
            if [x.metric for x in got.series] != metrics:
                self.add("FAIL", "GET /series", "series not one per metric asked, in order")
            self.add("OK", "GET /series", f"{sum(len(x.points) for x in got.series)} points")

    def stream(self, brains: list[str], seconds: float) -> None:
        where = "GET /stream"
        try:
            resp = self.session.get(self.base + "/stream", params={"brains": ",".join(brains)}, stream=True,
                                    headers={"Accept": "text/event-stream"}, timeout=(self.timeout_s, seconds))
        except requests.RequestException as exc:
            self.add("FAIL", where, type(exc).__name__)
            return
        try:
            if resp.status_code in (404, 405, 501):
                self.add("WARN", where, f"no push stream (HTTP {resp.status_code}): the cockpit polls")
                return
            ctype = resp.headers.get("Content-Type", "").split(";")[0].strip()
            if resp.status_code != 200 or ctype != "text/event-stream":
                self.add("FAIL", where, f"HTTP {resp.status_code} {ctype}: expected 200 text/event-stream")
                return
            if resp.headers.get("Content-Encoding", "identity") != "identity":
                self.add("WARN", where, f"Content-Encoding {resp.headers['Content-Encoding']}: "
                         "read, but proxies may buffer a compressed stream")
            parser, kinds = SseParser(), dict[str, int]()
            deadline = time.monotonic() + seconds
            models: dict[str, type[BaseModel]] = {"snapshot": s.Snapshot, "delta": s.StreamDelta, "alerts": s.StreamAlerts,
                      "panels": s.StreamPanels, "heartbeat": s.Heartbeat}
            try:
                while time.monotonic() < deadline:
                    chunk = resp.raw.read1(65536, decode_content=True)
                    if not chunk:
                        break
                    for ev in parser.feed(chunk):
                        model = models.get(ev.type)
                        if model is None:
                            continue
                        kinds[ev.type] = kinds.get(ev.type, 0) + 1
                        try:
                            model.model_validate_json(ev.data)
                        except ValidationError as exc:
                            for err in exc.errors()[:5]:
                                loc = ".".join(str(p) for p in err["loc"]) or "(data)"
                                self.add("FAIL", f"{where} event {ev.type} {loc}", err["msg"])
            except Exception:  # noqa: BLE001 (a read timeout ends the sample)
                pass
            if "heartbeat" not in kinds and seconds >= 10:
                self.add("WARN", where, "no heartbeat event: the cockpit takes a silent stream for a cut")
            self.add("OK", where, f"events in {seconds:g} s: {kinds or 'none'}")
        finally:
            resp.close()

    def enterprises(self, catalog: s.Catalog) -> None:
        resp = self.get("/enterprises", params={"q": "", "limit": 5})
        if resp.status_code == 404:
            self.add("WARN", "GET /enterprises", "no enterprise search: the enterprise-code tab cannot look up")
            return
        found = self.model("GET /enterprises", resp, s.EnterpriseList)
        if found is None or not found.items:
            return
        self.drill(found.items[0], catalog)
        code = found.items[0].code
        if self.model(f"GET /enterprises/{code}", self.get(f"/enterprises/{code}"), s.EnterpriseProfile):
            self.add("OK", "GET /enterprises/{code}", "fits the contract")
        brain = found.items[0].brain
        by_brain = self.model(f"GET /enterprises?brain={brain}",
                              self.get("/enterprises", params={"q": "", "brain": brain, "limit": 5}), s.EnterpriseList)
        if by_brain is not None and any(e.brain != brain for e in by_brain.items):
            self.add("FAIL", f"GET /enterprises?brain={brain}", "enterprises of other brains returned")

    def drill(self, firm: s.EnterpriseSummary, catalog: s.Catalog) -> None:
        """The drill-down views (optional: without them a click on a district, an industry of a
        district or a chain link says the platform does not have it)."""
        from cockpit.api.drill import ChainLinkView, ClusterView, DistrictView

        d, b = quote(firm.district, safe=""), quote(firm.brain, safe="")
        asks: list[tuple[str, str, type[BaseModel]]] = [
            ("GET /districts/{district}", f"/districts/{d}", DistrictView),
            ("GET /districts/{district}/clusters/{brain}", f"/districts/{d}/clusters/{b}", ClusterView)]
        for brain in catalog.brains:
            chain = self.get(f"/brains/{quote(brain.id, safe='')}/chain")
            if chain.status_code == 200:
                try:
                    link = s.Chain.model_validate_json(chain.content).stages[0].links[0].id
                except (ValidationError, IndexError):
                    continue  # reported by the chain check
                asks.append(("GET /brains/{id}/chain/{link}",
                             f"/brains/{quote(brain.id, safe='')}/chain/{quote(link, safe='')}", ChainLinkView))
                break
        for where, path, model in asks:
            resp = self.get(path)
            if resp.status_code == 404:
                self.add("WARN", where, f"{path}: 404, no drill-down here (the cockpit says the platform does "
                         "not have it)")
            elif self.model(f"GET {path}", resp, model) is not None:
                self.add("OK", where, "fits the contract")

    def errors(self) -> None:
        where = "GET /brains/__no_such_brain__/snapshot"
        resp = self.get("/brains/__no_such_brain__/snapshot")
        if resp.status_code != 404:
            self.add("WARN", where, f"HTTP {resp.status_code}: expected 404 for an unknown brain")
        self.model(where, resp, s.ErrorBody, ok_statuses=(resp.status_code,))
        if self.token:
            bare = requests.get(self.base + "/brains", timeout=self.timeout_s)
            if bare.status_code not in (401, 403):
                self.add("WARN", "GET /brains without token", f"HTTP {bare.status_code}: expected 401")
            elif self.token in bare.text:
                self.add("FAIL", "GET /brains without token", "the answer echoes the token")


def _unknown(data: Any, model: Any, path: str, out: list[str]) -> None:
    """Keys of ``data`` that ``model`` (a pydantic model class) does not declare, recursively."""
    if not isinstance(data, dict) or not (isinstance(model, type) and issubclass(model, BaseModel)):
        return
    fields = model.model_fields
    for key, value in data.items():
        f = fields.get(key)
        p = f"{path}.{key}" if path else key
        if f is None:
            out.append(p)
            continue
        for inner in _models_of(f.annotation):
            if isinstance(value, list):
                for i, v in enumerate(value[:50]):
                    _unknown(v, inner, f"{p}.{i}", out)
            elif isinstance(value, dict) and _is_mapping(f.annotation):
                for k, v in list(value.items())[:50]:
                    _unknown(v, inner, f"{p}.{k}", out)
            else:
                _unknown(value, inner, p, out)


def _models_of(annotation: Any) -> list[type[BaseModel]]:
    out: list[type[BaseModel]] = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    for arg in getattr(annotation, "__args__", ()) or ():
        out += _models_of(arg)
    return out


def _is_mapping(annotation: Any) -> bool:
    return getattr(annotation, "__origin__", None) is dict or any(
        _is_mapping(a) for a in getattr(annotation, "__args__", ()) or ())


def _detail(resp: requests.Response) -> str:
    try:
        body = resp.json()
        return str(body.get("detail") or body.get("error") or "")[:200] if isinstance(body, dict) else ""
    except ValueError:
        return resp.reason or ""


def check(base_url: str, token: str | None = None, stream_s: float = 5.0, batch: str | None = None,
          timeout_s: float = 10.0) -> list[Finding]:
    """Every finding about the platform at ``base_url`` (raises ConnectionError when unreachable)."""
    c = _Checker(base_url, token, timeout_s)
    try:
        c.run(stream_s, batch)
    finally:
        c.session.close()
    return c.findings


def catalog_lines(catalog: s.Catalog) -> list[str]:
    """The metric catalog as a table: what a layout file can bind to."""
    out = [f"time zone: {catalog.time_zone}", "",
           "| brain | metric / panel | name | unit | scale | cadence |", "| --- | --- | --- | --- | --- | --- |"]
    for b in catalog.brains:
        for m in b.metrics:
            scale = f"{m.range[0]:g}–{m.range[1]:g}" if m.range else "counter"
            out.append(f"| {b.id} | `{m.id}` | {m.name.zh} / {m.name.en} | {m.unit.zh} | {scale} | {m.cadence_s:g} s |")
        for pi in b.panels:
            out.append(f"| {b.id} | panel `{pi.id}` | {pi.title.zh} / {pi.title.en} | columns: "
                       f"{', '.join(pi.columns) or '—'} | | |")
    return out


def print_catalog(base_url: str, token: str | None) -> int:
    c = _Checker(base_url, token)
    try:
        resp = c.get("/brains")
        catalog = c.model("GET /brains", resp, s.Catalog)
    except requests.RequestException as exc:
        print(f"cannot read the catalog of {base_url}: {type(exc).__name__}", file=sys.stderr)
        return 2
    finally:
        c.session.close()
    if catalog is None:
        for f in c.findings:
            print(f.line())
        return 1
    print("\n".join(catalog_lines(catalog)))
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m cockpit.api.conformance",
                                description="Check a platform against the cockpit's wire contract v1.")
    p.add_argument("url", help="the platform's address, http://host:port")
    p.add_argument("--token-env", metavar="VAR", help="environment variable holding the bearer token")
    p.add_argument("--stream-seconds", type=float, default=5.0, help="how long to read the push stream (0: skip)")
    p.add_argument("--batch", help="also check this rice-wine batch number")
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.add_argument("--catalog", action="store_true",
                   help="print the platform's metric catalog (every brain, metric and panel) instead")
    args = p.parse_args(argv)
    token = os.environ.get(args.token_env) if args.token_env else None
    if args.catalog:
        return print_catalog(args.url, token)
    try:
        findings = check(args.url, token, args.stream_seconds, args.batch)
    except (ConnectionError, ValueError) as exc:
        print(f"cannot check {args.url}: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([asdict(f) for f in findings], ensure_ascii=False, indent=1))
    else:
        for f in findings:
            print(f.line())
        n_fail = sum(f.level == "FAIL" for f in findings)
        n_warn = sum(f.level == "WARN" for f in findings)
        print(f"\n{n_fail} deviations that the cockpit rejects, {n_warn} warnings")
    return 1 if any(f.level == "FAIL" for f in findings) else 0


if __name__ == "__main__":
    sys.exit(main())
