"""The package configuration: every file under resources/ is package data of the package its
folder becomes (so the wheel carries it and setuptools has no folder of data outside its
``packages``), and the license is an SPDX expression (no deprecated TOML table)."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def test_every_resource_file_is_package_data_of_its_folders_package() -> None:
    data: dict[str, list[str]] = _pyproject()["tool"]["setuptools"]["package-data"]
    missing = []
    for path in sorted((ROOT / "resources").rglob("*")):
        if not path.is_file() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
            continue
        package = ".".join(["cockpit_resources", *path.parent.relative_to(ROOT / "resources").parts])
        if not any(fnmatch(path.name, pattern) for pattern in data.get(package, [])):
            missing.append(f"{path.relative_to(ROOT)} (package {package})")
    assert not missing, missing


def test_setup_lists_every_resource_folder_as_a_package() -> None:
    """setup.py finds resources/' folders itself (find_namespace_packages), and the
    package-data keys name only packages it lists."""
    source = (ROOT / "setup.py").read_text("utf-8")
    assert "find_namespace_packages(\"resources\"" in source
    folders = {".".join(["cockpit_resources", *p.relative_to(ROOT / "resources").parts])
               for p in (ROOT / "resources").rglob("*") if p.is_dir() and "__pycache__" not in p.parts}
    assert set(_pyproject()["tool"]["setuptools"]["package-data"]) <= folders


def test_license_is_an_spdx_string_and_setuptools_can_read_it() -> None:
    py = _pyproject()
    assert isinstance(py["project"]["license"], str)
    requires = py["build-system"]["requires"]
    setuptools = next(r for r in requires if r.startswith("setuptools"))
    assert setuptools.replace(" ", "").startswith("setuptools>=")
    assert tuple(int(x) for x in setuptools.split(">=")[1].split(",")[0].split(".")) >= (77,)
