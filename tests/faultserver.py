"""A misbehaving HTTP/1.1 server on loopback, for fault-injection tests.

Stdlib only and raw sockets, so it can misbehave below HTTP as well as above it: hang after
reading a request, trickle bytes, close mid-body, lie in Content-Length, send garbage or a
huge body (streamed, never held in memory). Each path gets a :class:`Behaviour` that a
test switches at runtime; every other path gets the "good" behaviour, a small valid API
built from the wire-contract models (two brains, ETag / 304 on snapshots)::

    with FaultServer() as server:
        client = ApiClient(ClientConfig(server.base_url))
        server.set("/api/v1/brains", Behaviour.status(503, retry_after=2))
        server.set("/api/v1/brains/*/snapshot", Behaviour.hang())   # fnmatch pattern
        server.set("*", Behaviour.close_immediately())               # every path
        server.set("/api/v1/stream", Behaviour.stream([b"data: 1\n\n"], then="cut"))  # SSE bytes
        server.refuse(); server.resume()     # stop / start listening on the same port
        server.good.bump("dyeing")           # the good API publishes a new snapshot
        server.count("/api/v1/brains")       # requests seen on a path
        server.requests("/api/v1/brains")[-1].headers["authorization"]

Every wait in here is bounded or ends when the server stops; :meth:`FaultServer.stop`
closes every connection, joins every thread and raises if one is left running or if a
handler crashed.
"""

from __future__ import annotations

import fnmatch
import http
import json
import re
import select
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from cockpit.api.schema import (
    Alert,
    Brain,
    Catalog,
    ErrorBody,
    Metric,
    Names,
    Reading,
    Snapshot,
    Thresholds,
)

HOST = "127.0.0.1"
CATALOG_PATH = "/api/v1/brains"
_SNAPSHOT_RE = re.compile(r"^/api/v1/brains/([^/]+)/snapshot$")
BASE_TS_MS = 1_764_000_000_000  # 2025-11-24, well inside the contract's 2000..2200 bounds
_POLL_S = 0.05  # how often blocked loops look at the stop flag
_MAX_HEAD = 64 * 1024
_LENGTH = "x-faultserver-content-length"  # a Content-Length other than the body's (304)


def free_port() -> int:
    """A loopback port that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# ---- the good API ---------------------------------------------------------------------


def _metric(mid: str, zh: str, en: str, unit_zh: str, unit_en: str, **kw: Any) -> Metric:
    return Metric(id=mid, name=Names(zh=zh, en=en), unit=Names(zh=unit_zh, en=unit_en), **kw)


CATALOG = Catalog(
    ts=BASE_TS_MS,
    brains=[
        Brain(
            id="dyeing",
            name=Names(zh="印染大脑", en="Printing & dyeing brain"),
            metrics=[
                _metric(
                    "dyeing.run_rate", "开机率", "Run rate", "%", "%",
                    range=(0.0, 100.0), thresholds=Thresholds(warn_low=60.0, alarm_low=40.0),
                    headline=True,
                ),
                _metric(
                    "dyeing.water_per_unit", "单位水耗", "Water per unit", "吨/百米", "t/100 m",
                    thresholds=Thresholds(warn_high=2.0), precision=2,
                ),
            ],
        ),
        Brain(
            id="wine",
            name=Names(zh="黄酒大脑", en="Rice wine brain"),
            metrics=[
                _metric("wine.output", "产量", "Output", "吨", "t", precision=0, headline=True),
                _metric("wine.vintage_stock", "陈酿库存", "Vintage stock", "千坛", "k jars"),
            ],
        ),
    ],
)


def make_snapshot(brain_id: str, version: int) -> Snapshot:
    """A valid snapshot of ``brain_id``; every version has different values and ts."""
    brain = CATALOG.brain(brain_id)
    assert brain is not None, brain_id
    ts = BASE_TS_MS + version * 1000
    values = {m.id: Reading(value=50.0 + 10 * i + version * 0.5, ts=ts) for i, m in enumerate(brain.metrics)}
    alerts = []
    if brain_id == "dyeing":
        alerts.append(
            Alert(
                id=f"dyeing-water-{version}", brain="dyeing", metric="dyeing.water_per_unit",
                level="warn", message=Names(zh="单位水耗偏高", en="Water per unit high"),
                value=2.3, ts=ts,
            )
        )
    return Snapshot(brain=brain_id, ts=ts, values=values, alerts=alerts)


class GoodApi:
    """The well-behaved API: :data:`CATALOG` and one stable snapshot per brain.

    A brain's snapshot (and its ETag) changes only when a test calls :meth:`bump`.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version = {b.id: 1 for b in CATALOG.brains}

    @staticmethod
    def catalog() -> Catalog:
        return CATALOG

    def current(self, brain_id: str) -> tuple[Snapshot, str]:
        with self._lock:
            v = self._version[brain_id]
        return make_snapshot(brain_id, v), f'"{brain_id}-v{v}"'

    def snapshot(self, brain_id: str) -> Snapshot:
        return self.current(brain_id)[0]

    def etag(self, brain_id: str) -> str:
        return self.current(brain_id)[1]

    def bump(self, brain_id: str) -> Snapshot:
        with self._lock:
            self._version[brain_id] += 1
        return self.snapshot(brain_id)


# ---- behaviours -----------------------------------------------------------------------


def encode(body: Any) -> bytes:
    """bytes as they are, str as UTF-8, a model as its JSON, anything else through json
    (``allow_nan``: float('nan') becomes the raw ``NaN`` token that strict JSON forbids)."""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    if isinstance(body, BaseModel):
        return body.model_dump_json().encode()
    return json.dumps(body, ensure_ascii=False, allow_nan=True).encode()


class Behaviour:
    """What the server does with a request to one path. Build one with the class methods."""

    def __init__(self, kind: str, **params: Any) -> None:
        self.kind = kind
        self.params = params

    def __repr__(self) -> str:
        shown = {k: (v if not isinstance(v, bytes | str) or len(v) < 40 else f"<{len(v)} bytes>")
                 for k, v in self.params.items()}
        return f"Behaviour.{self.kind}({shown})"

    @classmethod
    def good(cls) -> Behaviour:
        """The valid API (catalog, snapshots with ETag / 304, 404 for anything else)."""
        return cls("good")

    @classmethod
    def json(
        cls, body: Any, status: int = 200, etag: str | None = None,
        content_type: str = "application/json", headers: dict[str, str] | None = None,
        full_length_304: bool = False,
    ) -> Behaviour:
        """Answer ``body`` (see :func:`encode`) with a correct Content-Length; 304 when
        ``etag`` is given and the request's If-None-Match equals it (with no body; its
        Content-Length the full body's when ``full_length_304``, as RFC 9110 allows)."""
        return cls("json", body=encode(body), status=status, etag=etag,
                   content_type=content_type, headers=dict(headers or {}), full_length_304=full_length_304)

    @classmethod
    def status(
        cls, code: int, detail: str = "", retry_after: float | str | None = None,
        body: Any = None, content_type: str = "application/json",
    ) -> Behaviour:
        """An error status; the body is the contract's ErrorBody unless ``body`` is given."""
        if body is None:
            body = ErrorBody(error=http.HTTPStatus(code).phrase.lower().replace(" ", "_"), detail=detail)
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        return cls("json", body=encode(body), status=code, etag=None,
                   content_type=content_type, headers=headers)

    @classmethod
    def hang(cls) -> Behaviour:
        """Read the request, then never answer (until the client gives up or the server stops)."""
        return cls("hang")

    @classmethod
    def slow(cls, bytes_per_s: float, body: Any = None, headers_too: bool = True) -> Behaviour:
        """Send the answer (``body`` as JSON, or the good answer) ``bytes_per_s`` bytes a
        second; with ``headers_too=False`` the head goes at once and only the body trickles."""
        return cls("slow", bytes_per_s=float(bytes_per_s),
                   body=None if body is None else encode(body), headers_too=headers_too)

    @classmethod
    def truncate(cls, n_bytes: int, body: Any = None, in_headers: bool = False) -> Behaviour:
        """Announce the full Content-Length, send only ``n_bytes`` of the body, close.
        ``in_headers=True``: send only the first ``n_bytes`` of the whole answer, head included."""
        return cls("truncate", n_bytes=n_bytes, body=None if body is None else encode(body),
                   in_headers=in_headers)

    @classmethod
    def garbage(cls, data: bytes) -> Behaviour:
        """Send ``data`` as the whole answer (not necessarily HTTP), then close."""
        return cls("garbage", data=bytes(data))

    @classmethod
    def huge(cls, mb: int, content_type: str = "application/json") -> Behaviour:
        """A ``mb`` MiB JSON-ish body with an honest Content-Length, streamed in 64 KiB blocks."""
        return cls("huge", mb=mb, content_type=content_type)

    @classmethod
    def stream(
        cls, parts: list[bytes], pause_s: float = 0.0, then: str = "end", chunked: bool = True,
        content_type: str = "text/event-stream", status: int = 200,
    ) -> Behaviour:
        """A streamed answer with no Content-Length: ``parts`` sent as they are (each its
        own chunk when ``chunked``), ``pause_s`` apart; ``then`` "end" (the final chunk,
        or a clean close when not chunked), "cut" (close without the final chunk) or
        "hang" (send nothing more until the client goes away or the server stops)."""
        if then not in ("end", "cut", "hang"):
            raise ValueError(f"then must be end, cut or hang, got {then!r}")
        return cls("stream", parts=[bytes(p) for p in parts], pause_s=float(pause_s), then=then,
                   chunked=chunked, content_type=content_type, status=status)

    @classmethod
    def close_immediately(cls) -> Behaviour:
        """Read the request, then close the connection without a byte of answer."""
        return cls("close")


@dataclass
class Request:
    """One request as the server saw it."""

    method: str
    path: str
    query: str
    headers: dict[str, str]  # names in lower case
    t: float  # time.monotonic() when the head was read
    response_status: int | None = None  # set once a status line was sent
    body_bytes_sent: int = 0


# ---- the server -----------------------------------------------------------------------


class FaultServer:
    """A scriptable misbehaving HTTP/1.1 server on 127.0.0.1 (see the module docstring)."""

    def __init__(self) -> None:
        self.good = GoodApi()
        self.port = 0
        self._lock = threading.Lock()
        self._behaviours: dict[str, Behaviour] = {}
        self._requests: list[Request] = []
        self._conns: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._errors: list[str] = []
        self._stop = threading.Event()
        self._accept_thread: threading.Thread | None = None
        self._listener: socket.socket | None = None
        self._listen_wanted = True
        self._listen_cond = threading.Condition()
        self._listening = False
        self._bind_error: OSError | None = None
        self._stopped = False

    # ---- lifecycle --------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> FaultServer:
        self._listener = self._bind(0)
        self.port = self._listener.getsockname()[1]
        self._listening = True
        self._accept_thread = threading.Thread(target=self._accept_loop, name=f"fault-accept-{self.port}", daemon=True)
        self._accept_thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Close the listener and every connection, join every thread (bounded)."""
        if self._stopped:
            return
        self._stopped = True
        self._stop.set()
        with self._listen_cond:
            self._listen_cond.notify_all()
        self._drop_connections()
        deadline = time.monotonic() + timeout
        threads = [self._accept_thread] if self._accept_thread else []
        with self._lock:
            threads += self._threads
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))
        alive = [t.name for t in threads if t.is_alive()]
        if alive:
            raise RuntimeError(f"fault server threads still running after {timeout} s: {alive}")
        if self._errors:
            raise RuntimeError("fault server handler crashed:\n" + "\n".join(self._errors))

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def refuse(self, timeout: float = 2.0) -> None:
        """Stop listening (new connections are refused) and cut every open connection,
        as if the server process had been killed."""
        self._set_listening(False, timeout)
        self._drop_connections()

    def resume(self, timeout: float = 2.0) -> None:
        """Listen again on the same port."""
        self._set_listening(True, timeout)

    # ---- scripting --------------------------------------------------------------------

    def set(self, path: str, behaviour: Behaviour) -> None:
        """Behaviour for ``path``: an exact path (no query), an fnmatch pattern, or "*".
        An exact path wins over patterns; among patterns the latest set wins."""
        with self._lock:
            self._behaviours.pop(path, None)
            self._behaviours[path] = behaviour

    def reset(self, path: str | None = None) -> None:
        """Back to the good behaviour, for one path (as given to :meth:`set`) or all."""
        with self._lock:
            if path is None:
                self._behaviours.clear()
            else:
                self._behaviours.pop(path, None)

    def behaviour_for(self, path: str) -> Behaviour:
        with self._lock:
            if path in self._behaviours:
                return self._behaviours[path]
            for pattern in reversed(list(self._behaviours)):
                if fnmatch.fnmatchcase(path, pattern):
                    return self._behaviours[pattern]
        return Behaviour.good()

    # ---- what the server saw ----------------------------------------------------------

    def requests(self, path: str | None = None, since: float | None = None) -> list[Request]:
        """Requests seen (optionally on one exact path, at or after monotonic ``since``)."""
        with self._lock:
            reqs = list(self._requests)
        return [
            r for r in reqs
            if (path is None or r.path == path or fnmatch.fnmatchcase(r.path, path))
            and (since is None or r.t >= since)
        ]

    def count(self, path: str | None = None, since: float | None = None) -> int:
        return len(self.requests(path, since))

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    # ---- internals: listening ---------------------------------------------------------

    @staticmethod
    def _bind(port: int) -> socket.socket:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((HOST, port))
            s.listen(64)
        except OSError:
            s.close()
            raise
        return s

    def _set_listening(self, wanted: bool, timeout: float) -> None:
        with self._listen_cond:
            self._listen_wanted = wanted
            self._bind_error = None
            self._listen_cond.notify_all()
            ok = self._listen_cond.wait_for(
                lambda: self._listening == wanted or self._bind_error is not None or self._stop.is_set(),
                timeout,
            )
            if self._bind_error is not None:
                raise self._bind_error
            if not ok:
                raise TimeoutError(f"fault server did not {'resume' if wanted else 'stop'} listening in {timeout} s")

    def _accept_loop(self) -> None:
        # This thread owns the listening socket: refuse()/resume() only ask it to change.
        try:
            while not self._stop.is_set():
                with self._listen_cond:
                    wanted = self._listen_wanted
                    if not wanted and self._listener is not None:
                        self._listener.close()
                        self._listener = None
                        self._listening = False
                        self._listen_cond.notify_all()
                    elif wanted and self._listener is None:
                        try:
                            self._listener = self._bind(self.port)
                            self._listening = True
                        except OSError as exc:
                            self._bind_error = exc
                            self._listen_wanted = False
                        self._listen_cond.notify_all()
                    listener = self._listener
                if listener is None:
                    with self._listen_cond:
                        self._listen_cond.wait(_POLL_S)
                    continue
                ready, _, _ = select.select([listener], [], [], _POLL_S)
                if not ready:
                    continue
                try:
                    conn, _addr = listener.accept()
                except OSError:
                    continue
                self._spawn(conn)
        finally:
            with self._listen_cond:
                if self._listener is not None:
                    self._listener.close()
                    self._listener = None
                self._listening = False
                self._listen_cond.notify_all()

    def _spawn(self, conn: socket.socket) -> None:
        with self._lock:
            if self._stop.is_set():
                conn.close()
                return
            self._conns.add(conn)
            self._threads = [t for t in self._threads if t.is_alive()]
            t = threading.Thread(target=self._serve_conn, args=(conn,), name=f"fault-conn-{self.port}", daemon=True)
            self._threads.append(t)
        t.start()

    def _drop_connections(self) -> None:
        with self._lock:
            conns = list(self._conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    # ---- internals: one connection ----------------------------------------------------

    def _serve_conn(self, conn: socket.socket) -> None:
        buf = bytearray()
        try:
            while not self._stop.is_set():
                req = self._read_request(conn, buf)
                if req is None:
                    return
                with self._lock:
                    self._requests.append(req)
                keep_alive = self._handle(conn, req, self.behaviour_for(req.path))
                if not keep_alive:
                    return
        except OSError:
            pass  # the peer went away or the server cut the connection: that is the point
        except Exception as exc:  # a bug in this test server: make stop() fail loudly
            import traceback

            self._errors.append("".join(traceback.format_exception(exc)))
        finally:
            with self._lock:
                self._conns.discard(conn)
            conn.close()

    def _wait_readable(self, conn: socket.socket) -> bool:
        """Wait until ``conn`` has data (or EOF); False when the server stops."""
        while not self._stop.is_set():
            ready, _, _ = select.select([conn], [], [], _POLL_S)
            if ready:
                return True
        return False

    def _read_request(self, conn: socket.socket, buf: bytearray) -> Request | None:
        while b"\r\n\r\n" not in buf:
            if len(buf) > _MAX_HEAD or not self._wait_readable(conn):
                return None
            chunk = conn.recv(65536)
            if not chunk:
                return None
            buf += chunk
        head, _, rest = bytes(buf).partition(b"\r\n\r\n")
        buf[:] = rest  # GETs have no body
        lines = head.decode("latin-1").split("\r\n")
        try:
            method, target, _version = lines[0].split(" ", 2)
        except ValueError:
            return None
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        parts = urlsplit(target)
        return Request(method, parts.path, parts.query, headers, time.monotonic())

    def _wait_peer_close(self, conn: socket.socket) -> None:
        while self._wait_readable(conn):
            if not conn.recv(65536):
                return

    def _pace(self, seconds: float) -> bool:
        """Sleep, unless the server stops first (then False)."""
        return not self._stop.wait(seconds)

    # ---- internals: answers -----------------------------------------------------------

    def _good_answer(self, req: Request) -> tuple[int, dict[str, str], bytes]:
        if req.path == CATALOG_PATH:
            return 200, {"Content-Type": "application/json"}, encode(self.good.catalog())
        m = _SNAPSHOT_RE.match(req.path)
        if m and CATALOG.brain(m.group(1)) is not None:
            snap, etag = self.good.current(m.group(1))
            if req.headers.get("if-none-match") == etag:
                return 304, {"ETag": etag}, b""
            return 200, {"Content-Type": "application/json", "ETag": etag}, encode(snap)
        body = ErrorBody(error="not_found", detail=f"no such resource: {req.path}")
        return 404, {"Content-Type": "application/json"}, encode(body)

    def _answer(self, beh: Behaviour, req: Request) -> tuple[int, dict[str, str], bytes]:
        p = beh.params
        if beh.kind == "json" or p.get("body") is not None:
            status = p.get("status", 200)
            headers = {"Content-Type": p.get("content_type", "application/json"), **p.get("headers", {})}
            etag = p.get("etag")
            if etag:
                headers["ETag"] = etag
                if req.headers.get("if-none-match") == etag:
                    if p.get("full_length_304"):
                        return 304, {"ETag": etag, _LENGTH: str(len(p["body"]))}, b""
                    return 304, {"ETag": etag}, b""
            return status, headers, p["body"]
        return self._good_answer(req)

    @staticmethod
    def _head(status: int, headers: dict[str, str], content_length: int | None, keep_alive: bool) -> bytes:
        try:
            reason = http.HTTPStatus(status).phrase
        except ValueError:
            reason = "Whatever"
        lines = [f"HTTP/1.1 {status} {reason}", "Server: faultserver"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if content_length is not None:
            lines.append(f"Content-Length: {content_length}")
        lines.append(f"Connection: {'keep-alive' if keep_alive else 'close'}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _handle(self, conn: socket.socket, req: Request, beh: Behaviour) -> bool:
        """Answer one request; True to keep the connection for the next one."""
        kind, p = beh.kind, beh.params
        if kind in ("good", "json"):
            status, headers, body = self._answer(beh, req)
            keep = req.headers.get("connection", "").lower() != "close"
            # recorded before sending: the client may look at the record the moment it has the answer
            req.response_status = status
            req.body_bytes_sent = len(body)
            length = int(headers.pop(_LENGTH, len(body)))
            conn.sendall(self._head(status, headers, length, keep) + body)
            return keep
        if kind == "hang":
            self._wait_peer_close(conn)
            return False
        if kind == "close":
            return False
        if kind == "garbage":
            conn.sendall(p["data"])
            return False
        if kind == "slow":
            status, headers, body = self._answer(beh, req)
            head = self._head(status, headers, len(body), False)
            step = 1.0 / p["bytes_per_s"]
            if not p["headers_too"]:
                conn.sendall(head)
                req.response_status = status
                head = b""
            data = head + body
            for i in range(len(data)):
                conn.sendall(data[i : i + 1])
                if i >= len(head):
                    req.body_bytes_sent += 1
                if i == len(head) - 1:
                    req.response_status = status
                if i < len(data) - 1 and not self._pace(step):
                    return False
            return False
        if kind == "truncate":
            status, headers, body = self._answer(beh, req)
            head = self._head(status, headers, len(body), False)
            n = p["n_bytes"]
            if p["in_headers"]:
                conn.sendall((head + body)[:n])
            else:
                conn.sendall(head + body[:n])
                req.response_status = status
                req.body_bytes_sent = min(n, len(body))
            conn.shutdown(socket.SHUT_WR)
            return False
        if kind == "huge":
            total = p["mb"] * 2**20
            prefix, suffix = b'{"pad":"', b'"}'
            conn.sendall(self._head(200, {"Content-Type": p["content_type"]}, total, False) + prefix)
            req.response_status = 200
            req.body_bytes_sent = len(prefix)
            block = b"x" * 65536
            remaining = total - len(prefix) - len(suffix)
            while remaining > 0 and not self._stop.is_set():
                chunk = block if remaining >= len(block) else block[:remaining]
                conn.sendall(chunk)
                req.body_bytes_sent += len(chunk)
                remaining -= len(chunk)
            conn.sendall(suffix)
            req.body_bytes_sent += len(suffix)
            return False
        if kind == "stream":
            headers = {"Content-Type": p["content_type"], "Cache-Control": "no-cache"}
            if p["chunked"]:
                headers["Transfer-Encoding"] = "chunked"
            conn.sendall(self._head(p["status"], headers, None, False))
            req.response_status = p["status"]
            for i, part in enumerate(p["parts"]):
                if i and p["pause_s"] and not self._pace(p["pause_s"]):
                    return False
                if part:  # an empty chunk would end a chunked body
                    conn.sendall(b"%x\r\n%s\r\n" % (len(part), part) if p["chunked"] else part)
                    req.body_bytes_sent += len(part)
            if p["then"] == "hang":
                self._wait_peer_close(conn)
            elif p["then"] == "end" and p["chunked"]:
                conn.sendall(b"0\r\n\r\n")
            return False
        raise ValueError(f"unknown behaviour {beh!r}")
