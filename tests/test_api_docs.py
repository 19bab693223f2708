"""docs/API.md stays true to the schema: its generated blocks are in step and every JSON
example validates against the model it illustrates."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cockpit.api import alarms as a
from cockpit.api import docgen
from cockpit.api import drill as d
from cockpit.api import schema as s
from cockpit.api.twin import Twin

DOC = Path(__file__).resolve().parents[1] / "docs" / "API.md"
# the JSON examples of the page, in order, and the model each shows
EXAMPLES = [s.Catalog, s.Snapshot, s.SeriesResponse, s.Chain, s.EnterpriseList, s.EnterpriseProfile, Twin, s.Batch,
            s.DisplayHeartbeat, s.DisplayList, a.AlarmAction, a.AlarmRecord, a.AlarmList,
            d.DistrictView, d.ClusterView, d.ChainLinkView]


def _blocks() -> list[str]:
    return re.findall(r"```json\n(.*?)```", DOC.read_text("utf-8"), re.S)


def test_generated_blocks_are_in_step():
    assert docgen.main(["--check"]) == 0


def test_there_is_one_model_per_example():
    assert len(_blocks()) == len(EXAMPLES)


@pytest.mark.parametrize(("index", "model"), list(enumerate(EXAMPLES)), ids=[m.__name__ for m in EXAMPLES])
def test_each_json_example_validates(index, model):
    text = _blocks()[index]
    # "…" stands for more of the same: as a list item or object member it is dropped
    text = re.sub(r",\s*…(?=\s*[\]}])", "", text)
    data = json.loads(text)
    model.model_validate(data)
