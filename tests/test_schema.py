"""Wire contract v1: round trips and what a payload must not get away with."""

from __future__ import annotations

import json

import numpy as np
import pytest
from pydantic import ValidationError

from cockpit.api.schema import (
    Alert,
    Brain,
    Catalog,
    Metric,
    Names,
    Reading,
    Series,
    SeriesResponse,
    Snapshot,
    Thresholds,
)
from cockpit.central.simulator import Simulator

NOW = 1_795_766_138_000


def _metric(mid: str = "dyeing.run_rate", **kw) -> Metric:
    return Metric(id=mid, name=Names(zh="开机率", en="Run rate"), unit=Names(zh="%", en="%"), **kw)


def test_simulated_catalog_snapshot_and_series_round_trip_unchanged():
    sim = Simulator(seed=11)
    cat = sim.catalog(NOW)
    assert Catalog.model_validate_json(cat.model_dump_json()) == cat
    for brain in cat.brains:
        snap = sim.snapshot(brain.id, NOW)
        again = Snapshot.model_validate_json(snap.model_dump_json())
        assert again == snap
        assert set(again.values) == {m.id for m in brain.metrics}
    series = sim.series("dyeing.run_rate", NOW - 3_600_000, NOW, 60)
    resp = SeriesResponse(since=NOW - 3_600_000, until=NOW, step_s=60, series=[series])
    assert SeriesResponse.model_validate_json(resp.model_dump_json()) == resp
    assert len(series.points) == 60


def test_chinese_text_survives_the_round_trip_as_utf8():
    b = Brain(id="wine", name=Names(zh="黄酒", en="Yellow rice wine"),
              metrics=[_metric("wine.ferment_temp", range=(0, 40))])
    raw = b.model_dump_json().encode("utf-8")
    assert "黄酒".encode() in raw
    assert Brain.model_validate_json(raw).name.zh == "黄酒"


@pytest.mark.parametrize("raw", ['{"value": NaN, "ts": 1795766138000}',
                                 '{"value": Infinity, "ts": 1795766138000}',
                                 '{"value": -Infinity, "ts": 1795766138000}',
                                 '{"value": 1e999, "ts": 1795766138000}'])
def test_non_finite_numbers_are_rejected(raw):
    with pytest.raises(ValidationError):
        Reading.model_validate_json(raw)


@pytest.mark.parametrize("ts", [1_795_766_138, 1_795_766_138_000_000, -1])
def test_timestamps_in_the_wrong_unit_are_rejected(ts):
    with pytest.raises(ValidationError, match="ts"):
        Reading.model_validate_json(json.dumps({"value": 1.0, "ts": ts}))


def test_null_value_is_allowed_and_stays_null():
    assert Reading.model_validate_json('{"value": null, "ts": 1795766138000}').value is None


def test_metric_rules():
    with pytest.raises(ValidationError, match="range must be increasing"):
        _metric(range=(100, 0))
    with pytest.raises(ValidationError, match="id"):
        _metric("Dyeing.Run-Rate")
    with pytest.raises(ValidationError, match="does not belong"):
        Brain(id="textile", name=Names(zh="纺织", en="Textile"), metrics=[_metric()])
    with pytest.raises(ValidationError, match="listed twice"):
        Brain(id="dyeing", name=Names(zh="印染", en="Dyeing"), metrics=[_metric(), _metric()])


def test_another_brains_metric_in_a_snapshot_is_an_unknown_key_ignored():
    reading = Reading(value=1.0, ts=NOW)
    snap = Snapshot.model_validate({"brain": "dyeing", "ts": NOW,
                                    "values": {"ic.yield": reading, "dyeing.run_rate": reading}})
    assert list(snap.values) == ["dyeing.run_rate"]


def test_series_points_must_increase_and_arrays_keep_gaps():
    with pytest.raises(ValidationError, match="increasing"):
        Series(metric="dyeing.run_rate", step_s=1, points=[(NOW, 1.0), (NOW, 2.0)])
    s = Series(metric="dyeing.run_rate", step_s=1, points=[(NOW, 1.0), (NOW + 1000, None), (NOW + 2000, 3.0)])
    ts, vals = s.arrays()
    assert ts.tolist() == [NOW / 1000, NOW / 1000 + 1, NOW / 1000 + 2]
    assert vals[0] == 1.0 and np.isnan(vals[1]) and vals[2] == 3.0


def test_unknown_fields_are_ignored_missing_ones_are_not():
    ok = {"id": "a1", "brain": "dyeing", "level": "warn", "message": {"zh": "超限", "en": "over"},
          "ts": NOW, "new_field_from_v1_1": {"x": 1}}
    assert Alert.model_validate(ok).level == "warn"
    del ok["level"]
    with pytest.raises(ValidationError, match="level"):
        Alert.model_validate(ok)


def test_threshold_levels():
    t = Thresholds(warn_high=80, alarm_high=90, alarm_low=10)
    assert [t.level(v) for v in (50, 80, 89.9, 90, 10, 5)] == ["ok", "warn", "warn", "alarm", "alarm", "alarm"]
