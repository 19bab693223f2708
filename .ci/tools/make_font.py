"""Regenerate the bundled CJK font subset (a build-time tool; fontTools is not a runtime
dependency): ``make font``.

Source: Noto Sans CJK SC (SIL Open Font License 1.1), Regular and Bold, from the Debian
package fonts-noto-cjk (/usr/share/fonts/opentype/noto/NotoSansCJK-*.ttc) or any folder
given with --source holding those .ttc files (or NotoSansCJKsc-*.otf from upstream).

Kept: all of GB 2312, ASCII and Latin-1, the CJK and full-width punctuation, and every
character that appears in the cockpit's texts (the Python sources of cockpit/ and widgets/,
the layouts, translations and themes of resources/). tests/test_font_coverage.py fails when
a text the interface can show uses a character the subset lacks: then rerun this.

The subset is renamed (family "Cockpit Sans SC") so that it never mixes with a system copy
of Noto Sans CJK: the screens look the same on every machine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "resources" / "fonts"
FAMILY = "Cockpit Sans SC"
PS_FAMILY = "CockpitSansSC"
WEIGHTS = ("Regular", "Bold")
SOURCES = [Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/opentype/noto-cjk")]
SOURCE_TEXT_DIRS = ("cockpit", "widgets", "resources")
TEXT_SUFFIXES = {".py", ".toml", ".ts", ".qss"}


def gb2312() -> set[str]:
    """Every character of GB 2312 (rows 0xA1-0xF7, cells 0xA1-0xFE)."""
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def source_characters(root: Path = ROOT) -> set[str]:
    """Every character in the cockpit's source and resource text files."""
    chars: set[str] = set()
    for d in SOURCE_TEXT_DIRS:
        for p in sorted((root / d).rglob("*")):
            if p.suffix in TEXT_SUFFIXES and p.is_file():
                chars.update(p.read_text("utf-8"))
    return chars


def wanted_characters() -> set[str]:
    ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x214F), (0x2190, 0x21FF),
              (0x2200, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x25FF), (0x2600, 0x26FF), (0x3000, 0x303F),
              (0xFF00, 0xFFEF)]
    chars = {chr(c) for a, b in ranges for c in range(a, b + 1)}
    chars |= gb2312() | source_characters()
    return {c for c in chars if c.isprintable() or c == "\u3000"}


def open_source(folder: Path, weight: str) -> TTFont:
    otf = folder / f"NotoSansCJKsc-{weight}.otf"
    if otf.is_file():
        return TTFont(otf)
    ttc = folder / f"NotoSansCJK-{weight}.ttc"
    for font in TTCollection(ttc).fonts:
        if font["name"].getDebugName(1) == "Noto Sans CJK SC":
            return font
    raise SystemExit(f"{ttc}: no Noto Sans CJK SC face in it")


def rename(font: TTFont, weight: str) -> None:
    name = font["name"]
    full, ps = f"{FAMILY} {weight}" if weight != "Regular" else FAMILY, f"{PS_FAMILY}-{weight}"
    for rec in list(name.names):
        if rec.nameID in (1, 16):
            name.setName(FAMILY, rec.nameID, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID in (2, 17):
            name.setName(weight, rec.nameID, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID == 3:
            name.setName(f"{ps};subset of Noto Sans CJK SC", 3, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID == 4:
            name.setName(full, 4, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID == 6:
            name.setName(ps, 6, rec.platformID, rec.platEncID, rec.langID)
    # the localized (Chinese, Japanese...) family names would make it "思源黑体" again
    name.names = [r for r in name.names if r.langID in (0, 0x409) or r.nameID not in (1, 4, 16, 17)]
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [ps]
        top = cff.topDictIndex[0]
        top.FullName, top.FamilyName = full, FAMILY


def build(folder: Path, out: Path) -> list[Path]:
    chars = wanted_characters()
    written = []
    for weight in WEIGHTS:
        font = open_source(folder, weight)
        have = {chr(c) for c in font.getBestCmap()}
        # characters of GB 2312 or of the cockpit's files the source face lacks (the block
        # ranges above are taken as far as the face has them)
        missing = sorted(c for c in (gb2312() | source_characters()) & chars if c not in have and not c.isspace())
        opts = subset.Options()
        opts.name_IDs = ["*"]
        opts.name_languages = ["*"]
        opts.notdef_outline = True
        opts.layout_features = ["*"]
        opts.hinting = False  # the cockpit draws unhinted (widgets.theme.pixel_font)
        opts.desubroutinize = False
        sub = subset.Subsetter(opts)
        sub.populate(unicodes=[ord(c) for c in chars if c in have])
        sub.subset(font)
        rename(font, weight)
        font.recalcTimestamp = False  # the same characters give the same bytes (no churn in git)
        path = out / f"{PS_FAMILY}-{weight}.otf"
        font.save(path)
        written.append(path)
        print(f"{path.relative_to(ROOT)}: {len(font.getBestCmap())} characters, "
              f"{path.stat().st_size / 1e6:.2f} MB"
              + (f" (not in the source face: {''.join(missing[:40])})" if missing else ""))
    return written


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--source", type=Path, help="folder with NotoSansCJK-{Regular,Bold}.ttc")
    p.add_argument("--out", type=Path, default=OUT)
    args = p.parse_args(argv)
    folder = args.source or next((f for f in SOURCES if (f / "NotoSansCJK-Regular.ttc").is_file()), None)
    if folder is None:
        print("Noto Sans CJK not found: apt-get install fonts-noto-cjk, or give --source", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    build(folder, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
