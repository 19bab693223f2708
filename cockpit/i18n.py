"""Interface language through Qt translation files.

The interface is written in Chinese (the source texts of ``cockpit/ui/text.py``); English
comes from ``resources/i18n/cockpit_en.qm``, compiled by Qt's ``lrelease`` from
``cockpit_en.ts``, the file a translator edits (Qt Linguist, or any XML editor). At runtime
:func:`use` installs or removes the translator, so the language switches without a
restart (the main window then rebuilds its tabs in it).

    python -m cockpit.ui.text       # add new source texts to the .ts (keeps translations)
    make translations               # the same, then compile the .qm with pyside6-lrelease

A text the .qm lacks falls back to the English in the table, so a half-translated file
never shows a blank.
"""

from __future__ import annotations

import logging
import sys
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

from cockpit.resources import resources_dir

log = logging.getLogger(__name__)

CONTEXT = "cockpit"
LANGS = ("zh", "en")


def ts_path(lang: str = "en") -> Path:
    return resources_dir() / "i18n" / f"cockpit_{lang}.ts"


def qm_path(lang: str = "en") -> Path:
    return resources_dir() / "i18n" / f"cockpit_{lang}.qm"


_translator = None  # the installed QTranslator, if any
_missing: set[str] = set()


def use(lang: str) -> bool:
    """Install the translator for ``lang`` (``zh``: none). False (and a log line) when its
    file cannot be loaded: English then comes from the built-in table."""
    global _translator
    from PySide6.QtCore import QCoreApplication, QTranslator

    if lang not in LANGS:
        raise ValueError(f"language must be one of {', '.join(LANGS)}, not {lang!r}")
    app = QCoreApplication.instance()
    if _translator is not None and app is not None:
        app.removeTranslator(_translator)
    _translator = None
    if lang == "zh" or app is None:
        return True
    tr_ = QTranslator()
    path = qm_path(lang)
    if not tr_.load(str(path)):
        log.warning("translation %s not loaded: English from the built-in table", path)
        return False
    app.installTranslator(tr_)
    _translator = tr_
    return True


def translate(source: str, fallback: str, disambiguation: str = "") -> str:
    """The installed translation of a Chinese source text, or ``fallback``.

    ``disambiguation`` (Qt's term; the .ts file's ``<comment>``) tells apart one Chinese text
    meaning two things (时间: a period to filter by, or a table's time column)."""
    if _translator is None:
        return fallback
    text = _translator.translate(CONTEXT, source, disambiguation or None)
    if not text:
        if source not in _missing:
            _missing.add(source)
            log.info("no translation for %r in %s: built-in English used", source[:40], qm_path())
        return fallback
    return text


# ---- keeping the .ts file in step with the table -------------------------------------------


def update_ts(texts: Mapping[tuple[str, str], str], path: Path | None = None) -> tuple[int, int]:
    """Add the source texts ((Chinese, disambiguation) → the table's English,
    :func:`cockpit.ui.text.source_texts`) missing from the .ts (the English as a first
    translation, for a translator to review) and drop texts no longer used. Returns
    (added, removed)."""
    path = path or ts_path()
    existing: dict[tuple[str, str], ET.Element] = {}
    if path.exists():
        root = ET.parse(path).getroot()
        for msg in root.iter("message"):
            src = msg.findtext("source")
            if src is not None:
                existing[(src, msg.findtext("comment") or "")] = msg
    wanted = dict(texts)
    root = ET.Element("TS", version="2.1", language="en_GB", sourcelanguage="zh_CN")
    ctx = ET.SubElement(root, "context")
    ET.SubElement(ctx, "name").text = CONTEXT
    added = 0
    for (zh, comment), en in wanted.items():
        if (zh, comment) in existing:
            ctx.append(existing[(zh, comment)])
            continue
        msg = ET.SubElement(ctx, "message")
        ET.SubElement(msg, "source").text = zh
        if comment:
            ET.SubElement(msg, "comment").text = comment
        ET.SubElement(msg, "translation").text = en
        added += 1
    removed = len(set(existing) - set(wanted))
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", "utf-8")
    return added, removed


def compile_qm(ts: Path | None = None, qm: Path | None = None) -> Path:
    """Compile the .ts with PySide6's lrelease (the tool that ships with the wheel)."""
    import subprocess

    ts, qm = ts or ts_path(), qm or qm_path()
    exe = Path(sys.executable).with_name("pyside6-lrelease")
    cmd = [str(exe) if exe.exists() else "pyside6-lrelease", "-silent", str(ts), "-qm", str(qm)]
    subprocess.run(cmd, check=True)
    return qm
