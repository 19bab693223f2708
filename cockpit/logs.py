"""Logging: the console (stderr) and a rotating UTF-8 file in the user log folder, tokens masked.

Call :func:`setup_logging` once, first thing (it is Qt-free). Every handler it installs
carries a :class:`SecretFilter`: ``Bearer <token>``, ``token=...`` in a query string, a
password in an address (``http://user:****@host``) and every value registered with
:func:`register_secret` (the API token read from its environment variable) are written as
``****``, in the message, its arguments and any traceback.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
from pathlib import Path

from cockpit.private import open_private_append, private_dir
from cockpit.resources import APP_NAME

LOG_NAME = "cockpit.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "****"
MIN_SECRET_LEN = 4  # shorter values are masked only where they stand alone (not inside words)

_PATTERNS = (  # (what, replacement)
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*"), rf"\1 {MASK}"),
    (re.compile(r"(?i)\b((?:access_)?token=)[^&\s'\"]+"), rf"\1{MASK}"),
    (re.compile(r"(?<=://)([^/@:\s]+):[^/@\s]+@"), rf"\1:{MASK}@"),  # http://user:password@host
)
_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_secret_re: re.Pattern[str] | None = None


def register_secret(value: str | None) -> None:
    """Never write ``value`` to a log (e.g. the API token read from ``--token-env``'s variable)."""
    global _secret_re
    if not value:
        return
    with _secrets_lock:
        _secrets.add(value)
        # longest first, so a secret containing another is masked whole; a short one (under
        # MIN_SECRET_LEN) only where it stands alone, not inside ordinary words and numbers
        _secret_re = re.compile("|".join(
            re.escape(s) if len(s) >= MIN_SECRET_LEN else rf"(?<![A-Za-z0-9]){re.escape(s)}(?![A-Za-z0-9])"
            for s in sorted(_secrets, key=len, reverse=True)))


def forget_secrets() -> None:
    """Drop every registered secret (for tests)."""
    global _secret_re
    with _secrets_lock:
        _secrets.clear()
        _secret_re = None


def mask(text: str) -> str:
    """``text`` with bearer tokens and registered secrets replaced by ``****``."""
    secret_re = _secret_re
    if secret_re is not None:
        text = secret_re.sub(MASK, text)
    for pat, repl in _PATTERNS:
        text = pat.sub(repl, text)
    return text


class SecretFilter(logging.Filter):
    """Masks secrets in a record before any handler formats it (message, arguments,
    traceback, stack)."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            msg = record.getMessage()
        except Exception:  # a bad format string: let logging report it as usual
            return True
        masked = mask(msg)
        if masked != msg:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


class _FileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file whose write errors (disk full, folder removed) are said once on
    stderr instead of a traceback per record."""

    _failed = False

    def _open(self):  # type: ignore[no-untyped-def]
        return open_private_append(self.baseFilename, self.encoding)  # 0600: logs name the platform

    def handleError(self, record: logging.LogRecord) -> None:
        if not self._failed:
            self._failed = True
            exc = sys.exc_info()[1]
            try:
                sys.stderr.write(f"cockpit: cannot write the log file {self.baseFilename} ({exc}); "
                                 "logging to the console only\n")
            except Exception:  # stderr gone too: nothing left to tell
                pass


def default_log_dir() -> Path:
    import platformdirs

    return platformdirs.user_log_path(APP_NAME)


def _ours(handler: logging.Handler) -> bool:
    return getattr(handler, "_cockpit", False)


def close_logging() -> None:
    """Remove and close the handlers :func:`setup_logging` installed."""
    root = logging.getLogger()
    for h in [h for h in root.handlers if _ours(h)]:
        root.removeHandler(h)
        h.close()


def setup_logging(level: str = "INFO", log_dir: Path | None = None, max_bytes: int = 5_000_000,
                  backups: int = 5) -> Path | None:
    """Log to stderr and to ``<log_dir or the user log folder>/cockpit.log``, rotated at
    ``max_bytes`` with ``backups`` old files kept. Returns the log file, or None when the
    folder cannot be created or written: then the console only, and one warning says so.
    Calling it again replaces the handlers it installed before."""
    close_logging()
    root = logging.getLogger()
    root.setLevel(getattr(logging, str(level).upper(), logging.INFO))
    formatter = logging.Formatter(FORMAT)
    secret_filter = SecretFilter()
    console = logging.StreamHandler(sys.stderr)
    handlers: list[logging.Handler] = [console]
    folder = Path(log_dir).expanduser() if log_dir else default_log_dir()
    path: Path | None = None
    failure = None
    try:
        private_dir(folder)
        handlers.append(_FileHandler(
            folder / LOG_NAME, maxBytes=max(0, int(max_bytes)), backupCount=max(1, int(backups)), encoding="utf-8"))
        path = folder / LOG_NAME
    except (OSError, ValueError) as exc:
        failure = exc
    for h in handlers:
        h.setFormatter(formatter)
        h.addFilter(secret_filter)
        h._cockpit = True  # type: ignore[attr-defined]
        root.addHandler(h)
    if failure is not None:
        logging.getLogger("cockpit").warning("cannot write the log file in %s (%s): logging to the console only",
                                             folder, failure)
    return path
