"""The conformance command against the reference server (no deviation) and against another
platform (tests/variantserver.py: every deviation listed, exit status 1)."""

from __future__ import annotations

import time

from faultserver import FaultServer, free_port
from variantserver import VariantPlatform

from cockpit.api.conformance import check, main
from cockpit.central.runner import EmbeddedServer


def test_the_reference_server_conforms():
    with EmbeddedServer(seed=0) as srv:
        findings = check(srv.url, stream_s=1)
    assert [f.line() for f in findings if f.level != "OK"] == []
    oks = {f.where for f in findings}
    assert {"GET /brains", "GET /series", "GET /stream", "GET /brains/ic/chain"} <= oks
    assert {"GET /districts/{district}", "GET /districts/{district}/clusters/{brain}",
            "GET /brains/{id}/chain/{link}"} <= oks  # the drill-down views


def test_every_deviation_of_another_platform_is_listed(capsys):
    with FaultServer() as fs:
        VariantPlatform(fs, int(time.time() * 1000)).install()
        lines = {f.line() for f in check(fs.base_url, stream_s=0.5)}
        assert main([fs.base_url, "--stream-seconds", "0"]) == 1
    out = capsys.readouterr().out
    assert "deviations that the cockpit rejects" in out
    fails = sorted(x for x in lines if x.startswith("FAIL"))
    assert fails == [
        "FAIL  GET /brains/paper/snapshot panels.districts.columns.0.unit.zh: String should have at least 1 character",
        "FAIL  GET /brains/paper/snapshot panels.mills.rows.1.values.output: "
        "Input should be a valid number, unable to parse string as a number",
        "FAIL  GET /stream event snapshot panels.districts.columns.0.unit.zh: String should have at least 1 character",
        "FAIL  GET /stream event snapshot panels.mills.rows.1.values.output: "
        "Input should be a valid number, unable to parse string as a number",
    ]
    warns = "\n".join(x for x in lines if x.startswith("WARN"))
    assert "vendor, brains[].owner, brains[].metrics[].chart_color" in warns
    assert "no time_zone" in warns and "panels.mills.rows[].values.energy_kwh" in warns
    assert "GET /districts/{district}: /districts/" in warns and "no drill-down here" in warns  # optional


def test_local_time_as_epoch_ms_is_a_deviation():
    with FaultServer() as fs:
        VariantPlatform(fs, int(time.time() * 1000), local_epoch=True, bad_cell=False, bad_panel=False).install()
        fails = [f for f in check(fs.base_url, stream_s=0) if f.level == "FAIL"]
    assert any(f.where == "GET /brains/paper/snapshot ts" and "future" in f.what for f in fails), fails
    assert any(f.where.startswith("GET /series") for f in fails)


def test_an_unreachable_platform_exits_2(capsys):
    assert main([f"http://127.0.0.1:{free_port()}", "--stream-seconds", "0"]) == 2
    assert "cannot check" in capsys.readouterr().err


def test_the_metric_catalog_is_printed(capsys):
    with EmbeddedServer(seed=0) as srv:
        assert main([srv.url, "--catalog"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("time zone: Asia/Shanghai")
    assert "| dyeing | `dyeing.water_per_100m` | 百米取水量 / Fresh water per 100 m | 吨/百米 |" in out
    assert "| dyeing | panel `enterprises` |" in out
