"""Another platform: the central API as an integrator might write it from docs/API.md alone.

Not built from ``cockpit.central`` nor from the schema models: every payload here is a
plain dict written from the doc, with the differences a real provincial platform
plausibly has. It runs on :class:`faultserver.FaultServer` (loopback, raw sockets)::

    with FaultServer() as fs:
        platform = VariantPlatform(fs, now_ms=...).install()      # every path answered
        platform = VariantPlatform(fs, now_ms=..., local_epoch=True).install()

Differences from the reference server (each switchable):

* times as ISO 8601 with a ``+08:00`` offset (``iso``), or local time sent as epoch ms,
  8 h ahead (``local_epoch``);
* extra keys everywhere (the payload, brains, metrics, rows, row values);
* its own brains: ``paper`` (造纸, not one of ours) and ``ic`` with a 480-link chain;
* other districts (萧山, 富阳), their names sent with the rows;
* one bad cell (``bad_cell``: a text in a number column) and one bad panel (``bad_panel``:
  an empty unit) in ``paper``'s snapshot;
* ``304 Not Modified`` carrying the full body's ``Content-Length``;
* markup in enterprise names (``<img src=file:///…>``), and a 401 that echoes the token.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from faultserver import Behaviour, FaultServer

CST = timezone(timedelta(hours=8))
MARKUP = '<img src="file:///etc/hostname"><b>万丰纸业</b>'
ENTERPRISE = "91330604MA2BDB5F8N"  # shape of a credit code (check character not verified on the wire)
N_LINKS = 480


def _names(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


class VariantPlatform:
    def __init__(self, fs: FaultServer, now_ms: int, *, iso: bool = True, local_epoch: bool = False,
                 bad_cell: bool = True, bad_panel: bool = True, long_detail: bool = False,
                 time_zone: str | None = None) -> None:
        self.fs = fs
        self.now_ms = now_ms
        self.iso = iso and not local_epoch
        self.local_epoch = local_epoch
        self.bad_cell = bad_cell
        self.bad_panel = bad_panel
        self.long_detail = long_detail
        self.time_zone = time_zone

    # ---- times ----------------------------------------------------------------------

    def t(self, ms: int) -> Any:
        """A time as this platform writes it."""
        if self.local_epoch:
            return ms + 8 * 3600 * 1000  # local (UTC+8) wall time read as if it were UTC
        if self.iso:
            return datetime.fromtimestamp(ms / 1000, CST).isoformat(timespec="milliseconds")
        return ms

    # ---- payloads ---------------------------------------------------------------------

    def catalog(self) -> dict:
        cat: dict[str, Any] = {
            "api_version": "v1",
            "ts": self.t(self.now_ms),
            "vendor": {"name": "某省产业大脑平台", "build": 42},  # an extra key
            "brains": [
                {
                    "id": "paper",
                    "name": _names("造纸", "Paper"),
                    "owner": "经信厅",  # extra
                    "metrics": [
                        {"id": "paper.output", "name": _names("今日产量", "Output today"),
                         "unit": _names("吨", "t"), "precision": 0, "cadence_s": 1, "headline": True,
                         "chart_color": "#ff0000"},  # extra
                        {"id": "paper.run_rate", "name": _names("开机率", "Run rate"),
                         "unit": _names("%", "%"), "range": [0, 100], "precision": 1, "cadence_s": 1},
                    ],
                    "panels": [
                        {"id": "mills", "title": _names("纸企产量", "Mills"), "columns": ["output", "water"]},
                        {"id": "districts", "title": _names("区县", "Districts"), "columns": ["output"]},
                    ],
                },
                {
                    "id": "ic",
                    "name": _names("集成电路", "IC"),
                    "metrics": [
                        {"id": "ic.yield", "name": _names("良率", "Yield"), "unit": _names("%", "%"),
                         "range": [0, 100], "cadence_s": 1},
                    ],
                },
            ],
        }
        if self.time_zone is not None:
            cat["time_zone"] = self.time_zone
        return cat

    def snapshot(self, brain: str) -> dict:
        now = self.now_ms
        if brain == "ic":
            return {"brain": "ic", "ts": self.t(now), "values": {"ic.yield": {"value": 91.5, "ts": self.t(now)}}}
        unit = "" if self.bad_panel else "吨"
        mills = {
            "id": "mills", "title": _names("纸企产量", "Mills"), "ts": self.t(now), "cadence_s": 60,
            "columns": [
                {"key": "output", "name": _names("产量", "Output"), "unit": _names("吨", "t"), "precision": 0},
                {"key": "water", "name": _names("取水", "Water"), "unit": _names("吨", "t"), "precision": 0},
            ],
            "rows": [
                {"key": "m1", "name": _names("杭纸一厂", "Mill 1"), "district": "xiaoshan",
                 "district_name": _names("萧山区", "Xiaoshan"),
                 "values": {"output": 820, "water": 40, "energy_kwh": 77}},  # a value of no column
                {"key": "m2", "name": _names("富春纸业", "Fuchun"), "district": "fuyang",
                 "district_name": _names("富阳区", "Fuyang"),
                 "values": {"output": "n/a" if self.bad_cell else 640, "water": 35}},
                {"key": "m3", "name": _names("钱江纸业", "Qianjiang"), "district": "fuyang",
                 "district_name": _names("富阳区", "Fuyang"), "values": {"output": 510, "water": 30},
                 "grade": "A"},  # extra
            ],
        }
        districts = {
            "id": "districts", "title": _names("区县", "Districts"), "ts": self.t(now),
            "columns": [{"key": "output", "name": _names("产量", "Output"), "unit": _names(unit, "t")}],
            "rows": [{"key": "xiaoshan", "name": _names("萧山区", "Xiaoshan"), "values": {"output": 820}},
                     {"key": "fuyang", "name": _names("富阳区", "Fuyang"), "values": {"output": 1150}}],
        }
        return {
            "brain": "paper", "ts": self.t(now), "sequence": 7,  # extra
            "values": {"paper.output": {"value": 1970, "ts": self.t(now), "quality": "good"},
                       "paper.run_rate": {"value": 83.2, "ts": self.t(now)}},
            "alerts": [],
            "panels": {"mills": mills, "districts": districts},
        }

    def series(self) -> dict:
        since = self.now_ms - 3600 * 1000
        points = [[self.t(since + i * 60_000), 1900 + i] for i in range(60)]
        return {"since": self.t(since), "until": self.t(self.now_ms), "step_s": 60,
                "series": [{"metric": "paper.output", "step_s": 60, "points": points, "unit": "吨"}]}

    def chain(self) -> dict:
        stages = []
        for s in range(6):
            links = [{"id": f"l{s}_{i}", "name": _names(f"环节{s}-{i}", f"Link {s}-{i}"),
                      "strength": "missing" if i % 3 == 0 else "strong", "enterprises": i,
                      "anchors": [], "ext": 1} for i in range(N_LINKS // 6)]
            stages.append({"id": f"s{s}", "name": _names(f"阶段{s}", f"Stage {s}"), "links": links})
        gaps = [{"link": ln["id"], "reason": _names("缺失环节", "missing link")}
                for st in stages for ln in st["links"] if ln["strength"] == "missing"]
        return {"brain": "ic", "ts": self.t(self.now_ms), "title": _names("集成电路产业链", "IC chain"),
                "stages": stages, "gaps": gaps}

    def summary(self) -> dict:
        return {"code": ENTERPRISE, "name": _names(MARKUP, MARKUP), "brain": "paper",
                "district": "xiaoshan", "district_name": _names("萧山区", "Xiaoshan"), "status": "running"}

    def enterprises(self) -> dict:
        return {"q": "纸", "total": 1, "items": [self.summary()]}

    def profile(self) -> dict:
        return {**self.summary(), "ts": self.t(self.now_ms), "sections": [
            {"id": "production", "name": _names("生产", "Production"), "fields": [
                {"key": "output", "name": _names(MARKUP, MARKUP), "value": 12.5, "unit": _names("吨", "t"),
                 "ts": self.t(self.now_ms)}]}],
            "benefits": [{"id": "b1", "name": _names(MARKUP, MARKUP), "basis": _names(MARKUP, MARKUP)}]}

    # ---- wiring -------------------------------------------------------------------------

    def sse(self) -> list[bytes]:
        out = []
        for i, brain in enumerate(("paper", "ic")):
            data = json.dumps(self.snapshot(brain), ensure_ascii=False)
            out.append(f"event: snapshot\nid: 1-{i}\ndata: {data}\n\n".encode())
        out.append(f"event: heartbeat\ndata: {json.dumps({'ts': self.t(self.now_ms)})}\n\n".encode())
        return out

    def install(self, stream: bool = True) -> VariantPlatform:
        fs = self.fs
        fs.set("/api/v1/brains", Behaviour.json(self.catalog()))
        for brain in ("paper", "ic"):
            fs.set(f"/api/v1/brains/{brain}/snapshot",
                   Behaviour.json(self.snapshot(brain), etag=f'"{brain}-1"', full_length_304=True))
        fs.set("/api/v1/brains/ic/chain", Behaviour.json(self.chain()))
        fs.set("/api/v1/series", Behaviour.json(self.series()))
        fs.set("/api/v1/enterprises", Behaviour.json(self.enterprises()))
        fs.set(f"/api/v1/enterprises/{ENTERPRISE}", Behaviour.json(self.profile()))
        if stream:
            fs.set("/api/v1/stream", Behaviour.stream(self.sse(), then="hang"))
        return self


PAPER_LAYOUT = """
[layout]
columns = 12
rows = 6

[[panel]]
widget = "tile"
cell = [0, 0, 3, 2]
metric = "paper.output"

[[panel]]
widget = "gauge"
cell = [3, 0, 3, 2]
metric = "paper.run_rate"

[[panel]]
widget = "ranking"
cell = [6, 0, 6, 4]
panel = "mills"
column = "output"
secondary = "district"

[[panel]]
widget = "districts"
cell = [0, 2, 6, 4]
panel = "districts"
columns = ["output"]

[[panel]]
widget = "trend"
cell = [6, 4, 6, 2]
metrics = ["paper.output"]
"""
