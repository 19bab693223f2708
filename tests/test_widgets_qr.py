"""QrCode: the modules drawn are segno's matrix, crisp, dark on white, with a quiet zone.

No decoder is available, so the image is checked module by module against the matrix."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import segno

from tests.pixels import grab, near
from widgets import theme
from widgets.qr_code import QUIET, QrCode
from widgets.state import DataState

CODE = "91330600MA2BX7Q51Y"  # an 18-character unified social credit code
URL = "https://brain.sx.gov.cn/industry/ic?district=keqiao&year=2025"

LOOKS = [
    (DataState.LIVE, ""),
    (DataState.STALE, "数据过时 · 截至 14:32:05"),
    (DataState.OFFLINE, "离线 · 数据截至 14:32:05"),
    (DataState.NO_DATA, "等待数据"),
]


def make(qtbot, text=CODE, caption=CODE) -> QrCode:
    q = QrCode()
    qtbot.addWidget(q)
    q.set_title("企业码")
    q.set_text(text)
    q.set_caption(caption)
    return q


def segno_matrix(text: str) -> list[list[bool]]:
    return [[bool(v) for v in row] for row in segno.make_qr(text, error="m").matrix]


def module_centres(q: QrCode) -> tuple[np.ndarray, np.ndarray]:
    """Pixel rows and columns of the centre of each module."""
    r = q.code_rect()
    m = q.module_size()
    n = len(q.matrix())
    centres = np.arange(n) * m + m // 2
    return int(r.top()) + centres, int(r.left()) + centres


def dark(img: np.ndarray) -> np.ndarray:
    return img.max(axis=-1) < 60


def white(img: np.ndarray) -> np.ndarray:
    return img.min(axis=-1) > 245


@pytest.mark.parametrize("text", [CODE, URL, "绍兴市产业大脑"])
def test_matrix_is_segnos(qtbot, text):
    q = make(qtbot, text)
    assert q.matrix() == segno_matrix(text)
    n = len(q.matrix())
    assert n >= 21 and (n - 17) % 4 == 0  # a full QR symbol (version 1..40), never a Micro QR


@pytest.mark.parametrize("text,size", [(CODE, (300, 340)), (URL, (420, 400)), (CODE, (700, 450))])
def test_dark_modules_exactly_where_the_matrix_says(qtbot, text, size):
    q = make(qtbot, text)
    img = grab(q, size)
    rows, cols = module_centres(q)
    got = dark(img[np.ix_(rows, cols)])
    light = white(img[np.ix_(rows, cols)])
    want = np.array(q.matrix())
    assert q.module_size() >= 2
    assert np.array_equal(got, want)
    assert np.array_equal(light, ~want)  # every other module is white, nothing in between


def test_modules_are_whole_pixels_and_crisp(qtbot):
    q = make(qtbot)
    img = grab(q, (333, 351))  # an odd size: modules still land on whole pixels
    m, n = q.module_size(), len(q.matrix())
    r = q.code_rect()
    assert isinstance(m, int) and r.width() == r.height() == n * m
    assert r.left() == int(r.left()) and r.top() == int(r.top())
    code = img[int(r.top()) : int(r.bottom()), int(r.left()) : int(r.right())]
    assert (dark(code) | white(code)).all()  # no grey anti-aliased edge anywhere in the symbol
    # each module is a uniform m×m block
    blocks = code.reshape(n, m, n, m, 3)
    assert (blocks == blocks[:, :1, :, :1]).all()


def test_quiet_zone_is_white_and_code_centred(qtbot):
    q = make(qtbot)
    img = grab(q, (300, 340))
    plate, code = q.plate_rect(), q.code_rect()
    m = q.module_size()
    assert code.left() - plate.left() == QUIET * m and plate.right() - code.right() == QUIET * m
    assert code.top() - plate.top() == QUIET * m and plate.bottom() - code.bottom() == QUIET * m
    p = img[int(plate.top()) : int(plate.bottom()), int(plate.left()) : int(plate.right())]
    qz = QUIET * m
    for band in (p[:qz], p[-qz:], p[:, :qz], p[:, -qz:]):
        assert white(band).all()
    # centred horizontally; the plate is on the dark panel (a light frame around the code)
    assert plate.center().x() == pytest.approx(150, abs=1)
    assert near(
        img[int(plate.top()) - 3 : int(plate.top()) - 1, int(plate.left()) : int(plate.right())],
        theme.PANEL,
        4,
    ).all()


def test_three_finder_patterns(qtbot):
    q = make(qtbot, URL)
    img = grab(q, (420, 400))
    rows, cols = module_centres(q)
    seen = dark(img[np.ix_(rows, cols)])
    n = len(rows)
    finder = np.ones((7, 7), bool)
    finder[1:6, 1:6] = False
    finder[2:5, 2:5] = True
    for r0, c0 in ((0, 0), (0, n - 7), (n - 7, 0)):
        assert np.array_equal(seen[r0 : r0 + 7, c0 : c0 + 7], finder), (r0, c0)
    # a separator of light modules around each, and no finder bottom-right
    assert not seen[7, :8].any() and not seen[:8, 7].any()
    assert not np.array_equal(seen[n - 7 :, n - 7 :], finder)


def test_caption_below_the_code(qtbot):
    q = make(qtbot)
    img = grab(q, (300, 340))
    plate = q.plate_rect()
    cap = q.caption_rect()
    assert cap.top() >= plate.bottom()
    below = img[int(cap.top()) : int(cap.bottom()), :]
    assert near(below, theme.TEXT, 60).sum() > 100
    none = make(qtbot, caption="")
    grab(none, (300, 340))
    assert none.module_size() >= q.module_size()  # without a caption the code may grow


def test_chinese_caption_renders_glyphs(qtbot):
    a, b = (
        make(qtbot, caption="绍兴市产业大脑"),
        make(qtbot, caption="\ue000\ue001\ue002\ue003\ue004\ue005\ue006"),
    )
    assert not np.array_equal(grab(a, (300, 340)), grab(b, (300, 340)))


def test_empty_text_shows_a_dash_and_no_code(qtbot):
    q = make(qtbot, "", caption="")
    img = grab(q, (300, 340))
    assert q.matrix() == [] and q.module_size() == 0 and q.code_rect().isEmpty()
    assert white(img).sum() == 0
    assert near(img, theme.TEXT_DIM, 10).sum() > 100  # the dash
    q.set_text(CODE)
    assert white(grab(q, (300, 340))).sum() > 1000
    q.set_text("")
    assert white(grab(q, (300, 340))).sum() == 0


def test_too_small_draws_no_code_too_long_raises(qtbot):
    q = make(qtbot, URL)
    img = grab(q, (40, 40))
    assert q.module_size() == 0 and white(img).sum() == 0
    q.resize(0, 0)
    assert q.grab().isNull()
    with pytest.raises(ValueError, match="too long"):
        q.set_text("x" * 8000)
    assert q.text() == URL  # unchanged


def test_states_differ_code_kept_except_no_data(qtbot):
    images = []
    for state, note in LOOKS:
        q = make(qtbot)
        q.set_state(state, note)
        images.append(grab(q, (300, 340)))
    for (i, a), (j, b) in itertools.combinations(enumerate(images), 2):
        assert not np.array_equal(a, b), f"{LOOKS[i][0]} looks like {LOOKS[j][0]}"
    codes = [white(img).sum() for img in images]
    assert codes[0] == codes[1] == codes[2] > 1000  # the code stays scannable
    assert codes[3] == 0  # no data: no code


def test_no_repaint_when_unchanged(qtbot):
    from tests.pixels import show

    q = show(qtbot, make(qtbot), (300, 340))
    qtbot.wait(20)
    before = q.paint_count
    q.set_text(CODE)
    q.set_caption(CODE)
    qtbot.wait(30)
    assert q.paint_count == before
