"""Times on screen are in the platform's time zone (the catalog's ``time_zone``, default
Asia/Shanghai), whatever this machine's zone: texts, "today", axes, alert times."""

from __future__ import annotations

import os
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from cockpit.api.schema import Catalog, Reading
from cockpit.ui import text
from widgets.alert_ticker import local_time
from widgets.trend_chart import TrendChart

SH = ZoneInfo("Asia/Shanghai")


def _ms(s: str) -> int:
    return int(datetime.fromisoformat(s).timestamp() * 1000)


@pytest.fixture
def new_york():
    """This machine in New York (12 or 13 hours behind Shanghai)."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()
        text.set_time_zone("Asia/Shanghai")


def test_texts_and_today_use_the_platform_zone(new_york):
    text.set_time_zone("Asia/Shanghai")
    t = _ms("2026-12-07T08:00:00+08:00")  # 12-06 19:00 in New York
    now = _ms("2026-12-07T13:30:00+08:00")  # 12-07 00:30 in New York
    assert time.strftime("%d %H", time.localtime(t / 1000)) == "06 19"  # the machine is in New York
    assert text.clock(t) == "08:00:00"
    assert text.stamp(t, now) == "08:00:00"  # today in Shanghai (not yesterday as in New York)
    assert text.stamp(t, _ms("2026-12-08T07:00:00+08:00")) == "12-07 08:00"
    assert local_time(t) == "08:00:00"  # the alert ticker's times
    text.set_time_zone("Europe/Berlin")
    assert text.clock(t) == "01:00:00" and local_time(t) == "01:00:00"


def test_trend_axis_ticks_fall_on_the_platform_zone_hours(qapp, new_york):
    text.set_time_zone("Asia/Shanghai")
    chart = TrendChart()
    try:
        from PySide6.QtGui import QFont, QFontMetrics

        axis = chart._axis
        axis.fontMetrics = QFontMetrics(QFont())  # set by pyqtgraph when it paints
        lo, hi = _ms("2026-12-07T06:00:00+08:00") / 1000, _ms("2026-12-07T12:00:00+08:00") / 1000
        levels = [(sp, v) for sp, v in axis.tickValues(lo, hi, 1200) if len(v)]
        assert len(levels) >= 2
        for spacing, values in levels:
            labels = axis.tickStrings(values, 1.0, spacing)
            at = [datetime.fromtimestamp(v, SH) for v in values]
            if spacing >= 86400:  # the day tick: Shanghai midnight, labelled with its date
                assert [t.strftime("%H:%M") for t in at] == ["00:00"] and labels == ["12-07"]
            else:  # hour ticks on Shanghai's hours, labelled with them
                assert labels == [t.strftime("%H:%M") for t in at], labels
                assert all(t.minute == 0 for t in at)
    finally:
        chart.deleteLater()


def test_catalog_time_zone_is_an_iana_name_defaulting_to_shanghai():
    assert Catalog(ts=_ms("2026-12-07T08:00:00+08:00"), brains=[]).time_zone == "Asia/Shanghai"
    assert Catalog(ts=1_796_000_000_000, brains=[], time_zone="Europe/Berlin").time_zone == "Europe/Berlin"
    with pytest.raises(ValidationError, match="unknown time zone"):
        Catalog(ts=1_796_000_000_000, brains=[], time_zone="Mars/Olympus")


def test_main_window_takes_the_zone_from_the_catalog(qapp, new_york):
    from cockpit.ui.main_window import MainWindow

    win = MainWindow("zh", "x")
    try:
        win.on_catalog(Catalog(ts=1_796_000_000_000, brains=[], time_zone="Asia/Tokyo"))
        assert text.time_zone() == ZoneInfo("Asia/Tokyo")
        assert text.clock(_ms("2026-12-07T08:00:00+08:00")) == "09:00:00"
    finally:
        win.close()
        win.deleteLater()


@pytest.mark.parametrize(("sent", "ms"), [
    ("2026-12-06T20:00:00+08:00", _ms("2026-12-06T12:00:00+00:00")),
    ("2026-12-06T12:00:00Z", _ms("2026-12-06T12:00:00+00:00")),
    ("2026-12-06T12:00:00.250+00:00", _ms("2026-12-06T12:00:00+00:00") + 250),
    (1_796_558_400_000, 1_796_558_400_000),
])
def test_iso_8601_with_offset_and_epoch_ms_are_both_read(sent, ms):
    assert Reading.model_validate({"value": 1, "ts": sent}).ts == ms


@pytest.mark.parametrize("sent", ["2026-12-06T20:00:00", "yesterday", "2026-12-06"])
def test_a_time_without_offset_is_refused(sent):
    with pytest.raises(ValidationError):
        Reading.model_validate({"value": 1, "ts": sent})
