"""Layout files: every shipped one fits the simulator's catalog; a wrong one is reported
with its file and line, and the tab falls back to the automatic layout with a notice."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cockpit.brains import layout as layouts
from cockpit.central.simulator import Simulator
from cockpit.resources import layout_dirs, resources_dir

SHIPPED = resources_dir() / "layouts"
SIM = Simulator(seed=5)
NOW = int(time.time() * 1000)
CATALOG = SIM.catalog(NOW)


def _parse(text: str, brain: str = "dyeing", name: str = "dyeing.toml"):
    return layouts.parse(Path("/x") / name, text, CATALOG, brain)


def _problems(text: str, brain: str = "dyeing") -> list[tuple[int, str]]:
    with pytest.raises(layouts.LayoutError) as info:
        _parse(text, brain)
    return [(p.line, p.message) for p in info.value.problems]


GOOD = """\
[layout]
columns = 12
rows = 6

[[panel]]
widget = "gauge"
cell = [0, 0, 4, 3]
metric = "dyeing.run_rate"

[[panel]]
widget = "ranking"
cell = [4, 0, 8, 6]
panel = "enterprises"
column = "output_today"
"""


@pytest.mark.parametrize("brain", [b.id for b in CATALOG.brains])
def test_every_shipped_layout_fits_the_catalog(brain):
    path = SHIPPED / f"{brain}.toml"
    assert path.is_file(), f"no layout shipped for {brain}"
    lay = layouts.load(CATALOG.brain(brain), CATALOG, [SHIPPED])
    assert lay is not None and len(lay.panels) >= 6
    kinds = {p.widget for p in lay.panels}
    assert kinds - {"gauge", "tile"}, f"{brain}: only gauges and tiles"
    # the grid is filled: no empty holes bigger than a cell or two
    used = sum(p.col_span * p.row_span for p in lay.panels)
    assert used >= 0.9 * lay.columns * lay.rows, f"{brain}: {used} of {lay.columns * lay.rows} cells used"


def test_a_good_file_gives_panels_with_their_cells_and_lines():
    lay = _parse(GOOD)
    assert (lay.columns, lay.rows) == (12, 6)
    assert [(p.widget, p.col, p.row, p.col_span, p.row_span, p.line) for p in lay.panels] == [
        ("gauge", 0, 0, 4, 3, 5), ("ranking", 4, 0, 8, 6, 10)]


def test_syntax_error_names_the_line():
    probs = _problems(GOOD.replace('metric = "dyeing.run_rate"', 'metric = "dyeing.run_rate'))
    assert probs[0][0] == 8 and "TOML syntax" in probs[0][1]


def test_unknown_widget_and_unknown_metric_name_their_lines():
    text = GOOD.replace('widget = "gauge"', 'widget = "speedometer"').replace(
        'column = "output_today"', 'column = "output_today"\n\n[[panel]]\nwidget = "tile"\ncell = [0, 3, 4, 3]\n'
                                   'metric = "dyeing.no_such"')
    probs = _problems(text)
    assert (6, probs[0][1]) == probs[0] and "unknown widget 'speedometer'" in probs[0][1]
    assert "known:" in probs[0][1] and "ranking" in probs[0][1]
    assert any(line == 19 and "unknown metric 'dyeing.no_such'" in msg for line, msg in probs), probs


def test_a_metric_of_another_brain_is_refused():
    probs = _problems(GOOD.replace("dyeing.run_rate", "wine.cellar_temp"))
    assert probs == [(8, "unknown metric 'wine.cellar_temp' (not a metric of this brain)")]


def test_overlapping_cells_are_refused_with_both_lines():
    probs = _problems(GOOD.replace("cell = [4, 0, 8, 6]", "cell = [3, 2, 8, 4]"))
    assert len(probs) == 1 and probs[0][0] == 10
    assert "overlaps the gauge of line 5" in probs[0][1]


def test_a_cell_outside_the_grid_is_refused():
    probs = _problems(GOOD.replace("cell = [4, 0, 8, 6]", "cell = [4, 0, 9, 6]"))
    assert probs == [(12, "cell [4, 0, 9, 6] lies outside the 12×6 grid")]


def test_unknown_panel_and_column_are_refused():
    probs = _problems(GOOD.replace('column = "output_today"', 'column = "profit"'))
    assert probs[0][0] == 14 and "panel 'enterprises' has no column 'profit'" in probs[0][1]
    probs = _problems(GOOD.replace('panel = "enterprises"', 'panel = "mills"'))
    assert probs[0][0] == 13 and "unknown panel 'mills'" in probs[0][1]


def test_wrong_values_and_keys_are_named():
    probs = _problems(GOOD.replace("rows = 6", "rows = 0").replace(
        'column = "output_today"', 'column = "output_today"\norder = "up"\nspeed = 3'))
    lines = dict(probs)
    assert "rows must be a whole number" in lines[3]
    assert "order must be one of desc, asc" in lines[15]
    assert "unknown key 'speed'" in lines[16]


def test_a_ranking_without_a_column_says_what_it_needs():
    probs = _problems(GOOD.replace('column = "output_today"\n', ""))
    assert probs == [(10, "ranking: needs 'column'")]


def test_the_users_folder_overrides_ours(tmp_path):
    (tmp_path / "dyeing.toml").write_text(GOOD, "utf-8")
    lay = layouts.load(CATALOG.brain("dyeing"), CATALOG, [tmp_path, SHIPPED])
    assert lay is not None and lay.path == tmp_path / "dyeing.toml" and len(lay.panels) == 2
    # a brain the user has no file for keeps ours
    lay = layouts.load(CATALOG.brain("wine"), CATALOG, [tmp_path, SHIPPED])
    assert lay is not None and lay.path == SHIPPED / "wine.toml"


def test_default_search_order_is_cli_then_user_config_then_shipped(tmp_path):
    dirs = layout_dirs([tmp_path])
    assert dirs[0] == tmp_path and dirs[-1] == SHIPPED and dirs[1].name == "layouts"


def test_a_brain_without_a_file_gets_none(tmp_path):
    assert layouts.load(CATALOG.brain("dyeing"), CATALOG, [tmp_path]) is None


def test_unreadable_file_is_a_layout_error(tmp_path):
    (tmp_path / "dyeing.toml").write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(layouts.LayoutError) as info:
        layouts.load(CATALOG.brain("dyeing"), CATALOG, [tmp_path])
    assert "cannot be read" in str(info.value) and info.value.path == tmp_path / "dyeing.toml"


# ---- what the user sees ----------------------------------------------------------------


def test_a_wrong_file_shows_a_notice_over_the_automatic_layout(qtbot, tmp_path):
    from cockpit.ui.main_window import MainWindow

    (tmp_path / "dyeing.toml").write_text(GOOD.replace('widget = "gauge"', 'widget = "speedometer"'), "utf-8")
    win = MainWindow("zh", "test", layout_dirs=[tmp_path, SHIPPED], animate=False)
    qtbot.addWidget(win)
    win.on_catalog(CATALOG)
    tab = win.tabs_by_brain["dyeing"]
    assert tab.layout_spec is None and tab.notice is not None
    text = tab.notice.text()
    assert "布局文件有误，已改用自动布局" in text and "dyeing.toml" in text and "第6行" in text
    assert "unknown widget 'speedometer'" in text
    # the automatic layout: a widget per metric
    assert len(tab.bindings) == len(CATALOG.brain("dyeing").metrics)
    # other brains keep their shipped layouts, without a notice
    assert win.tabs_by_brain["wine"].layout_spec is not None and win.tabs_by_brain["wine"].notice is None
    assert "dyeing" in win.layout_errors


def test_the_catalog_lists_exactly_the_panels_snapshots_carry():
    for brain in CATALOG.brains:
        snap = SIM.snapshot(brain.id, NOW)
        listed = {p.id: (p.title, p.columns) for p in brain.panels}
        carried = {pid: (p.title, [c.key for c in p.columns]) for pid, p in snap.panels.items()}
        assert listed == carried, brain.id
