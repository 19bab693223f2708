"""English comes from the Qt translation file: it covers every interface text, its
compiled .qm is up to date, and what it says is what the interface shows."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

from cockpit import i18n
from cockpit.ui import export, kiosk
from cockpit.ui.text import _CONTEXTS, _TEXT, source_texts, tr


def test_every_source_text_has_one_translation_in_the_ts_file(tmp_path):
    # one source text, one translation: two keys may share a text only if they mean the same
    # (or a disambiguation in _CONTEXTS tells them apart)
    pairs = {(zh, _CONTEXTS.get(key, ""), en) for key, (zh, en) in _TEXT.items()}
    dup = [zh for zh, n in Counter((zh, c) for zh, c, _ in pairs).items() if n > 1]
    assert not dup, f"Chinese source texts with two different English texts: {dup}"
    copy = tmp_path / "cockpit_en.ts"
    shutil.copy(i18n.ts_path(), copy)
    assert i18n.update_ts(source_texts(), copy) == (0, 0), "run `make translations`: the .ts is behind cockpit/ui/text.py"


def test_the_committed_qm_is_compiled_from_the_ts(tmp_path):
    qm = i18n.compile_qm(i18n.ts_path(), tmp_path / "cockpit_en.qm")
    assert qm.read_bytes() == i18n.qm_path().read_bytes(), "run `make translations`: the .qm is stale"


def test_the_interface_shows_what_the_translation_file_says(qapp, tmp_path, monkeypatch):
    # a translator changes one text in the .ts; once compiled, the interface says it
    ts = tmp_path / "cockpit_en.ts"
    text = i18n.ts_path().read_text("utf-8").replace(
        "<translation>Industry Brain Cockpit</translation>", "<translation>Industry Brain Cockpit (edited)</translation>"
    ).replace("<translation>Enter the PIN to leave kiosk mode</translation>",
              "<translation>PIN, please (edited)</translation>")
    ts.write_text(text, "utf-8")
    qm = i18n.compile_qm(ts, tmp_path / "cockpit_en.qm")
    monkeypatch.setattr(i18n, "qm_path", lambda lang="en": qm)
    try:
        assert i18n.use("en")
        assert tr("app_title", "en") == "Industry Brain Cockpit (edited)"
        assert tr("app_title", "zh") == "产业大脑驾驶舱"  # Chinese is the source: never translated
        assert tr("offline_note", "en", t="10:00") == "Offline · data as of 10:00"
        # the kiosk's texts, once a table of their own, take the same path
        assert kiosk._tr("pin_title", "en") == "PIN, please (edited)"
        # one Chinese text, two meanings, two translations
        assert (tr("aj_period", "en"), export._t("time", "en")) == ("Period", "Time")
    finally:
        i18n.use("zh")
    assert tr("app_title", "en") == "Industry Brain Cockpit"  # the table, without the file


def test_a_missing_file_falls_back_to_the_built_in_english(qapp, tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "qm_path", lambda lang="en": tmp_path / "none.qm")
    try:
        assert i18n.use("en") is False
        assert tr("live", "en") == "Live"
    finally:
        i18n.use("zh")


def test_no_module_keeps_a_text_table_of_its_own():
    # every interface text goes through cockpit/ui/text.py and the translation file
    root = Path(i18n.__file__).parent
    tables = [str(p.relative_to(root)) for p in root.rglob("*.py")
              if p.name != "text.py" and re.search(r"^_TEXTS?\b[^=\n]*=\s*\{", p.read_text("utf-8"), re.M)]
    assert tables == [], f"texts outside cockpit/ui/text.py: {tables}"
