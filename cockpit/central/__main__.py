"""``python -m cockpit.central``: run the reference central API standalone.

The token is read from the environment variable named by ``--token-env``, never from the
command line (which other users can see in the process list).
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
import time

import uvicorn

from cockpit.central.server import create_app
from cockpit.central.simulator import Simulator


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
    p.add_argument("--state", metavar="FILE",
                   help="SQLite file keeping the alarms' handling states across restarts (default: in memory)")
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    args = p.parse_args(argv)

    token: str | None = None
    if args.token_env:
        token = os.environ.get(args.token_env, "")
        if not token:
            p.error(f"--token-env: environment variable {args.token_env} is not set or empty")
    elif not _is_loopback(args.host):
        print(f"warning: serving on {args.host} without a token (--token-env)", file=sys.stderr)

    sim = Simulator(args.seed, bench=(12, 8, 6) if args.bench else None)
    from cockpit.central.alarms import AlarmStore, sqlite_engine

    alarms = AlarmStore(sqlite_engine(args.state), lambda: time.time_ns() // 1_000_000) if args.state else None
    app = create_app(sim, token, alarms=alarms)
    # open event streams never end by themselves: give them 3 s at Ctrl+C, then cut them
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, timeout_graceful_shutdown=3)
    return 0


if __name__ == "__main__":
    sys.exit(main())
