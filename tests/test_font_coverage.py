"""Every character the interface can show has a glyph in the bundled face.

The cockpit draws with the font it ships (resources/fonts, "Cockpit Sans SC", a subset of
Noto Sans CJK SC made by ``make font``), not with whatever the machine has; a character
the subset lacks would fall back to another font or show as a box on a machine without
CJK fonts. The texts checked: every string literal of cockpit/ and widgets/ (the UI text
table in both languages, the reference server's names of firms, districts, brains,
metrics, chains, alerts...), the translation file, the layout files, and what the
reference server actually sends (catalog, every brain's snapshot and chain, the
enterprise list, enterprise profiles, the batches its panels show).
"""

from __future__ import annotations

import ast
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import requests

from cockpit import fonts
from cockpit.resources import resources_dir

ROOT = Path(__file__).resolve().parent.parent


def _strings(value, out: set[str]) -> None:
    if isinstance(value, str):
        out.add(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            _strings(k, out)
            _strings(v, out)
    elif isinstance(value, list | tuple):
        for v in value:
            _strings(v, out)


def source_strings() -> dict[str, set[str]]:
    """String literals of the cockpit's Python sources, by file (docstrings left out: they
    are never shown)."""
    found: dict[str, set[str]] = {}
    for d in ("cockpit", "widgets"):
        for path in sorted((ROOT / d).rglob("*.py")):
            tree = ast.parse(path.read_text("utf-8"))
            docs = {id(node.body[0].value) for node in ast.walk(tree)
                    if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                    and node.body and isinstance(node.body[0], ast.Expr)
                    and isinstance(node.body[0].value, ast.Constant)}
            lits = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                    and id(n) not in docs}
            found[str(path.relative_to(ROOT))] = lits
    return found


def resource_strings() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for ts in sorted((resources_dir() / "i18n").glob("*.ts")):
        root = ET.parse(ts).getroot()
        found[ts.name] = {e.text for e in root.iter() if e.tag in ("source", "translation") and e.text}
    for layout in sorted((resources_dir() / "layouts").glob("*.toml")):
        out: set[str] = set()
        _strings(tomllib.loads(layout.read_text("utf-8")), out)
        found[layout.name] = out
    return found


def server_strings() -> set[str]:
    """What the reference server sends, fetched over loopback HTTP."""
    from cockpit.central.runner import EmbeddedServer
    from cockpit.central.simulator import Simulator

    out: set[str] = set()
    with EmbeddedServer(Simulator(seed=20261127)) as srv, requests.Session() as s:
        api = srv.url + "/api/v1"

        def get(path: str, **params):
            r = s.get(api + path, params=params, timeout=10)
            r.raise_for_status()
            data = r.json()
            _strings(data, out)
            return data

        brains = [b["id"] for b in get("/brains")["brains"]]
        snaps = [get(f"/brains/{b}/snapshot") for b in brains]
        for b in brains:
            s.get(f"{api}/brains/{b}/chain", timeout=10).ok and _strings(
                s.get(f"{api}/brains/{b}/chain", timeout=10).json(), out)
            items = get("/enterprises", brain=b, limit="500")["items"]
            for item in items[:8]:
                get(f"/enterprises/{item['code']}")
        for no in sorted(set(re.findall(r"HJ\d{3}-\d{4}-\d{3}", repr(snaps)))):
            get(f"/batches/{no}")
        get("/displays")
    return out


def _missing(texts: set[str], raw) -> dict[str, str]:
    """Characters without a glyph in the face -> a text that uses it."""
    missing: dict[str, str] = {}
    for text in texts:
        for ch in text:
            if ch.isspace() or not ch.isprintable() or ch in missing:
                continue
            if not raw.supportsCharacter(ord(ch)):  # the code point (a str maps to a wrong QChar)
                missing[ch] = text
    return missing


@pytest.fixture(scope="module")
def faces(qapp):
    from PySide6.QtGui import QFont, QRawFont

    files = fonts.font_files()
    assert [f.name for f in files] == ["CockpitSansSC-Bold.otf", "CockpitSansSC-Regular.otf"]
    out = []
    for f in files:
        raw = QRawFont(str(f), 16, QFont.HintingPreference.PreferNoHinting)
        assert raw.isValid(), f
        assert raw.familyName() == fonts.FAMILY
        out.append(raw)
    return out


def _report(missing: dict[str, str], where: str) -> str:
    lines = [f"U+{ord(c):04X} {c!r} in {t[:60]!r}" for c, t in sorted(missing.items())[:30]]
    return (f"{len(missing)} characters of {where} have no glyph in the bundled font; run `make font` "
            "(.ci/tools/make_font.py) to regenerate the subset:\n  " + "\n  ".join(lines))


def test_every_ui_and_resource_text_has_glyphs_in_the_bundled_face(faces):
    texts = set().union(*source_strings().values(), *resource_strings().values())
    # the UI table really is in there, in both languages
    assert "产业大脑" in "".join(texts) and "Industry" in "".join(texts)
    for raw in faces:
        missing = _missing(texts, raw)
        assert not missing, _report(missing, f"the sources/resources ({raw.styleName()})")


def test_everything_the_reference_server_sends_has_glyphs_in_the_bundled_face(faces):
    texts = server_strings()
    joined = "".join(texts)
    assert "柯桥区" in joined and "有限公司" in joined, "the server's names were not fetched"
    for raw in faces:
        missing = _missing(texts, raw)
        assert not missing, _report(missing, f"the reference server's data ({raw.styleName()})")


def test_the_check_finds_a_character_the_subset_lacks(faces):
    # 龘 (U+9F98) is in Noto Sans CJK but outside GB 2312 and unused by the cockpit
    assert _missing({"产业大脑龘"}, faces[1]) == {"龘": "产业大脑龘"}


def test_the_bundled_face_is_registered_and_first_in_the_ui_families(qapp):
    from PySide6.QtGui import QFontDatabase, QFontInfo

    from widgets import theme

    assert fonts.register() == [fonts.FAMILY, fonts.FIGURES]
    assert fonts.FAMILY in QFontDatabase.families()
    assert theme.font_families()[0] == fonts.FAMILY
    assert QFontInfo(theme.pixel_font(20)).family() == fonts.FAMILY
    assert QFontInfo(theme.pixel_font(20, bold=True)).family() == fonts.FAMILY
