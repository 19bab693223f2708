"""``python -m cockpit.central``: run the reference central API standalone.

The token is read from the environment variable named by ``--token-env``, never from the
command line (which other users can see in the process list).
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from typing import Any

import uvicorn

from cockpit.central.guard import GuardedH11Protocol, Limits, install_log_limits, raise_nofile_limit
from cockpit.central.server import create_app
from cockpit.central.simulator import Simulator
from cockpit.central.state import StateStore, default_file_url


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m cockpit.central", description="Reference central API (simulated data)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any free port)")
    p.add_argument("--seed", type=int, default=0, help="simulator seed (default 0)")
    p.add_argument("--token-env", metavar="VAR", help="require a bearer token, read from environment variable VAR")
    p.add_argument("--bench", action="store_true", help="add the 'bench' brain (12 gauges, 8 lines, 6 KPIs)")
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    p.add_argument("--max-connections", type=int, default=Limits.max_connections, metavar="N",
                   help="open connections at most (clamped below the open-file limit); beyond: 503 + Retry-After "
                        f"(default {Limits.max_connections})")
    p.add_argument("--header-timeout", type=float, default=Limits.header_timeout_s, metavar="S",
                   help=f"seconds a connection has to send a whole request (default {Limits.header_timeout_s:g})")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="without a token, also serve requests whose Host is NAME (repeatable)")
    p.add_argument("--db", metavar="URL",
                   help="shared state database (SQLAlchemy URL): postgresql+psycopg://user@host/db for several "
                        "workers or hosts; default a SQLite file in the user data folder ('sqlite://': in memory)")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="worker processes (default 1; more need a PostgreSQL --db)")
    args = p.parse_args(argv)

    token: str | None = None
    if args.token_env:
        token = os.environ.get(args.token_env, "")
        if not token:
            p.error(f"--token-env: environment variable {args.token_env} is not set or empty")
    elif not _is_loopback(args.host):
        print(f"warning: serving on {args.host} without a token (--token-env)", file=sys.stderr)

    install_log_limits()
    raise_nofile_limit()
    limits = Limits(max_connections=args.max_connections, header_timeout_s=args.header_timeout)
    db = args.db or default_file_url()
    common: dict[str, Any] = {
        "host": args.host, "port": args.port, "log_level": args.log_level,
        # open event streams never end by themselves: give them 3 s at Ctrl+C, then cut them
        "timeout_graceful_shutdown": 3, "timeout_keep_alive": round(limits.idle_timeout_s), "ws": "none",
        "backlog": limits.backlog(),
    }
    if args.workers > 1:
        if not db.startswith("postgresql"):
            p.error("--workers: several workers share their state and change events through PostgreSQL; "
                    "give --db postgresql+psycopg://user@host/dbname")
        os.environ.update({
            "COCKPIT_CENTRAL_SEED": str(args.seed), "COCKPIT_CENTRAL_BENCH": "1" if args.bench else "0",
            "COCKPIT_CENTRAL_DB": db, "COCKPIT_CENTRAL_TOKEN_ENV": args.token_env or "",
            "COCKPIT_CENTRAL_HOST": args.host, "COCKPIT_CENTRAL_ALLOW_HOSTS": ",".join(args.allow_host),
            "COCKPIT_CENTRAL_MAX_CONNECTIONS": str(limits.max_connections),
            "COCKPIT_CENTRAL_HEADER_TIMEOUT": str(limits.header_timeout_s),
        })
        uvicorn.run("cockpit.central.factory:app_from_env", factory=True, workers=args.workers,
                    http="cockpit.central.guard:EnvGuardedH11Protocol", **common)
        return 0
    try:
        store = StateStore(db)
    except Exception as exc:  # noqa: BLE001 - a wrong URL, a database that is down: say so
        p.error(f"--db {db!r}: {exc}")
    sim = Simulator(args.seed, bench=(12, 8, 6) if args.bench else None)
    app = create_app(sim, token, bind_host=args.host, allowed_hosts=tuple(args.allow_host), store=store)
    print(f"state: {store.describe()}", file=sys.stderr)
    uvicorn.run(app, http=GuardedH11Protocol.configured(limits), **common)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
