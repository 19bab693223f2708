"""Past one server process (#14): the reference server as several workers sharing a real
PostgreSQL. A display registered through worker A is listed by worker B, and the change
event of that registration (PostgreSQL NOTIFY) reaches a stream on worker B.

The PostgreSQL is a real server started here from the system's binaries (Debian's
``postgresql-15``; ``.ci/run`` installs it), on a loopback port and a throw-away folder, as
the unprivileged ``postgres`` user when the tests run as root (PostgreSQL refuses root).
"""

from __future__ import annotations

import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
psycopg = pytest.importorskip("psycopg", reason="the PostgreSQL driver (pip install '.[test]') is not installed")

HB = {"version": "1.0", "ts": 1_765_000_000_000, "uptime_s": 10, "link": "live", "data_age_s": {"wine": 1.0}}


def _pg_bin(name: str) -> str | None:
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.access(os.path.join(d, name), os.X_OK):
            return os.path.join(d, name)
    return shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_user() -> tuple[Callable[[], None] | None, int | None, int | None]:
    """Run PostgreSQL as ``postgres`` when we are root (it refuses to run as root)."""
    if os.geteuid() != 0:
        return None, None, None
    try:
        pw = pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no 'postgres' user to run PostgreSQL as")
    uid, gid = pw.pw_uid, pw.pw_gid

    def drop() -> None:
        os.setgid(gid)
        os.setgroups([])
        os.setuid(uid)

    return drop, uid, gid


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    initdb, postgres = _pg_bin("initdb"), _pg_bin("postgres")
    if not initdb or not postgres:
        pytest.skip("no PostgreSQL server binaries (Debian: apt-get install postgresql-15; .ci/run does)")
    drop, uid, gid = _as_user()
    folder = tempfile.mkdtemp(prefix="cockpit-pg-")
    data = os.path.join(folder, "data")
    if uid is not None and gid is not None:
        os.chown(folder, uid, gid)
    port = _free_port()
    proc: subprocess.Popen[bytes] | None = None
    try:
        subprocess.run([initdb, "-D", data, "-U", "cockpit", "-A", "trust", "-E", "UTF8", "--no-sync"],
                       check=True, capture_output=True, preexec_fn=drop, cwd=folder, timeout=120)
        proc = subprocess.Popen(
            [postgres, "-D", data, "-h", "127.0.0.1", "-p", str(port), "-k", folder,
             "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(folder, "log"), "wb"),  # noqa: SIM115
            preexec_fn=drop, cwd=folder,
        )
        dsn = f"postgresql://cockpit@127.0.0.1:{port}/postgres"
        for _ in range(300):
            try:
                psycopg.connect(dsn, connect_timeout=2).close()
                break
            except psycopg.OperationalError:
                if proc.poll() is not None:
                    raise AssertionError(Path(folder, "log").read_text(errors="replace")) from None
                time.sleep(0.1)
        else:
            raise AssertionError("PostgreSQL did not start")
        yield f"postgresql+psycopg://cockpit@127.0.0.1:{port}/postgres"
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGINT)  # fast shutdown
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        shutil.rmtree(folder, ignore_errors=True)


class Worker:
    def __init__(self, *args: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "cockpit.central", "--port", str(self.port), "--log-level", "warning", *args],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        for _ in range(600):
            if self.proc.poll() is not None:
                out = self.proc.stdout.read().decode(errors="replace") if self.proc.stdout else ""
                raise AssertionError(f"worker exited: {out}")
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise AssertionError("worker did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


@pytest.fixture(scope="module")
def workers(pg_url: str) -> Iterator[tuple[Worker, Worker]]:
    a = Worker("--db", pg_url)
    try:
        b = Worker("--db", pg_url)
    except BaseException:
        a.stop()
        raise
    try:
        yield a, b
    finally:
        a.stop()
        b.stop()


def _post(w: Worker, display_id: str) -> None:
    r = requests.post(f"{w.url}/api/v1/displays/{display_id}/heartbeat", json={**HB, "display_id": display_id},
                      timeout=10)
    assert r.status_code == 200, r.text


def test_display_registered_on_a_is_listed_by_b(workers: tuple[Worker, Worker]) -> None:
    a, b = workers
    _post(a, "hall-east-1")
    listed = requests.get(f"{b.url}/api/v1/displays", timeout=10).json()["displays"]
    assert [d["heartbeat"]["display_id"] for d in listed if d["heartbeat"]["display_id"] == "hall-east-1"] \
        == ["hall-east-1"]
    assert next(d for d in listed if d["heartbeat"]["display_id"] == "hall-east-1")["state"] == "ok"


def test_change_published_on_a_reaches_a_stream_on_b(workers: tuple[Worker, Worker]) -> None:
    a, b = workers
    s = socket.create_connection(("127.0.0.1", b.port), timeout=10)
    buf = b""
    try:
        s.sendall(b"GET /api/v1/stream?brains=wine&changes=displays HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        while b"event: snapshot" not in buf:
            chunk = s.recv(65536)
            assert chunk, "stream ended"
            buf += chunk
        _post(a, "hall-west-2")
        for _ in range(1000):
            if b"hall-west-2" in buf and buf.split(b"hall-west-2", 1)[-1].count(b"\n\n"):
                break
            chunk = s.recv(65536)
            assert chunk, "stream ended"
            buf += chunk
    finally:
        s.close()
    # the first change event says the stream carries the topic; then the heartbeat's
    blocks = [blk.split(b"\n\n", 1)[0] for blk in buf.split(b"event: change\n")[1:]]
    assert b'"subscribed":true' in blocks[0]
    block = next(blk for blk in blocks if b"hall-west-2" in blk)
    assert not block.startswith(b"id:")  # change events carry no id: the replayable ids stay the same everywhere
    msg = json.loads(block.split(b"data: ", 1)[1].split(b"\r\n")[0])
    assert msg["topic"] == "displays" and msg["data"]["display_id"] == "hall-west-2"


def test_several_workers_on_one_port(pg_url: str) -> None:
    w = Worker("--db", pg_url, "--workers", "2")
    try:
        ids = [f"multi-{i}" for i in range(6)]
        for i in ids:  # new connections: the kernel spreads them over the workers
            _post(w, i)
        listed = {d["heartbeat"]["display_id"] for d in requests.get(f"{w.url}/api/v1/displays", timeout=10)
                  .json()["displays"]}
        assert set(ids) <= listed
    finally:
        w.stop()


def test_several_workers_want_postgresql() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "cockpit.central", "--workers", "2", "--db", "sqlite://"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 2 and "PostgreSQL" in out.stderr
