"""``python -m cockpit.central``: run the reference central API standalone.

The token is read from the environment variable named by ``--token-env``, never from the
command line (which other users can see in the process list).
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys

import uvicorn

from cockpit.central.guard import GuardedH11Protocol, Limits, install_log_limits, raise_nofile_limit
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
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    p.add_argument("--max-connections", type=int, default=Limits.max_connections, metavar="N",
                   help="open connections at most (clamped below the open-file limit); beyond: 503 + Retry-After "
                        f"(default {Limits.max_connections})")
    p.add_argument("--header-timeout", type=float, default=Limits.header_timeout_s, metavar="S",
                   help=f"seconds a connection has to send a whole request (default {Limits.header_timeout_s:g})")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="without a token, also serve requests whose Host is NAME (repeatable)")
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
    sim = Simulator(args.seed, bench=(12, 8, 6) if args.bench else None)
    app = create_app(sim, token, bind_host=args.host, allowed_hosts=tuple(args.allow_host))
    # open event streams never end by themselves: give them 3 s at Ctrl+C, then cut them
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, timeout_graceful_shutdown=3,
                http=GuardedH11Protocol.configured(limits), timeout_keep_alive=round(limits.idle_timeout_s),
                ws="none", backlog=limits.backlog())
    return 0


if __name__ == "__main__":
    sys.exit(main())
