"""The ``cards`` widget: grouped cards of a panel's rows (the "3+2+4" and 双十双百 screens, #11)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt

from cockpit.central.simulator import Simulator
from cockpit.ui.cards import CardsView
from widgets.state import DataState

NOW = int(dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC).timestamp() * 1000)


def test_framework_cards_group_3_2_4_mark_parameters_and_open_brains(qtbot) -> None:  # noqa: ANN001
    sim = Simulator(0)
    p = sim.snapshot("city", NOW).panels["framework"]
    w = CardsView("zh", "output_ytd", "growth", ["share"], per_row=4)
    qtbot.addWidget(w)
    w.resize(1100, 480)
    w.show()
    opened: list[str] = []
    w.open_brain = opened.append
    w.set_panel(p)
    w.set_state(DataState.LIVE, "")
    texts = w.card_texts()
    assert [t.split(" | ")[0] for t in texts] == ["纺织＊", "化工＊", "金属加工＊", "黄酒", "珍珠＊", "高端装备＊",
                                                  "电子信息", "现代医药", "新材料＊"]
    heads = [h.text() for h in w.headers if not h.isHidden()]
    assert heads == ["3 · 传统优势产业", "2 · 历史经典产业", "4 · 新兴产业"]
    ic = next(t for t in texts if t.startswith("电子信息"))
    assert "亿元" in ic and "同比 ▲" in ic and "占规上产值" in ic
    assert "（模拟" not in w.note.text() and "＊为参数" in w.note.text()  # the caveat is on screen
    # a click on a card with a brain opens it; one without a brain does nothing
    card = w.cards[6]
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    qtbot.mouseClick(w.cards[1], Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert opened == ["ic"]
    # nothing overlaps: each group's heading is above its cards
    for head, first in zip(w.headers[:3], (w.cards[0], w.cards[3], w.cards[5]), strict=True):
        assert head.geometry().bottom() <= first.geometry().top()
    img = w.grab().toImage()
    assert not img.isNull() and img.width() == 1100


def test_double_ten_cards_show_chain_leader_and_hundred(qtbot) -> None:  # noqa: ANN001
    sim = Simulator(0)
    p = sim.snapshot("city", NOW).panels["double_ten"]
    w = CardsView("zh", "output_ytd", "growth", ["firms", "key_firms"], ["chain", "leader"], per_row=5)
    qtbot.addWidget(w)
    w.resize(1400, 330)
    w.show()
    w.set_panel(p)
    texts = w.card_texts()
    assert len(texts) == 10 and sum("＊" in t.split(" | ")[0] for t in texts) == 5
    total = sum(int(r.values["key_firms"] or 0) for r in p.rows)
    assert total == 100
    assert "链主：" in texts[0] and "—" in texts[0]  # the chain, e.g. 化纤—织造—印染—服装家纺
