"""`make` checks Qt's runtime libraries first: one line naming the Debian packages to
install, not a traceback from inside PySide6 (.ci/tools/check_qt.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parent.parent / ".ci" / "tools" / "check_qt.py"


def _check(env_extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_extra}
    return subprocess.run([sys.executable, str(TOOL)], env=env, capture_output=True, text=True, timeout=120)


def test_qt_starts_here_and_nothing_is_said():
    r = _check({})
    assert r.returncode == 0 and r.stdout == "" and r.stderr == ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux shared libraries")
def test_a_broken_qt_runtime_library_is_named_with_its_debian_package(tmp_path):
    # a libEGL.so.1 the loader finds first but cannot load: as if libegl1 were missing
    (tmp_path / "libEGL.so.1").write_bytes(b"")
    r = _check({"LD_LIBRARY_PATH": str(tmp_path)})
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "libEGL.so.1" in lines[0] and "apt-get install libegl1" in lines[0]
    assert "Traceback" not in r.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fontconfig")
def test_no_font_at_all_names_the_font_package(tmp_path):
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{tmp_path}</dir>'
                    f'<cachedir>{tmp_path / "cache"}</cachedir></fontconfig>\n')
    r = _check({"FONTCONFIG_FILE": str(conf)})
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [
        "Qt finds no font at all (fontconfig): sudo apt-get install fonts-dejavu-core"]
