"""The reference server under hostile load: connection cap, request deadlines, Host check,
bounded logging and the open-file limit.

Plain uvicorn has no deadline for a request's headers, no cap on connections and keeps
the open-file limit it inherited: 1,100 clients sending headers slowly leave ``/healthz``
unanswered, and 1,100 reconnecting walls get ``500 Too many open files``. Here:

* :class:`GuardedH11Protocol` (uvicorn's h11 protocol with two additions):
  - a **request deadline** (:attr:`Limits.header_timeout_s`): a connection that has not
    sent a whole request (headers and body) that long after it opened or after its last
    response is answered ``408`` and closed; idle keep-alive connections close after
    :attr:`Limits.idle_timeout_s` (uvicorn's keep-alive timeout);
  - a **connection cap** (:attr:`Limits.max_connections`, clamped below the open-file
    limit): at the cap, the connection that has waited longest for its request is closed to
    make room (a slow or idle client yields to one that sends its request); when every
    connection is busy (streams, requests being answered) the newcomer gets ``503`` with
    ``Retry-After`` and is closed. File handles never run out, so ``accept()`` never fails.
* :class:`HostCheck` (ASGI middleware, used when the server has no token): the ``Host``
  header must name the bind address, a loopback name or (when bound to every address) an
  IP literal, so a web page on another origin cannot reach the API through DNS rebinding.
* :class:`RateLimitFilter`: errors are logged at a bounded rate (a burst, then one line
  per period saying how many were dropped), never one line per failed connection.
* :func:`raise_nofile_limit`: the soft open-file limit raised to the hard one at start.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any

import h11
from starlette.responses import Response
from uvicorn.protocols.http.h11_impl import H11Protocol

from cockpit.api.schema import ErrorBody

__all__ = [
    "ACCEPT_BATCHES_IN_FLIGHT",
    "FD_RESERVE",
    "GuardedH11Protocol",
    "HostCheck",
    "Limits",
    "RateLimitFilter",
    "install_log_limits",
    "nofile_limit",
    "raise_nofile_limit",
]

log = logging.getLogger("cockpit.central.guard")

#: File handles kept free beyond the connection cap (log files, the database, the thread
#: pool, connections being answered 503).
FD_RESERVE = 64
#: Backlogs of accepted sockets the connection cap cannot see yet (see :meth:`Limits.effective_cap`).
ACCEPT_BATCHES_IN_FLIGHT = 3
RETRY_AFTER_S = 5


def nofile_limit() -> int | None:
    """The soft open-file limit of this process (None where unknown, e.g. Windows)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return None if soft == resource.RLIM_INFINITY else int(soft)


def raise_nofile_limit(want: int = 65536) -> tuple[int | None, int | None]:
    """Raise the soft open-file limit towards ``want`` (at most the hard limit).

    Returns (before, after); both None where the platform has no such limit.
    """
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return None, None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = want if hard == resource.RLIM_INFINITY else min(want, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError) as exc:  # not allowed here: keep what we have
            log.warning("could not raise the open-file limit from %d to %d: %s", soft, target, exc)
    return soft, nofile_limit()


@dataclass
class Limits:
    """What a connection may take. ``max_connections`` is clamped below the open-file limit."""

    max_connections: int = 4096
    header_timeout_s: float = 10.0
    idle_timeout_s: float = 5.0
    retry_after_s: int = RETRY_AFTER_S

    def backlog(self) -> int:
        """The listen backlog, which is also how many connections asyncio accepts in one go
        (one event-loop pass) before the cap can see them."""
        fds = nofile_limit()
        return 2048 if fds is None else max(16, min(2048, fds // 16))

    def effective_cap(self) -> int:
        """``max_connections``, clamped so the file handles in flight never reach the limit.

        asyncio's accept pipeline holds up to :data:`ACCEPT_BATCHES_IN_FLIGHT` backlogs of
        handles the cap cannot count: a socket accepted in one loop pass reaches
        ``connection_made`` two passes later (the accept task runs in the next pass and
        schedules it), so when a batch is checked the next one is already accepted and the
        pass's own accept takes a third, while the connections the batch evicted are closed
        only in the pass after (``transport.close`` defers the socket's close)."""
        fds = nofile_limit()
        if fds is None:
            return self.max_connections
        return max(8, min(self.max_connections, fds - ACCEPT_BATCHES_IN_FLIGHT * self.backlog() - FD_RESERVE))


def _canned(status: int, reason: str, error: str, detail: str, extra: str = "") -> bytes:
    body = ErrorBody(error=error, detail=detail).model_dump_json().encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n{extra}"
        f"Connection: close\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


_TIMEOUT_408 = _canned(408, "Request Timeout", "request_timeout", "request not received in time")


def _unavailable_app(retry_after_s: int) -> Callable[..., Awaitable[None]]:
    body = ErrorBody(error="unavailable", detail=f"too many connections; retry in {retry_after_s} s")\
        .model_dump_json().encode()

    async def app(scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        await send({
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", b"application/json"),
                (b"retry-after", str(retry_after_s).encode()),
                (b"connection", b"close"),
                (b"content-length", str(len(body)).encode()),
            ],
        })
        await send({"type": "http.response.body", "body": body, "more_body": False})

    return app


class _Counter:
    """Counts connections turned away (for the rate-limited summary and for tests)."""

    def __init__(self) -> None:
        self.rejected = 0
        self.evicted = 0
        self.timed_out = 0
        self._last_log = 0.0

    def note(self) -> None:
        now = time.monotonic()
        if now - self._last_log >= 10.0:
            self._last_log = now
            log.warning(
                "connection cap: %d turned away with 503, %d slow/idle connections closed, "
                "%d request deadlines missed (so far)", self.rejected, self.evicted, self.timed_out,
            )


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a request deadline and a connection cap (see the module doc).

    The limits are class attributes, set by :meth:`configured` (uvicorn makes one
    instance per connection from the class it is given as ``http=``).
    """

    limits: Limits = Limits()
    counter: _Counter = _Counter()
    _cap: int = 0

    @classmethod
    def configured(cls, limits: Limits) -> type[GuardedH11Protocol]:
        """A subclass with these limits (its own counters)."""
        return type("GuardedH11Protocol", (cls,), {"limits": limits, "counter": _Counter(),
                                                   "_cap": limits.effective_cap()})

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._deadline: asyncio.TimerHandle | None = None
        self._waiting_since = time.monotonic()
        self._refused = False
        super().connection_made(transport)
        cap = self._cap or self.limits.effective_cap()
        if len(self.connections) > cap and not self._make_room():
            # every connection is busy: answer 503 (once the request is read, so the client
            # sees the answer rather than a reset) within a short deadline
            self._refused = True
            self.app = _unavailable_app(self.limits.retry_after_s)
            self.counter.rejected += 1
            self.counter.note()
            if len(self.connections) > cap + FD_RESERVE // 2:  # a flood: no answer at all
                transport.abort()
                return
            self._arm(min(1.0, self.limits.header_timeout_s))
            return
        self._arm(self.limits.header_timeout_s)

    def _waiting(self) -> bool:
        """No request in progress (none yet, or the last one answered)."""
        return self.cycle is None or self.cycle.response_complete

    def _make_room(self) -> bool:
        """Close the connection that has waited longest for a request; False if none does."""
        victim: GuardedH11Protocol | None = None
        for conn in self.connections:
            if conn is self or not isinstance(conn, GuardedH11Protocol) or conn._refused:
                continue
            if conn.transport is None or conn.transport.is_closing() or not conn._waiting():
                continue
            if victim is None or conn._waiting_since < victim._waiting_since:
                victim = conn
        if victim is None:
            return False
        self.counter.evicted += 1
        self.counter.note()
        victim._close(answer=victim._request_begun())
        return True

    def _request_begun(self) -> bool:
        """Some of a request that is not answered yet has arrived (so a 408 is due)."""
        return self.conn.their_state is not h11.IDLE or bool(self.conn.trailing_data[0])

    def _close(self, answer: bool) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        if not self.transport.is_closing():
            if answer:
                self.transport.write(_TIMEOUT_408)
            self.transport.close()
        self.connections.discard(self)  # the handle is being given back: room for the next

    def _arm(self, seconds: float) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._waiting_since = time.monotonic()
        self._deadline = self.loop.call_later(seconds, self._on_deadline, self.cycle)

    def _on_deadline(self, armed_cycle: Any) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        cycle = self.cycle
        if cycle is armed_cycle or cycle is None or cycle.response_complete:
            # no (new) request begun, or its headers are still coming
            self.counter.timed_out += 1
            self.counter.note()
            self._close(answer=self._request_begun() or self._refused)
        elif cycle.more_body and not cycle.response_started:
            # headers came, the body is still coming: cut it (the app sees a disconnect)
            self.counter.timed_out += 1
            self.counter.note()
            self._close(answer=False)

    def handle_events(self) -> None:
        before = self.cycle
        super().handle_events()
        if self.cycle is not before and self.cycle is not None:
            # a way for the app to cut this connection (a stream dropped for reading too slowly
            # is stuck writing to it); the request's task has not run yet
            ext = self.cycle.scope.setdefault("extensions", {})  # type: ignore[typeddict-item]
            ext["cockpit.abort"] = self.transport.abort  # type: ignore[index,assignment]
            if self.cycle.scope["http_version"] == "1.1" and self.cycle.scope["method"] == "GET":
                # the same bytes for every stream subscriber, framed once as a chunk, written here
                ext["cockpit.raw_write"] = self._raw_write  # type: ignore[index,assignment]
            if self._deadline is None:
                self._arm(self.limits.header_timeout_s)  # a pipelined request after an answered one

    def _raw_write(self, framed_chunk: bytes) -> bool:
        """Write one pre-framed HTTP/1.1 chunk of the response being streamed; False when the
        connection is closing or its buffer is above the high-water mark (a slow reader)."""
        cycle = self.cycle
        if (self.transport.is_closing() or self.flow.write_paused or cycle is None or cycle.disconnected
                or not cycle.response_started or cycle.response_complete):
            return False
        self.transport.write(framed_chunk)
        return True

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm(self.limits.header_timeout_s)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        super().connection_lost(exc)


# ---- Host check --------------------------------------------------------------------------

_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def _host_name(raw: bytes) -> str:
    text = raw.decode("latin-1").strip().lower()
    if text.startswith("["):  # [v6]:port
        return text[1:].partition("]")[0]
    if text.count(":") == 1:
        return text.partition(":")[0]
    return text


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class HostCheck:
    """ASGI middleware: refuse a ``Host`` that does not name this server (DNS rebinding).

    Allowed: the bind address, ``localhost``/``127.0.0.1``/``::1``, ``extra`` names, and,
    when bound to every address (``0.0.0.0``/``::``), any IP literal. A request without a
    ``Host`` (HTTP/1.0) is let through: browsers always send one.
    """

    def __init__(self, app: Any, bind_host: str, extra: Iterable[str] = ()) -> None:
        self.app = app
        bind = bind_host.strip("[]").lower()
        self._allowed = set(_LOOPBACK_NAMES) | {bind} | {h.lower() for h in extra}
        self._any_ip = bind in ("0.0.0.0", "::", "")

    def allowed(self, name: str) -> bool:
        return name in self._allowed or (self._any_ip and _is_ip(name))

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[Any]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> None:
        if scope["type"] == "http":
            for key, value in scope.get("headers", ()):
                if key == b"host":
                    name = _host_name(value)
                    if not self.allowed(name):
                        detail = (f"Host {name[:60]!r} is not this server; without a token only the bind "
                                  "address and loopback names are served")
                        resp = Response(ErrorBody(error="misdirected_request", detail=detail).model_dump_json(),
                                        status_code=421, media_type="application/json")
                        await resp(scope, receive, send)
                        return
                    break
        await self.app(scope, receive, send)


# ---- logging at a bounded rate ---------------------------------------------------------


class RateLimitFilter(logging.Filter):
    """Let through ``burst`` records per ``period_s`` (per logger), the first with its
    traceback; count the rest and say how many were dropped on the next record let through."""

    def __init__(self, burst: int = 10, period_s: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.burst = burst
        self.period_s = period_s
        self._clock = clock
        self._lock = threading.Lock()
        self._window: dict[str, tuple[float, int, int]] = {}  # logger -> (start, passed, dropped)

    def filter(self, record: logging.LogRecord) -> bool:
        now = self._clock()
        with self._lock:
            start, passed, dropped = self._window.get(record.name, (now, 0, 0))
            if now - start >= self.period_s:
                start, passed = now, 0
            if passed >= self.burst:
                self._window[record.name] = (start, passed, dropped + 1)
                return False
            self._window[record.name] = (start, passed + 1, 0)
        if passed and record.exc_info:  # one traceback per window is enough
            record.msg = f"{record.msg} ({record.exc_info[1]!r}; traceback omitted)"
            record.exc_info = None
            record.exc_text = None
        if dropped:
            record.msg = f"[{dropped} similar log lines dropped] {record.msg}"
        return True


_LIMITED = ("uvicorn.error", "uvicorn.access", "asyncio", "cockpit.central", "cockpit.central.stream",
            "cockpit.central.guard", "cockpit.central.state")
_installed: RateLimitFilter | None = None


def install_log_limits(burst: int = 10, period_s: float = 60.0) -> RateLimitFilter:
    """Put one :class:`RateLimitFilter` on the server's loggers (idempotent)."""
    global _installed
    if _installed is None:
        _installed = RateLimitFilter(burst, period_s)
        for name in _LIMITED:
            logging.getLogger(name).addFilter(_installed)
    return _installed


def limits_from_env() -> Limits:
    """The limits a worker process reads from its environment (set by ``python -m cockpit.central``)."""
    import os

    d = Limits()
    return Limits(
        max_connections=int(os.environ.get("COCKPIT_CENTRAL_MAX_CONNECTIONS", d.max_connections)),
        header_timeout_s=float(os.environ.get("COCKPIT_CENTRAL_HEADER_TIMEOUT", d.header_timeout_s)),
    )


class EnvGuardedH11Protocol(GuardedH11Protocol):
    """:class:`GuardedH11Protocol` for worker processes, which get their ``http=`` class by
    import string (``cockpit.central.guard:EnvGuardedH11Protocol``): limits from the environment."""

    limits = limits_from_env()
    counter = _Counter()
    _cap = limits.effective_cap()
