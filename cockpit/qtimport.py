"""Import PySide6 without its import hook keeping the source of every later module.

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
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

_FEATURE = "shibokensupport.feature"  # PySide6's embedded support module (not on disk)


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


__all__ = ["import_qt"]
