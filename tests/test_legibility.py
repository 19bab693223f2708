"""A wall that reads from across the room (#11 §3): every panel of every screen, at
1920×1080 and 3840×2160 on the wall profile, draws no text below the profile's minimum,
cuts no label with "…" where it could wrap, and is not more than half empty when it has data.

Generic over panel types: every ``widgets.Panel`` reports what it draws
(``drawn_texts()``); every plain label (the 3+2+4 / 双十双百 cards, the enterprise code,
the title band) is read from Qt. A panel added later is checked the same way.

The screens are built as the app builds them (``MainWindow.on_catalog`` from the layout
files) and fed by the reference simulator's snapshots, without running the whole app.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from cockpit.central.simulator import Simulator
from cockpit.hub.hub import BrainUpdate, HubStatus, LinkState
from cockpit.ui import legibility
from cockpit.ui.main_window import MainWindow
from cockpit.ui.model import Models
from cockpit.ui.text import local
from widgets import Panel, theme
from widgets.state import DataState

NOW = int(dt.datetime(2026, 12, 6, 9, 30, tzinfo=dt.UTC).timestamp() * 1000)
ENTERPRISE = "91330603179158018W"  # the screenshots' sample enterprise (default seed)
ELLIPSIS = "\u2026"


def _visible(w: QWidget, page: QWidget) -> bool:
    return w.isVisibleTo(page) and w.width() > 0 and w.height() > 0


def _content_share(w: QWidget) -> tuple[float, float]:
    """Share of the panel's inner height and width spanned by what it draws (anything
    other than its fill; the frame and corner marks left out)."""
    img = w.grab().toImage()
    fill = QColor(theme.PANEL).rgb()
    h, wd = img.height(), img.width()
    mx, my = max(6, round(wd * 0.04)), max(6, round(h * 0.04))
    xs = range(mx, wd - mx, max(1, (wd - 2 * mx) // 240))
    ys = range(my, h - my, max(1, (h - 2 * my) // 240))
    rows = [y for y in ys if any(img.pixel(x, y) != fill for x in xs)]
    cols = [x for x in xs if any(img.pixel(x, y) != fill for y in ys)]
    if not rows or not cols:
        return 0.0, 0.0
    return (rows[-1] - rows[0]) / max(1, h - 2 * my), (cols[-1] - cols[0]) / max(1, wd - 2 * mx)


def _check_page(page: QWidget, floor: int, where: str) -> list[str]:
    """What is wrong on one screen: texts below the floor, cut labels, half-empty panels."""
    problems: list[str] = []
    for w in page.findChildren(Panel):
        if not _visible(w, page):
            continue
        name = f"{where}/{type(w).__name__}:{w._title or w.objectName()}"
        for text, px, rect, elided in w.drawn_texts():
            if px < floor:
                problems.append(f"{name}: {text!r} at {px} px < {floor}")
            lines = text.count("\n") + 1
            if elided and rect.height() >= (lines + 1) * QFontMetrics(theme.pixel_font(px)).lineSpacing():
                problems.append(f"{name}: cut {text!r} with room for another line ({rect.height():.0f} px high)")
            if not QRect(0, 0, w.width(), w.height()).adjusted(-1, -1, 1, 1).contains(rect.toAlignedRect()):
                problems.append(f"{name}: {text!r} drawn outside the panel ({rect.toAlignedRect().getRect()} "
                                f"in {w.width()}×{w.height()})")
        # half empty: what it draws spans less than half its height (two alerts at the top of
        # a tall panel, a short list), or less than a quarter of its width. A headline number
        # centred in a wide tile, or a round gauge, spans a third of a wide cell: not empty.
        share = _content_share(w)
        if w.state() != DataState.NO_DATA and (share[0] < 0.5 or share[1] < 0.25):
            problems.append(f"{name}: more than half empty with data ({share[0]:.0%} of its height, "
                            f"{share[1]:.0%} of its width used)")
    for lab in page.findChildren(QLabel):
        if not _visible(lab, page) or not lab.text().strip():
            continue
        name = f"{where}/QLabel#{lab.objectName()}:{lab.text()[:12]!r}"
        px = lab.font().pixelSize() if lab.font().pixelSize() > 0 else round(lab.font().pointSizeF() * 96 / 72)
        if px < floor:
            problems.append(f"{name}: {px} px < {floor}")
        line_h = QFontMetrics(lab.font()).lineSpacing()
        if ELLIPSIS in lab.text() and lab.height() >= (lab.text().count("\n") + 2) * line_h:
            problems.append(f"{name}: cut with room for another line ({lab.height()} px high)")
        if lab.wordWrap():
            need = lab.heightForWidth(lab.width())
            if need > lab.height() + 2:
                problems.append(f"{name}: wrapped text cut ({need} px high in {lab.height()})")
        else:
            fm = QFontMetrics(lab.font())
            widest = max(fm.horizontalAdvance(line) for line in lab.text().split("\n"))
            if widest > lab.contentsRect().width() + 1:
                problems.append(f"{name}: clipped ({widest} px in {lab.contentsRect().width()})")
    return problems


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160)], ids=["1080p", "4k"])
def test_every_panel_of_every_screen_reads_from_across_the_room(qtbot, size) -> None:  # noqa: ANN001
    sim = Simulator(20261127)  # the app's default seed: the screenshots' sample enterprise exists
    models = Models()
    win = MainWindow("zh", "test", animate=False, models=models)
    qtbot.addWidget(win)
    win.set_text_profile("wall")
    win.services.fetch_chain = lambda brain, cb: cb(sim.chain(brain, NOW), "")
    win.resize(*size)
    win.on_catalog(sim.catalog(NOW))
    win.show()
    for brain in win.tabs_by_brain:
        models.on_update(BrainUpdate(brain, sim.snapshot(brain, NOW), NOW))
    models.flush()
    ent = win.enterprise_tab
    assert ent is not None
    ent._pending_code = ENTERPRISE
    ent.show_profile(sim.enterprise(ENTERPRISE, NOW), "", fetched_ms=NOW)
    assert ent.profile is not None and ent.name.text()
    floor = legibility.min_text_px("wall", size[1])
    assert theme.min_text_px() == floor == round(15 * size[1] / 1080)
    problems: list[str] = []
    bands: list[tuple[str, str, str]] = []
    for i in range(win.tabs.count()):
        win.tabs.setCurrentIndex(i)
        page = win.tabs.currentWidget()
        QApplication.processEvents()
        if page in win.tabs_by_brain.values():  # the states at the data's moment (not the machine's clock)
            page.refresh_states(NOW, HubStatus(LinkState.LIVE))
        # the title band: the screen's name, the time now and when the data shown was produced
        band = win.title_band
        assert band is not None and band.isVisible()
        band.refresh(NOW + 5000)
        band.layout().activate()  # the band's labels laid out for their new texts
        data_ms = page.snapshot.ts if page in win.tabs_by_brain.values() else ent.profile.ts
        bands.append((band.name.text(), band.clock.text(), band.data_time.text()))
        assert bands[-1] == (win.tabs.tabText(i), local(NOW + 5000).strftime("%Y-%m-%d %H:%M:%S"),
                             "数据时间 " + local(data_ms).strftime("%H:%M:%S")), bands[-1]
        problems += _check_page(band, floor, f"{size[1]}p band")
        problems += _check_page(page, floor, f"{size[1]}p {win.tabs.tabText(i)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("argv", "profile"), [
    ([], "desk"),
    (["--kiosk"], "wall"),
    (["--rotate", "30"], "wall"),
    (["--demo"], "wall"),
    (["--profile", "wall"], "wall"),
    (["--profile", "desk", "--kiosk"], "desk"),
])
def test_the_profile_is_a_wall_when_the_cockpit_runs_as_one(argv, profile) -> None:  # noqa: ANN001
    from cockpit.app import build_parser, text_profile
    from cockpit.config import from_args

    args = build_parser().parse_args(argv)
    assert text_profile(from_args(args), args) == profile
    # and what each profile asks of the text: 15 px at 1080p on a wall, 12 on a desk, scaled
    assert [legibility.min_text_px(p, h) for p in ("wall", "desk") for h in (1080, 2160, 720)] == \
        [15, 30, 15, 12, 24, 12]


def test_numbers_are_drawn_in_the_shipped_figure_face_with_its_licence(qapp) -> None:  # noqa: ANN001
    from PySide6.QtGui import QFontInfo

    from cockpit import fonts
    from widgets import KpiTile

    files = fonts.figure_files()
    assert [f.name for f in files] == ["B612-Bold.otf", "B612-Regular.otf"]
    licence = (files[0].parent / "OFL.txt").read_text("utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "AIRBUS" in licence
    assert fonts.FIGURES in fonts.register()
    tile = KpiTile()
    tile.resize(400, 200)
    tile.set_unit("亿元")
    tile.set_value(1234.5)
    number, unit, _ = tile._fonts_for(tile.value_text())
    assert QFontInfo(number).family() == fonts.FIGURES  # the digits in B612, bold
    assert QFontInfo(unit).family() == fonts.FAMILY  # the unit in the CJK face
    texts = {t for t, *_ in tile.drawn_texts()}
    assert "1,234" in "".join(texts) or any(t.startswith("1,234") for t in texts), texts
