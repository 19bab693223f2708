"""Parts of docs/API.md generated from the schema, so the page cannot drift from the code.

``python -m cockpit.api.docgen`` rewrites the generated blocks of ``docs/API.md`` (between
``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->``); ``--check`` only says
whether they are in step (a test runs it). Blocks:

* ``limits`` — every list, map and string length limit of every model (what a platform
  must stay within; sized ≥ 10× the largest brain of the reference data);
* ``models`` — every model of the contract with its fields, types and whether required,
  as the JSON Schema (the same one the reference server publishes as OpenAPI) says.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cockpit.api import drill as d
from cockpit.api import schema as s
from cockpit.api import twin as tw

DOC = Path(__file__).resolve().parents[2] / "docs" / "API.md"

MODELS: list[type[BaseModel]] = [
    s.Catalog, s.Brain, s.Metric, s.Thresholds, s.PanelInfo, s.Names,
    s.Snapshot, s.Reading, s.Alert, s.DataPanel, s.Column, s.Row,
    s.SeriesResponse, s.Series,
    s.StreamDelta, s.StreamAlerts, s.StreamPanels, s.Heartbeat,
    s.Chain, s.ChainStage, s.ChainLink, s.ChainGap, s.ChainProject,
    s.EnterpriseList, s.EnterpriseSummary, s.EnterpriseProfile, s.ProfileSection, s.ProfileField, s.PolicyBenefit,
    tw.Twin, tw.TwinArea, tw.TwinUnit, tw.TwinMeter,
    s.Batch, s.StoragePoint,
    s.DisplayHeartbeat, s.ScreenSize, s.HeartbeatAck, s.DisplayList, s.DisplayStatus,
    d.DistrictView, d.BrainInDistrict, d.ClusterView, d.ChainLinkView,
    s.ErrorBody,
]


def _limits() -> str:
    rows = ["| model.field | limit |", "| --- | --- |"]
    for model in MODELS:
        for name, f in model.model_fields.items():
            lo = hi = None
            for m in f.metadata:
                lo = getattr(m, "min_length", lo)
                hi = getattr(m, "max_length", hi)
            if lo is None and hi is None:
                continue
            what = (f"at least {lo}" if lo else "") + (" and " if lo and hi else "") + (
                f"at most {hi:,}".replace(",", " ") if hi is not None else "")
            rows.append(f"| `{model.__name__}.{name}` | {what} |")
    return "\n".join(rows)


def _type(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in prop:
        kinds = [_type(p) for p in prop["anyOf"]]
        if kinds == ["integer", "string"] and any(p.get("format") == "date-time" for p in prop["anyOf"]):
            return "time (epoch ms or ISO 8601 with offset)"
        return " or ".join(dict.fromkeys(kinds))
    t = prop.get("type", "any")
    if t == "array":
        if "prefixItems" in prop:
            return "[" + ", ".join(_type(p) for p in prop["prefixItems"]) + "]"
        return f"list of {_type(prop.get('items', {}))}"
    if t == "object" and "additionalProperties" in prop:
        return f"map of {_type(prop['additionalProperties'])}"
    if "enum" in prop:
        return " or ".join(f'"{v}"' for v in prop["enum"])
    if "const" in prop:
        return f'"{prop["const"]}"'
    return str(t)


def _models() -> str:
    out = []
    for model in MODELS:
        js = model.model_json_schema(ref_template="#/$defs/{model}")
        req = set(js.get("required", []))
        fields = []
        for name, prop in js.get("properties", {}).items():
            kind = _type(prop)
            fields.append(f"`{name}`{'' if name in req else '?'} {kind}")
        out.append(f"**{model.__name__}**: " + ", ".join(fields))
    return "\n\n".join(out)


BLOCKS = {"limits": _limits, "models": _models}


def _filler(text: str):  # type: ignore[no-untyped-def]
    return lambda m: m.group(1) + text + "\n" + m.group(2)


def render(doc: str) -> str:
    for name, make in BLOCKS.items():
        pat = re.compile(rf"(<!-- generated:{name} -->\n).*?(<!-- /generated:{name} -->)", re.S)
        if not pat.search(doc):
            raise ValueError(f"docs/API.md has no generated block {name!r}")
        doc = pat.sub(_filler(make()), doc)
    return doc


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    doc = DOC.read_text("utf-8")
    new = render(doc)
    if "--check" in argv:
        if new != doc:
            print("docs/API.md: generated blocks out of step; run python -m cockpit.api.docgen", file=sys.stderr)
            return 1
        return 0
    if new != doc:
        DOC.write_text(new, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
