"""Command-center widgets (PySide6), knowing nothing of the cockpit.

The public face: ``from widgets import Panel, format_number, DataState, KpiTile, ...``.
Names are imported on first use (PEP 562), so ``import widgets.theme`` does not load every
widget. Modules starting with ``_`` are private to this package (an import-linter contract
keeps the cockpit out of them).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Panel": "widgets._panel",
    "ClickableItems": "widgets._panel",
    "format_number": "widgets._panel",
    "elide": "widgets._panel",
    "elide_lines": "widgets._panel",
    "fit_font": "widgets._panel",
    "DataState": "widgets.state",
    "AlertTicker": "widgets.alert_ticker",
    "TickerItem": "widgets.alert_ticker",
    "BarChart": "widgets.bar_chart",
    "BigNumber": "widgets.big_number",
    "ChainMap": "widgets.chain_map",
    "ChainLink": "widgets.chain_map",
    "ChainStage": "widgets.chain_map",
    "DistrictTileMap": "widgets.district_map",
    "Area": "widgets.district_map",
    "Gauge": "widgets.gauge",
    "KpiTile": "widgets.kpi_tile",
    "ProgressToTarget": "widgets.progress_target",
    "QrCode": "widgets.qr_code",
    "RankingBoard": "widgets.ranking_board",
    "RankRow": "widgets.ranking_board",
    "ScrollingRows": "widgets.scrolling_rows",
    "ShareChart": "widgets.share_chart",
    "TrendChart": "widgets.trend_chart",
}

__all__ = [
    "AlertTicker",
    "Area",
    "BarChart",
    "BigNumber",
    "ChainLink",
    "ChainMap",
    "ChainStage",
    "ClickableItems",
    "DataState",
    "DistrictTileMap",
    "Gauge",
    "KpiTile",
    "Panel",
    "ProgressToTarget",
    "QrCode",
    "RankRow",
    "RankingBoard",
    "ScrollingRows",
    "ShareChart",
    "TickerItem",
    "TrendChart",
    "elide",
    "elide_lines",
    "fit_font",
    "format_number",
]

if TYPE_CHECKING:
    from widgets._panel import ClickableItems, Panel, elide, elide_lines, fit_font, format_number
    from widgets.alert_ticker import AlertTicker, TickerItem
    from widgets.bar_chart import BarChart
    from widgets.big_number import BigNumber
    from widgets.chain_map import ChainLink, ChainMap, ChainStage
    from widgets.district_map import Area, DistrictTileMap
    from widgets.gauge import Gauge
    from widgets.kpi_tile import KpiTile
    from widgets.progress_target import ProgressToTarget
    from widgets.qr_code import QrCode
    from widgets.ranking_board import RankingBoard, RankRow
    from widgets.scrolling_rows import ScrollingRows
    from widgets.share_chart import ShareChart
    from widgets.state import DataState
    from widgets.trend_chart import TrendChart


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
