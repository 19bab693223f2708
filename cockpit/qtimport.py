"""Import PySide6 and pyqtgraph without paying for what the cockpit does not use.

**PySide6's import hook.**
Once PySide6 is imported, its import hook (``__feature_import__``) asks, for every module
imported after it, whether the module's source mentions ``PySide6`` (only such modules
may use ``from __feature__ import ...``). It reads the source with ``inspect.getsource``,
which leaves every line of it in :mod:`linecache`: for pyqtgraph, numpy and the
embedded server's FastAPI, uvicorn, pydantic and SQLAlchemy that is tens of MB of small
strings, and clearing ``linecache`` afterwards does not give it back (measured: 12 MB of
RSS kept after importing pyqtgraph, ``linecache.clearcache()``, a full collection and
``malloc_trim``; the freed strings leave Python's memory pools fragmented).

:func:`import_qt` imports PySide6 and gives the hook the same answer from the file's bytes,
read and dropped: the same test (``"PySide6"`` in the source), nothing kept. Modules with
no ``.py`` file (extension modules, zip imports) still get the hook's own answer. If a
PySide6 version has no such hook, nothing is changed.

**pyqtgraph's Qt mirrors.** ``pyqtgraph.Qt`` keeps its own modules ``QtCore``, ``QtGui`` and
``QtWidgets`` and fills them at import with a copy of every name of PySide6's (``for o in
dir(src): setattr(dst, o, getattr(src, o))``). PySide6 creates its classes and enums on
first use; that copy creates all of them: 9 MB of memory and 180 ms at start for about a
thousand classes the cockpit never uses (measured). :func:`import_pyqtgraph` gives
pyqtgraph mirrors that hand out PySide6's names on use instead (module ``__getattr__``;
the same objects), and hides PySide6's names from that one copy loop. If pyqtgraph is not
laid out as this expects (another version), it is imported as it comes.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

_FEATURE = "shibokensupport.feature"  # PySide6's embedded support module (not on disk)
_MIRRORED = ("QtCore", "QtGui", "QtWidgets")  # pyqtgraph.Qt.<name> mirrors PySide6.<name>


def import_qt() -> bool:
    """Import PySide6 and make its import hook keep no sources; True if the hook was found."""
    import PySide6  # noqa: F401  (installs the import hook)

    feature = sys.modules.get(_FEATURE)
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original):
        return False
    if getattr(original, "_lean", False):  # already done (tests start many cockpits)
        return True
    feature._mod_uses_pyside = _lean(original)  # type: ignore[attr-defined]
    return True


def _lean(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    def mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as f:
                    return b"PySide6" in f.read()
            except OSError:
                pass
        return bool(original(module))

    mod_uses_pyside._lean = True  # type: ignore[attr-defined]
    return mod_uses_pyside


def import_pyqtgraph() -> ModuleType:
    """Import pyqtgraph (after :func:`import_qt`) with mirrors that create no Qt class
    before it is used; as it comes if its layout is not the expected one."""
    if "pyqtgraph" in sys.modules:
        return sys.modules["pyqtgraph"]
    import_qt()
    sources = [importlib.import_module(f"PySide6.{name}") for name in _MIRRORED]
    spec = importlib.util.find_spec("pyqtgraph")
    places = list(spec.submodule_search_locations or []) if spec is not None else []
    files = [Path(places[0], "Qt", name, "__init__.py") for name in _MIRRORED] if places else []
    # the mirrors are empty packages, filled by pyqtgraph.Qt; PySide6 lists its names lazily
    expected = bool(files) and all(f.is_file() and f.stat().st_size == 0 for f in files) \
        and all(callable(src.__dict__.get("__dir__")) for src in sources)
    if not expected:
        return importlib.import_module("pyqtgraph")
    for name, src, file in zip(_MIRRORED, sources, files, strict=True):
        mirror = ModuleType(f"pyqtgraph.Qt.{name}")
        mirror.__file__ = str(file)
        mirror.__path__ = [str(file.parent)]
        mirror.__getattr__ = _forward(src)  # type: ignore[method-assign]
        sys.modules[mirror.__name__] = mirror
    listed = {src: src.__dict__["__dir__"] for src in sources}
    try:
        for src in sources:
            src.__dir__ = _no_names  # type: ignore[method-assign]  # pyqtgraph's copy loop: nothing to copy
        return importlib.import_module("pyqtgraph")
    except BaseException:
        for name in _MIRRORED:
            sys.modules.pop(f"pyqtgraph.Qt.{name}", None)
        raise
    finally:
        for src, names in listed.items():
            src.__dir__ = names  # type: ignore[method-assign]


def _forward(src: ModuleType) -> Callable[[str], Any]:
    def __getattr__(name: str) -> Any:  # noqa: N807 (a module's __getattr__, PEP 562)
        return getattr(src, name)

    return __getattr__


def _no_names() -> list[str]:
    return []


__all__ = ["import_pyqtgraph", "import_qt"]
