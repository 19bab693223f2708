"""The app factory for worker processes: ``uvicorn --factory cockpit.central.factory:app_from_env``.

Several workers (``python -m cockpit.central --workers N --db postgresql+psycopg://…``)
each build their app here from environment variables set by the parent, so the token is
never on a command line. The simulator is deterministic per seed and time, so every worker
serves the same values, ETags and stream event ids; the shared state (displays, …) is in
the database and change events travel by PostgreSQL ``LISTEN/NOTIFY``.

``COCKPIT_CENTRAL_SEED`` (default 0), ``COCKPIT_CENTRAL_BENCH`` ("1": the bench brain),
``COCKPIT_CENTRAL_DB`` (a SQLAlchemy URL; default SQLite in memory),
``COCKPIT_CENTRAL_TOKEN_ENV`` (the name of the variable holding the token),
``COCKPIT_CENTRAL_HOST`` (the bind address, for the Host check),
``COCKPIT_CENTRAL_ALLOW_HOSTS`` (more Host names, comma-separated).
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from cockpit.central.guard import install_log_limits
from cockpit.central.server import create_app
from cockpit.central.simulator import Simulator
from cockpit.central.state import StateStore

__all__ = ["app_from_env"]


def app_from_env() -> FastAPI:
    env = os.environ
    install_log_limits()
    token: str | None = None
    if env.get("COCKPIT_CENTRAL_TOKEN_ENV"):
        token = env.get(env["COCKPIT_CENTRAL_TOKEN_ENV"]) or None
        if token is None:
            raise RuntimeError(f"{env['COCKPIT_CENTRAL_TOKEN_ENV']} is not set or empty")
    sim = Simulator(int(env.get("COCKPIT_CENTRAL_SEED", "0")),
                    bench=(12, 8, 6) if env.get("COCKPIT_CENTRAL_BENCH") == "1" else None)
    store = StateStore(env.get("COCKPIT_CENTRAL_DB") or None)
    allow = tuple(h for h in env.get("COCKPIT_CENTRAL_ALLOW_HOSTS", "").split(",") if h)
    return create_app(sim, token, bind_host=env.get("COCKPIT_CENTRAL_HOST", "127.0.0.1"), allowed_hosts=allow,
                      store=store)
