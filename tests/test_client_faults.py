"""Fault injection: the real ApiClient against a misbehaving server on loopback.

Every fault must come out as one of the three exception types with a message a person can
act on, and never as a value: no partial model, no silent wrong number.
"""

from __future__ import annotations

import copy
import gc
import json
import logging
import os
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

import pytest
from faultserver import CATALOG_PATH, Behaviour, free_port

from cockpit.api.client import MAX_BODY_BYTES, ApiClient, ClientConfig, ContractError, HttpError, Unreachable

SNAPSHOT_PATH = "/api/v1/brains/dyeing/snapshot"
TOKEN = "tok-3f9a-SECRET-c0ffee"

FAST = {
    "connect_timeout_s": 0.5,
    "read_timeout_s": 1.0,
    "retries": 1,
    "backoff_s": 0.01,
    "max_backoff_s": 0.05,
}


@pytest.fixture
def make_client(server):
    clients: list[ApiClient] = []

    def make(**overrides) -> ApiClient:
        c = ApiClient(ClientConfig(**{"base_url": server.base_url, **FAST, **overrides}))
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.close()


@pytest.fixture
def client(make_client) -> ApiClient:
    return make_client()


def good_snapshot_json(server, brain="dyeing") -> dict:
    return server.good.snapshot(brain).model_dump(mode="json")


def good_catalog_json(server) -> dict:
    return server.good.catalog().model_dump(mode="json")


# ---- baseline: the good server is read correctly ------------------------------------


def test_good_server_is_read_exactly(server, client):
    assert client.catalog() == server.good.catalog()
    snap, etag = client.snapshot("wine")
    assert snap == server.good.snapshot("wine")
    assert etag == server.good.etag("wine")


# ---- no answer ------------------------------------------------------------------------


def test_server_down_is_unreachable_connection_refused():
    client = ApiClient(ClientConfig(f"http://127.0.0.1:{free_port()}", **FAST))
    try:
        with pytest.raises(Unreachable, match="connection refused"):
            client.catalog()
    finally:
        client.close()


def test_server_killed_then_back(server, client):
    assert client.catalog() == server.good.catalog()  # a pooled keep-alive connection now exists
    server.refuse()
    with pytest.raises(Unreachable, match="connection refused"):
        client.snapshot("dyeing")
    server.resume()
    snap, _ = client.snapshot("dyeing")  # the dead pooled connection must not poison the next call
    assert snap == server.good.snapshot("dyeing")


def test_accepts_and_never_answers_is_unreachable_within_read_timeout(server, make_client):
    client = make_client(retries=0)
    server.set("*", Behaviour.hang())
    with pytest.raises(Unreachable, match="did not answer in time"):  # the read timeout, not stuck
        client.catalog()
    assert server.count(CATALOG_PATH) == 1


def test_one_byte_per_second_is_unreachable_read_timeout(server, make_client):
    # 1 byte/s with a read timeout below the 1 s gap between bytes
    client = make_client(read_timeout_s=0.4)
    server.set(SNAPSHOT_PATH, Behaviour.slow(1))
    with pytest.raises(Unreachable, match="did not answer in time"):
        client.snapshot("dyeing")
    assert server.count(SNAPSHOT_PATH) == 2  # retried once


def test_body_stalls_is_reported_as_timeout(server, make_client):
    client = make_client(read_timeout_s=0.4)
    server.set(SNAPSHOT_PATH, Behaviour.slow(1, headers_too=False))  # head at once, body 1 B/s
    with pytest.raises(Unreachable) as info:
        client.snapshot("dyeing")
    assert "did not answer in time" in str(info.value)


def test_trickle_faster_than_read_timeout_still_has_a_deadline(server, make_client):
    client = make_client()  # read timeout 1 s, retries 1
    server.set(SNAPSHOT_PATH, Behaviour.slow(20, headers_too=False))  # a byte every 50 ms
    pool = ThreadPoolExecutor(1)
    try:
        fut = pool.submit(client.snapshot, "dyeing")
        try:
            exc = fut.exception(timeout=4.0)
        except FutureTimeout:
            pytest.fail("client still reading a trickling answer after 4 s (read timeout 1 s, 1 retry)")
        assert isinstance(exc, Unreachable), exc
    finally:
        server.stop()  # cut the trickle so the worker thread ends now
        pool.shutdown(wait=True)


def test_close_ends_a_request_in_flight_without_its_retry(server, make_client):
    """Quitting against a server that trickles its answer: the request ends at its next read
    after close(), and is not tried again (the app's shutdown waited out every deadline)."""
    client = make_client(read_timeout_s=5.0, total_timeout_s=60.0, retries=3)
    server.set(SNAPSHOT_PATH, Behaviour.slow(5, headers_too=False))  # a byte every 200 ms, for minutes
    pool = ThreadPoolExecutor(1)
    try:
        fut = pool.submit(client.snapshot, "dyeing")
        deadline = time.monotonic() + 10
        while server.count(SNAPSHOT_PATH) < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        client.close()
        try:
            exc = fut.exception(timeout=10.0)  # a bound against a hang, not a timing assertion
        except FutureTimeout:
            pytest.fail("the request was still reading 10 s after close() (its deadline is 60 s, 3 retries)")
        assert isinstance(exc, Unreachable), exc
        assert server.count(SNAPSHOT_PATH) == 1  # not retried
    finally:
        server.stop()
        pool.shutdown(wait=True)


# ---- HTTP errors ----------------------------------------------------------------------


def test_500_is_http_error_with_detail_and_not_retried(server, client):
    server.set(CATALOG_PATH, Behaviour.status(500, detail="upstream database unavailable"))
    with pytest.raises(HttpError) as info:
        client.catalog()
    assert info.value.status == 500
    assert "500" in str(info.value)
    assert "upstream database unavailable" in str(info.value)
    assert server.count(CATALOG_PATH) == 1


@pytest.mark.parametrize("code", [502, 503, 504])
@pytest.mark.parametrize("retries", [1, 2])
def test_gateway_errors_are_retried_then_http_error(server, make_client, code, retries):
    client = make_client(retries=retries)
    server.set(SNAPSHOT_PATH, Behaviour.status(code, detail="try later"))
    with pytest.raises(HttpError) as info:
        client.snapshot("dyeing")
    assert info.value.status == code
    assert "try later" in str(info.value)
    assert server.count(SNAPSHOT_PATH) == retries + 1


def test_gateway_error_then_good_answer_succeeds(server, client):
    server.set(SNAPSHOT_PATH, Behaviour.status(503))
    pool = ThreadPoolExecutor(1)
    try:
        # the first attempt gets 503; switch to good before the (short) retry backoff ends
        fut = pool.submit(client.snapshot, "dyeing")
        deadline = time.monotonic() + 2
        while server.count(SNAPSHOT_PATH) < 1 and time.monotonic() < deadline:
            time.sleep(0.001)
        server.reset()
        snap, _ = fut.result(timeout=3)
    finally:
        pool.shutdown(wait=True)
    assert snap == server.good.snapshot("dyeing")


def test_503_retry_after_is_parsed_and_capped_by_max_backoff(server, client):
    server.set(SNAPSHOT_PATH, Behaviour.status(503, retry_after=2))
    waits: list[float] = []
    client.sleep = waits.append
    with pytest.raises(HttpError) as info:
        client.snapshot("dyeing")
    assert info.value.status == 503
    assert info.value.retry_after == 2.0
    assert server.count(SNAPSHOT_PATH) == 2
    assert waits == [client.config.max_backoff_s]  # the retry waited max_backoff_s, not the 2 s asked


def test_429_is_not_retried_and_carries_retry_after(server, client):
    server.set(CATALOG_PATH, Behaviour.status(429, detail="rate limited", retry_after=2))
    with pytest.raises(HttpError) as info:
        client.catalog()
    assert info.value.status == 429
    assert info.value.retry_after == 2.0
    assert "rate limited" in str(info.value)
    assert server.count(CATALOG_PATH) == 1


def test_error_status_with_html_body_still_says_the_status(server, client):
    server.set(CATALOG_PATH, Behaviour.status(500, body="<html><h1>Oops</h1></html>", content_type="text/html"))
    with pytest.raises(HttpError) as info:
        client.catalog()
    assert info.value.status == 500
    assert "<html>" not in str(info.value)


def test_404_for_unknown_brain_is_http_error(server, client):
    with pytest.raises(HttpError) as info:
        client.snapshot("nosuchbrain")
    assert info.value.status == 404
    assert "nosuchbrain" in str(info.value)


# ---- the answer is not the contract ---------------------------------------------------


def test_html_body_is_contract_error(server, client):
    server.set(CATALOG_PATH, Behaviour.json("<html><body>Login</body></html>", content_type="text/html"))
    with pytest.raises(ContractError, match="expected JSON, got text/html"):
        client.catalog()


def test_invalid_json_with_json_content_type_is_contract_error(server, client):
    server.set(CATALOG_PATH, Behaviour.json('{"api_version": "v1", "ts": 17640'))
    with pytest.raises(ContractError, match="Invalid JSON"):
        client.catalog()


def _mut(doc: dict, fn) -> dict:
    doc = copy.deepcopy(doc)
    fn(doc)
    return doc


def _catalog_cases():
    def missing_ts(d):
        del d["ts"]

    def precision_text(d):
        d["brains"][0]["metrics"][0]["precision"] = "two"

    def foreign_metric(d):
        d["brains"][0]["metrics"][0]["id"] = "wine.run_rate"

    def range_backwards(d):
        d["brains"][0]["metrics"][0]["range"] = [100, 0]

    def duplicate_brain(d):
        d["brains"][1] = copy.deepcopy(d["brains"][0])

    def brains_not_list(d):
        d["brains"] = {"dyeing": {}}

    return [
        pytest.param(missing_ts, ["ts", "Field required"], id="catalog-missing-ts"),
        pytest.param(precision_text, ["brains.0.metrics.0.precision"], id="catalog-precision-text"),
        pytest.param(foreign_metric, ["wine.run_rate", "does not belong to brain"], id="catalog-foreign-metric"),
        pytest.param(range_backwards, ["brains.0.metrics.0.range", "increasing"], id="catalog-range-backwards"),
        pytest.param(duplicate_brain, ["unique"], id="catalog-duplicate-brain"),
        pytest.param(brains_not_list, ["brains"], id="catalog-brains-not-list"),
    ]


@pytest.mark.parametrize(("mutate", "expected"), _catalog_cases())
def test_catalog_breaking_contract_is_contract_error_naming_field(server, client, mutate, expected):
    server.set(CATALOG_PATH, Behaviour.json(_mut(good_catalog_json(server), mutate)))
    with pytest.raises(ContractError) as info:
        client.catalog()
    msg = str(info.value)
    assert "Catalog" in msg
    for part in expected:
        assert part in msg, msg


def _snapshot_cases():
    def missing_values(d):
        del d["values"]

    def value_text(d):
        d["values"]["dyeing.run_rate"]["value"] = "high"

    def reading_missing_ts(d):
        del d["values"]["dyeing.run_rate"]["ts"]

    def other_brains_metric(d):
        d["values"]["wine.output"] = {"value": 310.0, "ts": d["ts"]}

    def bad_alert_level(d):
        d["alerts"][0]["level"] = "critical"

    def values_is_list(d):
        d["values"] = [1, 2, 3]

    return [  # (mutation, the part left out, its kind, the field inside the part)
        pytest.param(missing_values, ("values", "missing", ""), id="snapshot-missing-values"),
        pytest.param(value_text, ("metric:dyeing.run_rate", "number", "value"), id="snapshot-value-text"),
        pytest.param(reading_missing_ts, ("metric:dyeing.run_rate", "missing", "ts"), id="snapshot-reading-no-ts"),
        pytest.param(other_brains_metric, None, id="snapshot-other-brains-metric"),  # an unknown key: ignored
        pytest.param(bad_alert_level, ("alert:0", "value", "level"), id="snapshot-alert-level"),
        pytest.param(values_is_list, ("values", "type", ""), id="snapshot-values-list"),
    ]


@pytest.mark.parametrize(("mutate", "expected"), _snapshot_cases())
def test_snapshot_breaking_contract_loses_only_the_wrong_part(server, client, mutate, expected):
    """The tolerant reader: the part that is wrong is left out and named, the rest is read."""
    good = client.snapshot("dyeing")[0]
    server.set(SNAPSHOT_PATH, Behaviour.json(_mut(good_snapshot_json(server), mutate), etag='"x"'))
    snap, _, problems = client.snapshot_parts("dyeing")
    assert snap is not None and snap.brain == "dyeing" and snap.ts == good.ts
    if expected is None:
        assert problems == [] and snap == good
        return
    assert [(p.part, p.kind, p.field) for p in problems] == [expected]
    part = expected[0]
    if part.startswith("metric:"):
        mid = part.split(":", 1)[1]
        assert mid not in snap.values
        assert {k: v for k, v in good.values.items() if k != mid} == snap.values
    if part.startswith("alert:"):
        assert len(snap.alerts) == len(good.alerts) - 1
        assert snap.values == good.values


def test_snapshot_with_a_bad_head_is_contract_error(server, client):
    body = good_snapshot_json(server)
    del body["brain"]
    server.set(SNAPSHOT_PATH, Behaviour.json(body))
    with pytest.raises(ContractError, match="Snapshot does not fit the contract: brain: Field required"):
        client.snapshot("dyeing")


def test_snapshot_of_another_brain_is_contract_error(server, client):
    # a well-formed snapshot, but of a brain that was not asked for (and is not in the catalog)
    body = good_snapshot_json(server)
    body["brain"] = "ghost"
    body["values"] = {"ghost.level": {"value": 1.0, "ts": body["ts"]}}
    body["alerts"] = []
    server.set(SNAPSHOT_PATH, Behaviour.json(body))
    with pytest.raises(ContractError) as info:
        client.snapshot("dyeing")
    assert "'ghost'" in str(info.value) and "'dyeing'" in str(info.value)


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_value_leaves_that_reading_out(server, client, token):
    body = json.dumps(good_snapshot_json(server))
    needle = '"dyeing.run_rate": {"value": '
    start = body.index(needle) + len(needle)
    end = body.index(",", start)
    raw = body[:start] + token + body[end:]  # the raw token in the JSON text
    assert token in raw
    server.set(SNAPSHOT_PATH, Behaviour.json(raw))
    snap, _, problems = client.snapshot_parts("dyeing")
    assert [(p.part, p.kind, p.field) for p in problems] == [("metric:dyeing.run_rate", "number", "value")]
    assert "dyeing.run_rate" not in snap.values and snap.values


def test_non_finite_threshold_in_catalog_is_contract_error(server, client):
    body = good_catalog_json(server)
    body["brains"][0]["metrics"][0]["thresholds"]["warn_low"] = float("nan")  # encoded as raw NaN
    server.set(CATALOG_PATH, Behaviour.json(body))
    with pytest.raises(ContractError, match="thresholds.warn_low"):
        client.catalog()


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("ts", 1_764_000_000),  # seconds
        ("reading", 1_764_000_000),  # seconds
        ("ts", 1_764_000_000_000_000),  # microseconds
    ],
    ids=["snapshot-ts-seconds", "reading-ts-seconds", "snapshot-ts-microseconds"],
)
def test_timestamp_not_in_milliseconds_is_contract_error(server, client, where, value):
    body = good_snapshot_json(server)
    if where == "ts":
        body["ts"] = value
        field = "ts"
    else:
        body["values"]["dyeing.run_rate"]["ts"] = value
        field = "values.dyeing.run_rate.ts"
    server.set(SNAPSHOT_PATH, Behaviour.json(body))
    if where == "reading":  # one reading: left out and named, the snapshot read
        snap, _, problems = client.snapshot_parts("dyeing")
        assert [(p.part, p.kind, p.field) for p in problems] == [("metric:dyeing.run_rate", "range", "ts")]
        return
    with pytest.raises(ContractError) as info:
        client.snapshot("dyeing")
    assert f"{field}:" in str(info.value)


def test_catalog_ts_in_seconds_is_contract_error(server, client):
    body = good_catalog_json(server)
    body["ts"] = 1_764_000_000
    server.set(CATALOG_PATH, Behaviour.json(body))
    with pytest.raises(ContractError, match=r"\bts:"):
        client.catalog()


# ---- cut off, garbage, huge -----------------------------------------------------------


@pytest.mark.parametrize(
    "behaviour",
    [
        Behaviour.truncate(0),
        Behaviour.truncate(10),
        Behaviour.truncate(200),
        Behaviour.truncate(30, in_headers=True),
    ],
    ids=["body-0", "body-10", "body-200", "mid-headers"],
)
def test_truncated_answer_is_unreachable_or_contract_error(server, client, behaviour):
    good_len = len(server.good.snapshot("dyeing").model_dump_json())
    assert behaviour.params["n_bytes"] < good_len  # really cut
    server.set(SNAPSHOT_PATH, behaviour)
    with pytest.raises((Unreachable, ContractError)) as info:
        client.snapshot("dyeing")
    msg = str(info.value)
    if isinstance(info.value, Unreachable):
        assert msg in ("answer cut off", "connection failed"), msg
    else:  # cut inside the head: http.client takes EOF as the end of the headers
        assert "expected JSON" in msg or "does not fit the contract" in msg, msg
    assert server.count(SNAPSHOT_PATH) >= 1


def test_garbage_below_http_is_unreachable(server, client):
    server.set(CATALOG_PATH, Behaviour.garbage(b"\x00\xff\xfe SSH-2.0-OpenSSH_9.6\r\n\r\n"))
    with pytest.raises(Unreachable, match="connection failed"):
        client.catalog()


def test_garbage_body_without_length_is_contract_error(server, client):
    server.set(
        CATALOG_PATH,
        Behaviour.garbage(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n\x00\xffnot json"),
    )
    with pytest.raises(ContractError, match="Invalid JSON"):
        client.catalog()


def test_connection_closed_without_answer_is_unreachable_and_retried(server, client):
    server.set(SNAPSHOT_PATH, Behaviour.close_immediately())
    with pytest.raises(Unreachable, match="connection failed"):
        client.snapshot("dyeing")
    assert server.count(SNAPSHOT_PATH) == 2


def _rss_bytes() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _reset_peak_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs Linux /proc")
def test_50_mb_answer_is_refused_without_holding_it(server, client):
    assert client.catalog() == server.good.catalog()  # session, pool and imports warmed up
    server.set(SNAPSHOT_PATH, Behaviour.huge(50))
    gc.collect()
    before = _rss_bytes()
    peak_known = _reset_peak_rss()
    with pytest.raises(ContractError, match="larger than"):
        client.snapshot("dyeing")
    gc.collect()
    after = _rss_bytes()
    mb = 2**20
    assert after - before < 40 * mb, f"RSS grew by {(after - before) / mb:.1f} MB"
    if peak_known:
        assert _peak_rss_bytes() - before < 40 * mb, f"peak RSS {(_peak_rss_bytes() - before) / mb:.1f} MB above start"
    # the client hung up early instead of downloading everything
    (req,) = server.requests(SNAPSHOT_PATH)
    assert req.body_bytes_sent < 50 * mb
    assert req.body_bytes_sent > MAX_BODY_BYTES  # it did read up to the limit, no early guess


# ---- ETag ------------------------------------------------------------------------------


def test_etag_round_trip_304_returns_none_and_server_saw_if_none_match(server, client):
    snap, etag = client.snapshot("dyeing")
    assert snap == server.good.snapshot("dyeing")
    assert etag == server.good.etag("dyeing")
    assert "if-none-match" not in server.requests(SNAPSHOT_PATH)[-1].headers

    assert client.snapshot("dyeing", etag) == (None, etag)
    last = server.requests(SNAPSHOT_PATH)[-1]
    assert last.headers.get("if-none-match") == etag
    assert last.response_status == 304

    new = server.good.bump("dyeing")
    snap2, etag2 = client.snapshot("dyeing", etag)
    assert snap2 == new and snap2 != snap
    assert etag2 == server.good.etag("dyeing") != etag
    assert server.requests(SNAPSHOT_PATH)[-1].response_status == 200


# ---- the token -------------------------------------------------------------------------


def _all_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)) + repr(exc) + str(exc)


def test_bearer_token_is_sent_and_never_shown(server, make_client, caplog):
    caplog.set_level(logging.DEBUG)
    client = make_client(token=TOKEN)
    assert client.catalog() == server.good.catalog()
    assert server.requests(CATALOG_PATH)[-1].headers.get("authorization") == f"Bearer {TOKEN}"

    faults = [
        (Behaviour.status(401, detail="bad credentials"), HttpError),
        (Behaviour.status(503), HttpError),
        (Behaviour.json({"brains": "no"}), ContractError),
        (Behaviour.json("<html/>", content_type="text/html"), ContractError),
        (Behaviour.close_immediately(), Unreachable),
        (Behaviour.truncate(5), Unreachable),
    ]
    for behaviour, exc_type in faults:
        server.set(CATALOG_PATH, behaviour)
        with pytest.raises(exc_type) as info:
            client.catalog()
        assert TOKEN not in _all_text(info.value), behaviour
        assert server.requests(CATALOG_PATH)[-1].headers.get("authorization") == f"Bearer {TOKEN}"
    server.refuse()
    with pytest.raises(Unreachable) as info:
        client.catalog()
    assert TOKEN not in _all_text(info.value)

    assert caplog.records, "expected some DEBUG logging from the HTTP stack"
    for rec in caplog.records:
        text = rec.getMessage() + (
            "".join(traceback.format_exception(*rec.exc_info)) if rec.exc_info else ""
        )
        assert TOKEN not in text, f"token in log record from {rec.name}: {text[:200]}"
    assert TOKEN not in caplog.text
