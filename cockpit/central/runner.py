"""Run the reference server in-process: uvicorn on a loopback port in a daemon thread.

The desktop app starts one when no API address is configured; tests start one per
module. ``port=0`` binds a free port, read back from the listening socket.
"""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import Any

import uvicorn

from cockpit.central.guard import GuardedH11Protocol, Limits, install_log_limits
from cockpit.central.server import create_app
from cockpit.central.simulator import Simulator

__all__ = ["EmbeddedServer"]


class EmbeddedServer:
    """uvicorn serving :func:`create_app` on ``host:port`` in a daemon thread.

    ``target`` is a :class:`Simulator` (served by ``create_app(target, token, bench=bench)``),
    an ASGI app already made by :func:`create_app`, or None (a simulator with ``seed``).
    ``limits``: the connection cap and request deadlines (:class:`~cockpit.central.guard.Limits`).
    ``with EmbeddedServer(seed=1) as srv: requests.get(srv.url + "/healthz")``
    """

    def __init__(
        self,
        target: Simulator | Any | None = None,
        *,
        token: str | None = None,
        seed: int = 0,
        bench: tuple[int, int, int] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        start_timeout: float = 10.0,
        limits: Limits | None = None,
    ) -> None:
        self.sim: Simulator | None
        if target is None or isinstance(target, Simulator):
            self.sim = target if target is not None else Simulator(seed, bench=bench)
            self.app: Any = create_app(self.sim, token, bench=bench, bind_host=host)
        else:
            if token is not None or bench is not None:
                raise ValueError("token and bench apply when EmbeddedServer makes the app; pass them to create_app")
            self.sim = None
            self.app = target
        self._host = host
        self.limits = limits or Limits()
        self._port = port
        self._timeout = start_timeout
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self.port: int | None = None

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:41234`` (only after :meth:`start`)."""
        if self.port is None:
            raise RuntimeError("EmbeddedServer is not started")
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self.port}"

    def start(self) -> EmbeddedServer:
        """Start serving; return once the socket accepts connections (or raise)."""
        if self._thread is not None:
            raise RuntimeError("EmbeddedServer already started")
        config = uvicorn.Config(
            self.app,
            host=self._host,
            port=self._port,
            log_level="warning",
            access_log=False,
            log_config=None,  # leave the host application's logging alone
            lifespan="off",
            loop="asyncio",
            http=GuardedH11Protocol.configured(self.limits),
            ws="none",
            timeout_keep_alive=max(1, round(self.limits.idle_timeout_s)),
            backlog=self.limits.backlog(),
            timeout_graceful_shutdown=2,
        )
        install_log_limits()
        server = uvicorn.Server(config)
        self._server = server

        def run() -> None:
            try:
                server.run()
            except BaseException as exc:  # noqa: BLE001 - uvicorn raises SystemExit on bind errors
                self._error = exc

        self._thread = threading.Thread(target=run, name="cockpit-central", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + self._timeout
        while not server.started:
            if not self._thread.is_alive():
                self._thread = None
                raise RuntimeError(
                    f"reference API server failed to start on {self._host}:{self._port}: "
                    f"{self._error!r} (port in use or address not available?)"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    f"reference API server did not start accepting on {self._host}:{self._port} "
                    f"within {self._timeout:.0f} s"
                )
            time.sleep(0.01)
        self.port = int(server.servers[0].sockets[0].getsockname()[1])
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Ask uvicorn to exit and join its thread (idempotent).

        Open event streams are ended first: uvicorn's graceful shutdown would otherwise
        wait for them until ``timeout_graceful_shutdown``.
        """
        if self._server is not None:
            self._server.should_exit = True
        hub = getattr(getattr(self.app, "state", None), "stream_hub", None)
        if hub is not None:
            hub.close()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive() and self._server is not None:
                self._server.force_exit = True
                self._thread.join(timeout)
        self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
