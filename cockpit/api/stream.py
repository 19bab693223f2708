"""Blocking reader of the central API's push stream (``GET /api/v1/stream``, server-sent events).

For a worker thread, never the UI thread::

    stream = EventStream(config, ["dyeing", "wine"], last_event_id=saved_id)
    try:
        for ev in stream.events():          # StreamEvent(id, kind, payload), validated
            handle(ev)
    except StreamUnavailable:               # 404/405/501: no stream on this server
        fall_back_to_polling()
    except ApiError:                        # Unreachable, HttpError, ContractError
        reconnect_later(stream.last_event_id)

    stream.close()                          # from any thread: events() ends within moments

The byte stream is parsed as the WHATWG HTML "server-sent events" section says (LF, CRLF
or CR line ends, ``data:`` lines joined with LF, ``event:``, ``id:``, ``retry:``, comments
and unknown fields ignored, an unterminated event at the end of the stream dropped), and
each event's data is validated against the contract (:mod:`cockpit.api.schema`).
"""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Literal

import requests
from pydantic import BaseModel, ValidationError
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import ReadTimeoutError

from cockpit.api.client import (
    ClientConfig,
    ContractError,
    HttpError,
    Unreachable,
    _describe,
    _error_message,
    _retry_after,
    _summarize,
    scrub,
    validate_base_url,
)
from cockpit.api.schema import (
    API_PREFIX,
    Heartbeat,
    Snapshot,
    StreamAlerts,
    StreamChange,
    StreamDelta,
    StreamPanels,
)
from cockpit.api.tolerant import Problem, read

__all__ = [
    "MAX_EVENT_BYTES",
    "EventKind",
    "EventStream",
    "SseParser",
    "StreamEvent",
    "StreamUnavailable",
]

log = logging.getLogger(__name__)

#: One event (its data, or any single line) larger than this ends the stream.
MAX_EVENT_BYTES = 4 * 1024 * 1024
_READ_SIZE = 64 * 1024
_ERROR_BODY_BYTES = 64 * 1024
_LINE_END = re.compile(rb"\r\n|\r|\n")

EventKind = Literal["snapshot", "delta", "alerts", "panels", "heartbeat", "change"]
Payload = Snapshot | StreamDelta | StreamAlerts | StreamPanels | Heartbeat
_MODELS: dict[str, type[BaseModel]] = {
    "snapshot": Snapshot,
    "delta": StreamDelta,
    "alerts": StreamAlerts,
    "panels": StreamPanels,
    "heartbeat": Heartbeat,
    "change": StreamChange,
}


class StreamUnavailable(HttpError):
    """404, 405 or 501 before the stream started: the server has no push stream (or not
    for these brains; ``str()`` says which). Poll with conditional requests instead."""

    STATUSES = frozenset({404, 405, 501})


@dataclass(frozen=True)
class StreamEvent:
    """One validated event. ``id`` is the stream's last event id when it was dispatched
    (the id to resume after it), None when the server never sent one."""

    id: str | None
    kind: EventKind
    payload: Payload
    # parts of the event that broke the contract and were left out or blanked
    problems: tuple[Problem, ...] = ()


# ---- SSE parsing ---------------------------------------------------------------------


@dataclass(frozen=True)
class RawEvent:
    """A dispatched SSE event before validation."""

    type: str  # "message" when the event had no event: field
    data: str
    last_event_id: str


class EventTooLarge(Exception):
    pass


class SseParser:
    """Incremental WHATWG server-sent-events parser: :meth:`feed` bytes, get events.

    ``last_event_id`` starts at the id given (the one a reconnecting client sent) and
    follows the spec: an ``id:`` field sets it (unless the value contains NUL), every
    dispatched event carries it, an event without ``id:`` keeps the previous one.
    """

    def __init__(self, last_event_id: str = "", max_event_bytes: int = MAX_EVENT_BYTES) -> None:
        self.max_event_bytes = max_event_bytes
        self.last_event_id = last_event_id  # the spec's "last event ID string"
        self.retry_ms: int | None = None
        self._id_buffer = last_event_id
        self._buf = bytearray()
        self._scan = 0  # no line end in _buf before this offset
        self._skip_lf = False  # the previous chunk ended in CR: a leading LF belongs to it
        self._first_line = True
        self._data: list[str] = []
        self._data_size = 0
        self._type = ""
        self._dirty = False  # a field line was seen since the last dispatch

    @property
    def pending(self) -> bool:
        """True when the bytes so far end inside an event (a cut here loses it)."""
        return bool(self._buf) or self._dirty

    def feed(self, chunk: bytes) -> list[RawEvent]:
        if self._skip_lf and chunk:
            self._skip_lf = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
        self._buf += chunk
        out: list[RawEvent] = []
        start = 0
        while m := _LINE_END.search(self._buf, max(start, self._scan)):
            line = bytes(self._buf[start : m.start()])
            if m.group() == b"\r" and m.end() == len(self._buf):
                self._skip_lf = True  # CR at the end of the chunk: an LF may follow in the next
            start = m.end()
            ev = self._line(line)
            if ev is not None:
                out.append(ev)
        del self._buf[:start]
        self._scan = len(self._buf)
        if len(self._buf) + self._data_size > self.max_event_bytes:
            raise EventTooLarge(f"stream event larger than {self.max_event_bytes // 2**20} MB")
        return out

    def _line(self, raw: bytes) -> RawEvent | None:
        line = raw.decode("utf-8", errors="replace")
        if self._first_line:
            self._first_line = False
            line = line.removeprefix("\ufeff")
        if not line:
            return self._dispatch()
        if line[0] == ":":
            return None  # comment
        field, sep, value = line.partition(":")
        if sep and value[:1] == " ":
            value = value[1:]
        self._dirty = True
        if field == "event":
            self._type = value
        elif field == "data":
            self._data.append(value)
            self._data_size += len(raw) + 1
            if self._data_size > self.max_event_bytes:
                raise EventTooLarge(f"stream event larger than {self.max_event_bytes // 2**20} MB")
        elif field == "id":
            if "\0" not in value:
                self._id_buffer = value
        elif field == "retry":
            if value.isascii() and value.isdigit():
                self.retry_ms = int(value)
        return None

    def _dispatch(self) -> RawEvent | None:
        self.last_event_id = self._id_buffer
        data, etype = self._data, self._type
        self._data, self._data_size, self._type, self._dirty = [], 0, "", False
        if not data:
            return None
        return RawEvent(etype or "message", "\n".join(data), self.last_event_id)


# ---- connections that close() can reach ----------------------------------------------


class _TrackingAdapter(HTTPAdapter):
    """An adapter that reports each connection's socket once connected, so that another
    thread can shut it down while this one is blocked reading the head or the body (the
    connection object itself drops its socket when the answer says ``Connection: close``,
    the response keeps reading from it)."""

    def __init__(self, on_connect: Callable[[Any], None]) -> None:
        self._on_connect = on_connect
        super().__init__(max_retries=0)

    def _pool_classes(self) -> dict[str, type[HTTPConnectionPool]]:
        on_connect = self._on_connect

        def tracked(pool_cls: type[HTTPConnectionPool]) -> type[HTTPConnectionPool]:
            base = pool_cls.ConnectionCls

            class Conn(base):  # type: ignore[valid-type,misc]
                def connect(self) -> None:
                    super().connect()
                    on_connect(self.sock)

            return type(f"Tracked{pool_cls.__name__}", (pool_cls,), {"ConnectionCls": Conn})

        return {"http": tracked(HTTPConnectionPool), "https": tracked(HTTPSConnectionPool)}

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pool_classes()

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = self._pool_classes()
        return manager


def _shutdown(sock: socket.socket | None) -> None:
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)  # wakes a recv() blocked in another thread
        except OSError:
            pass


# ---- the stream ----------------------------------------------------------------------


class EventStream:
    """One connection to ``GET /api/v1/stream`` (blocking; iterate on a worker thread).

    ``brains``: the brains to follow (None: every brain). ``last_event_id``: resume after
    this id (sent as ``Last-Event-ID``); the server then sends what was missed instead of
    snapshots, or snapshots when the id is too old. ``heartbeat_timeout_s``: the stream is
    given up as :class:`Unreachable` when no byte arrives for this long (the server sends
    a heartbeat every few seconds), also while waiting for the answer's head.

    :meth:`events` yields :class:`StreamEvent` s and raises the client's exceptions:

    * :class:`Unreachable` — refused, no answer, no byte for ``heartbeat_timeout_s``, or
      the connection cut (mid-event, or mid-chunk);
    * :class:`StreamUnavailable` (an :class:`HttpError`) — 404/405/501: no stream here,
      poll instead; :class:`HttpError` — any other status ≥ 400 before the stream;
    * :class:`ContractError` — a 2xx answer that is not ``text/event-stream``, or one
      event larger than :data:`MAX_EVENT_BYTES` (the connection is closed).

    An event whose data does not validate against the contract (or names a brain that
    was not asked for) is **skipped**: it is logged with the field that is wrong,
    counted in :attr:`rejected`, and the stream goes on. Events of a type this client
    does not know are skipped silently and counted in :attr:`ignored` (forward
    compatible). :meth:`events` returns normally when the server ends the stream at an
    event boundary or when :meth:`close` was called; reconnect with
    :attr:`last_event_id` (and wait :attr:`retry_ms` if the server set it).

    Each instance iterates once. The token is sent as ``Authorization: Bearer`` and
    never logged.
    """

    def __init__(
        self,
        config: ClientConfig,
        brains: list[str] | None = None,
        last_event_id: str | None = None,
        heartbeat_timeout_s: float = 15.0,
        changes: list[str] | None = None,
    ) -> None:
        """``changes``: change topics to receive as ``event: change`` (e.g. ``["alarms"]``)."""
        if not heartbeat_timeout_s > 0:
            raise ValueError(f"heartbeat_timeout_s must be positive, got {heartbeat_timeout_s}")
        self.config = replace(config, base_url=validate_base_url(config.base_url))
        self.brains = list(brains) if brains else None
        self.changes = sorted(set(changes)) if changes else None
        self.heartbeat_timeout_s = heartbeat_timeout_s
        #: the id to resume after (updated as events arrive, rejected ones included)
        self.last_event_id: str | None = last_event_id or None
        #: the reconnection delay the server asked for (``retry:``), in ms
        self.retry_ms: int | None = None
        #: events skipped because they did not fit the contract
        self.rejected = 0
        #: events of unknown types skipped
        self.ignored = 0
        #: called (on the reading thread) with (brain or None, why) for each event rejected whole
        self.on_reject: Callable[[str | None, str], None] | None = None
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._resp: requests.Response | None = None
        self._started = False

    @property
    def url(self) -> str:
        return f"{self.config.base_url}{API_PREFIX}/stream"

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def close(self) -> None:
        """End :meth:`events` promptly; safe from any thread, idempotent."""
        self._closed.set()
        with self._lock:
            socks = list(self._socks)
        for sock in socks:
            _shutdown(sock)

    def __enter__(self) -> EventStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- reading -----------------------------------------------------------------------

    def events(self) -> Iterator[StreamEvent]:
        if self._started:
            raise RuntimeError("EventStream.events() runs once; make a new EventStream to reconnect")
        self._started = True
        session = requests.Session()
        session.mount("http://", _TrackingAdapter(self._connected))
        session.mount("https://", _TrackingAdapter(self._connected))
        try:
            resp = self._open(session)
            if resp is not None:
                yield from self._read(resp)
        finally:
            with self._lock:
                resp, self._resp = self._resp, None
                socks, self._socks = self._socks, []
            for sock in socks:
                _shutdown(sock)  # a half-read stream is not reusable: never back to the pool
            if resp is not None:
                resp.close()
            session.close()

    def _connected(self, sock: socket.socket) -> None:
        with self._lock:
            self._socks.append(sock)
        if self._closed.is_set():
            _shutdown(sock)

    def _open(self, session: requests.Session) -> requests.Response | None:
        cfg = self.config
        headers = {
            "Accept": "text/event-stream",
            "Cache-Control": "no-cache",
            "User-Agent": "industry-brain-cockpit/0.1",
        }
        if cfg.token:
            headers["Authorization"] = f"Bearer {cfg.token}"
        if self.last_event_id:
            headers["Last-Event-ID"] = self.last_event_id
        params = {"brains": ",".join(self.brains)} if self.brains else {}
        if self.changes:
            params["changes"] = ",".join(self.changes)
        if self._closed.is_set():
            return None
        try:
            resp = session.get(
                self.url,
                headers=headers,
                params=params,
                timeout=(cfg.connect_timeout_s, self.heartbeat_timeout_s),
                stream=True,
            )
        except requests.RequestException as exc:
            if self._closed.is_set():
                return None
            raise Unreachable(_describe(exc)) from None
        with self._lock:
            self._resp = resp
        if self._closed.is_set():
            return None
        if resp.status_code >= 400:
            try:
                resp._content = resp.raw.read(_ERROR_BODY_BYTES, decode_content=True)
            except (Urllib3Error, OSError):
                resp._content = b""
            cls = StreamUnavailable if resp.status_code in StreamUnavailable.STATUSES else HttpError
            raise cls(resp.status_code, scrub(_error_message(resp), cfg.token), _retry_after(resp))
        ctype = resp.headers.get("Content-Type", "")
        if resp.status_code != 200 or ctype.split(";")[0].strip().lower() != "text/event-stream":
            raise ContractError(
                f"{self.url}: expected 200 text/event-stream, got {resp.status_code} {ctype or 'no content type'}"
            )
        return resp

    def _read(self, resp: requests.Response) -> Iterator[StreamEvent]:
        parser = SseParser(self.last_event_id or "")
        while True:
            try:
                chunk = resp.raw.read1(_READ_SIZE, decode_content=True)
            except ReadTimeoutError:
                if self._closed.is_set():
                    return
                raise Unreachable(f"stream silent for {self.heartbeat_timeout_s:g} s") from None
            except Exception as exc:  # cut mid-chunk, reset, bad encoding; or our close()
                if self._closed.is_set():
                    return
                if isinstance(exc, Urllib3Error | OSError | requests.RequestException):
                    raise Unreachable("stream cut off") from None
                raise
            if self._closed.is_set():
                return
            if not chunk:
                if parser.pending:
                    raise Unreachable("stream cut off mid-event")
                return  # the server ended the stream between events
            try:
                raws = parser.feed(chunk)
            except EventTooLarge as exc:
                raise ContractError(str(exc)) from None
            finally:
                self.retry_ms = parser.retry_ms if parser.retry_ms is not None else self.retry_ms
            for raw in raws:
                self.last_event_id = raw.last_event_id or None
                ev = self._typed(raw)
                if ev is not None:
                    yield ev
                if self._closed.is_set():
                    return

    def _rejected(self, raw: RawEvent, why: str) -> None:
        """Tell :attr:`on_reject` (brain or None, why): a rejection is shown, not only logged."""
        if self.on_reject is None:
            return
        brain = None
        try:
            data = json.loads(raw.data)
            if isinstance(data, dict) and isinstance(data.get("brain"), str):
                brain = data["brain"][:64]
        except ValueError:
            pass
        self.on_reject(brain, why)

    def _typed(self, raw: RawEvent) -> StreamEvent | None:
        model = _MODELS.get(raw.type)
        if model is None:
            self.ignored += 1
            log.debug("stream: event type %.40r ignored", raw.type)
            return None
        try:
            payload: Any
            payload, problems = read(model, raw.data)  # the smallest wrong part is left out
        except ValidationError as exc:
            self.rejected += 1
            log.warning("stream: %s event %.60s rejected: %s", raw.type, raw.last_event_id, _summarize(exc))
            self._rejected(raw, f"{model.__name__} does not fit the contract: {_summarize(exc)}")
            return None
        except ValueError:
            self.rejected += 1
            log.warning("stream: %s event %.60s rejected: not JSON", raw.type, raw.last_event_id)
            self._rejected(raw, f"{model.__name__} does not fit the contract: (data): not JSON")
            return None
        if problems:
            log.warning("stream: %s event %.60s: parts left out: %s", raw.type, raw.last_event_id,
                        "; ".join(str(p) for p in problems[:5]))
        brain = getattr(payload, "brain", None)
        if self.brains is not None and brain is not None and brain not in self.brains:
            self.rejected += 1
            log.warning("stream: %s event %.60s rejected: brain %r was not asked for", raw.type,
                        raw.last_event_id, brain)
            return None
        kind: EventKind = raw.type  # type: ignore[assignment]
        return StreamEvent(raw.last_event_id or None, kind, payload, tuple(problems))
