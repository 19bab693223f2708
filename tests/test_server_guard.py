"""The reference server under hostile load (#9 §3): slow clients beyond the file-handle
limit, the connection cap, request deadlines, Host, content type, strict heartbeats,
bounded logging and an offline /docs page. Every test talks to a real server on loopback."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from cockpit.central import guard
from cockpit.central.guard import ACCEPT_BATCHES_IN_FLIGHT, FD_RESERVE, Limits, RateLimitFilter
from cockpit.central.runner import EmbeddedServer
from cockpit.central.simulator import Simulator

ROOT = Path(__file__).resolve().parents[1]
SIM = Simulator(31)
HB = {
    "display_id": "wall-1", "version": "1.0", "ts": 1_765_000_000_000, "uptime_s": 10,
    "link": "live", "data_age_s": {"city": 1.0},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _slow(port: int) -> socket.socket:
    """A client that sends part of its request headers and then nothing."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    return s


def _wait_listening(port: int, proc: subprocess.Popen[bytes], limit_s: float = 30.0) -> None:
    for _ in range(int(limit_s * 10)):
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("server did not start")


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_NOFILE is POSIX")
def test_more_slow_clients_than_file_handles_leave_healthz_answering(tmp_path: Path) -> None:
    """A server limited to 160 file handles (soft and hard, so it cannot raise them) and 600
    clients sending their headers slowly: /healthz still answers every time, accept() never
    runs out of file handles, the log stays short."""
    import resource

    port = _free_port()

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (160, 160))

    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cockpit.central", "--port", str(port), "--log-level", "warning", "--db", "sqlite://"],
            cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT, preexec_fn=limit,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        slow: list[socket.socket] = []
        try:
            _wait_listening(port, proc)

            def flood() -> None:
                for _ in range(75):
                    try:
                        slow.append(_slow(port))
                    except OSError:
                        pass  # the server closed a slow one meanwhile: fine

            # from 8 threads, so the listen queue stays full and every accept pass takes a whole
            # backlog (asyncio's accept pipeline at its deepest, see Limits.effective_cap)
            threads = [threading.Thread(target=flood) for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            answers = []
            for _ in range(8):
                r = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
                answers.append(r.status_code)
            assert answers == [200] * 8
            # the slow clients that were let go got closed (EOF or a 408), not left hanging
            closed = 0
            for s in slow[:50]:
                s.settimeout(0.05)
                try:
                    closed += s.recv(1024) in (b"",) or True
                except (TimeoutError, OSError):
                    pass
            assert closed > 0
        finally:
            for s in slow:
                s.close()
            proc.terminate()
            proc.wait(15)
    lines = log_path.read_text(errors="replace").splitlines()
    assert len(lines) < 60, "\n".join(lines[:80])
    assert not any("Too many open files" in ln for ln in lines)


@pytest.mark.parametrize("fds", [160, 256, 1024, 4096, 65536])
def test_cap_leaves_room_for_the_accept_pipeline(monkeypatch: pytest.MonkeyPatch, fds: int) -> None:
    """The connections the cap allows, the sockets asyncio has accepted but not yet handed to a
    protocol (two backlogs), the evicted ones not yet closed (a third) and the reserve fit in the
    open-file limit (with 160 handles the old budget, one backlog of 40, allowed 56 + 3 x 40 + 64)."""
    monkeypatch.setattr(guard, "nofile_limit", lambda: fds)
    lim = Limits(max_connections=10**6)
    assert lim.effective_cap() + ACCEPT_BATCHES_IN_FLIGHT * lim.backlog() + FD_RESERVE <= fds
    assert ACCEPT_BATCHES_IN_FLIGHT >= 3
    assert lim.effective_cap() >= fds // 4  # and the cap still leaves a good share to clients


def test_busy_cap_answers_503_with_retry_after() -> None:
    """Every connection streaming and the cap reached: a newcomer gets 503, Retry-After and an
    ErrorBody; once the streams end the server answers again."""
    with EmbeddedServer(SIM, limits=Limits(max_connections=8)) as srv:
        streams = []
        try:
            for _ in range(8):
                r = requests.get(srv.url + "/api/v1/stream?brains=city", stream=True, timeout=10)
                assert r.status_code == 200
                assert r.raw.read(5) == b"retry"  # (a dropped iter_content generator would close it)
                streams.append(r)
            r = requests.get(srv.url + "/healthz", timeout=10)
            assert r.status_code == 503
            assert r.headers["Retry-After"] == "5"
            assert r.json()["error"] == "unavailable"
        finally:
            for s in streams:
                s.close()
        for _ in range(100):
            try:
                if requests.get(srv.url + "/healthz", timeout=10).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
        else:
            raise AssertionError("server did not answer after the streams ended")


def test_slow_headers_get_408_and_are_closed() -> None:
    with EmbeddedServer(SIM, limits=Limits(header_timeout_s=0.3)) as srv:
        s = _slow(srv.port or 0)
        try:
            got = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                got += chunk
        finally:
            s.close()
        assert got.startswith(b"HTTP/1.1 408 ")
        assert b'"error":"request_timeout"' in got


def test_idle_connection_with_no_request_is_closed() -> None:
    with EmbeddedServer(SIM, limits=Limits(header_timeout_s=0.3)) as srv:
        s = socket.create_connection(("127.0.0.1", srv.port or 0), timeout=10)
        try:
            assert s.recv(4096) == b""  # closed without a word: nothing was asked
        finally:
            s.close()


def test_at_the_cap_a_slow_client_yields_to_a_real_request() -> None:
    with EmbeddedServer(SIM, limits=Limits(max_connections=8)) as srv:
        slow = [_slow(srv.port or 0) for _ in range(8)]
        try:
            assert requests.get(srv.url + "/healthz", timeout=10).status_code == 200
        finally:
            for s in slow:
                s.close()


def test_heartbeat_wants_json_content_type() -> None:
    with EmbeddedServer(SIM) as srv:
        url = srv.url + "/api/v1/displays/wall-1/heartbeat"
        r = requests.post(url, data=json.dumps(HB), headers={"Content-Type": "text/plain"}, timeout=10)
        assert r.status_code == 415
        assert r.json()["error"] == "unsupported_media_type"
        r = requests.post(url, data=json.dumps(HB), timeout=10)  # no content type at all
        assert r.status_code == 415
        assert requests.get(srv.url + "/api/v1/displays", timeout=10).json()["displays"] == []
        r = requests.post(url, data=json.dumps(HB), headers={"Content-Type": "application/json; charset=utf-8"},
                          timeout=10)
        assert r.status_code == 200


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"uptime_s": "10"}, "uptime_s"),
        ({"data_age_s": {"city\n": 1.0}}, "city"),
        ({"ts": "1765000000000"}, "ts"),
        ({"rss_mb": "12.5"}, "rss_mb"),
    ],
)
def test_heartbeat_fields_are_strict(change: dict[str, object], where: str) -> None:
    with EmbeddedServer(SIM) as srv:
        r = requests.post(srv.url + "/api/v1/displays/wall-1/heartbeat", json={**HB, **change}, timeout=10)
        assert r.status_code == 400, r.text
        assert where in r.json()["detail"]
        assert requests.get(srv.url + "/api/v1/displays", timeout=10).json()["displays"] == []


def test_host_must_name_this_server_without_a_token() -> None:
    with EmbeddedServer(SIM) as srv:
        url = srv.url + "/api/v1/brains"
        r = requests.get(url, headers={"Host": "evil.example"}, timeout=10)
        assert r.status_code == 421
        assert r.json()["error"] == "misdirected_request"
        r = requests.post(srv.url + "/api/v1/displays/wall-1/heartbeat", json=HB,
                          headers={"Host": "evil.example:80"}, timeout=10)
        assert r.status_code == 421
        for host in (f"127.0.0.1:{srv.port}", f"localhost:{srv.port}", "127.0.0.1"):
            assert requests.get(url, headers={"Host": host}, timeout=10).status_code == 200
    with EmbeddedServer(SIM, token="s3cret-token") as srv:  # a token guards it: any Host
        r = requests.get(srv.url + "/api/v1/brains", timeout=10,
                         headers={"Host": "cockpit.example", "Authorization": "Bearer s3cret-token"})
        assert r.status_code == 200


def test_docs_page_needs_nothing_from_outside() -> None:
    with EmbeddedServer(SIM) as srv:
        r = requests.get(srv.url + "/docs", timeout=10)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "<script" not in page.lower()
    assert "http://" not in page and "https://" not in page  # no CDN, no external anything
    for path in ("/api/v1/brains/{brain_id}/snapshot", "/api/v1/stream", "/api/v1/displays/{display_id}/heartbeat"):
        assert path in page
    assert "DisplayHeartbeat" in page


def test_log_lines_are_rate_limited() -> None:
    now = [0.0]
    f = RateLimitFilter(burst=5, period_s=60, clock=lambda: now[0])
    rec = [logging.LogRecord("uvicorn.error", logging.ERROR, "x", 1, "accept failed", (), None) for _ in range(1000)]
    passed = [r for r in rec if f.filter(r)]
    assert len(passed) == 5
    now[0] = 61.0
    later = logging.LogRecord("uvicorn.error", logging.ERROR, "x", 1, "accept failed", (), None)
    assert f.filter(later)
    assert "995 similar log lines dropped" in later.getMessage()
