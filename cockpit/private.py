"""Files only this user can read: the cache (the platform's data) and the logs.

A folder the cockpit creates is 0700, a file it creates 0600, whatever the umask; a file
or folder of ours found open to others (made by an older version) is closed again. Folders
the user chose that exist already (``--cache /srv/wall/cache.sqlite``) keep their mode.
Qt-free; on Windows (no POSIX modes) these are no-ops beyond creating.
"""

from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(folder: Path) -> None:
    """Create ``folder`` (and missing parents) as 0700; raises OSError as mkdir does."""
    missing = []
    p = folder
    while not p.exists():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    folder.mkdir(parents=True, exist_ok=True)
    for d in missing:  # only the folders made here: never chmod the user's /tmp
        _chmod(d, DIR_MODE)


def private_file(path: Path) -> None:
    """Make sure ``path`` exists and is 0600 (created so, or closed again if ours)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    except IsADirectoryError:
        return
    os.close(fd)
    _tighten(path)


def open_private_append(path: str | os.PathLike, encoding: str | None = None):
    """``open(path, "a")`` for a file created 0600 (a log file)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    _tighten(Path(path))
    return open(fd, "a", encoding=encoding)  # noqa: SIM115 (the handler owns and closes it)


def _tighten(path: Path) -> None:
    try:
        st = path.stat()
    except OSError:
        return
    if hasattr(os, "getuid") and st.st_uid == os.getuid() and st.st_mode & 0o077:
        _chmod(path, FILE_MODE)


def _chmod(path: Path, mode: int) -> None:
    try:
        os.chmod(path, mode)
    except OSError:  # a file system without modes: nothing to tighten
        pass
