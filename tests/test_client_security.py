"""The client's security: a platform's text is plain text on every surface, the token never
leaves in a server text (whatever its length), the cache and log files are private."""

from __future__ import annotations

import logging
import os
import stat

import pytest
from faultserver import Behaviour, FaultServer
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from variantserver import MARKUP, VariantPlatform

from cockpit import logs
from cockpit.api.client import ApiClient, ClientConfig, HttpError
from cockpit.api.schema import EnterpriseList, EnterpriseProfile
from cockpit.api.stream import EventStream
from cockpit.cache import CacheStore
from cockpit.ui.enterprise_tab import EnterpriseTab
from cockpit.ui.main_window import MainWindow
from cockpit.ui.text import plain_tip

NOW = 1_796_000_000_000


def _labels_plain(widget) -> list[str]:
    """Labels that would render markup: every label showing a '<' must be plain text."""
    return [lab.text()[:60] for lab in widget.findChildren(QLabel)
            if "<" in lab.text() and lab.textFormat() != Qt.TextFormat.PlainText]


def test_markup_in_enterprise_names_is_shown_as_text_in_list_tooltips_and_labels(qapp):
    v = VariantPlatform.__new__(VariantPlatform)
    v.now_ms, v.iso, v.local_epoch = NOW, False, False
    tab = EnterpriseTab("zh", None, None)
    try:
        tab._show_results(EnterpriseList.model_validate(v.enterprises()), "")
        item = tab.list.item(0)
        assert item.text().startswith(MARKUP)  # a list item's text is plain by nature
        tip = item.toolTip()
        assert "<img" not in tip and "&lt;img src=&quot;file:///etc/hostname&quot;&gt;" in tip
        tab.show_profile(EnterpriseProfile.model_validate(v.profile()), "")
        shown = [lab.text() for lab in tab.findChildren(QLabel)]
        assert any(MARKUP in t for t in shown)  # the name is there, as the characters it is
        assert _labels_plain(tab) == []
    finally:
        tab.deleteLater()


def test_plain_tip_escapes_and_keeps_lines():
    assert plain_tip("a<b>\nc&d") == "<p style='white-space:pre-wrap'>a&lt;b&gt;\nc&amp;d</p>"
    assert plain_tip("") == ""


def test_status_bar_texts_and_tooltips_are_plain(qapp):
    win = MainWindow("zh", "http://127.0.0.1:1")
    try:
        win.show_cache_notice(MARKUP)
        assert "<img" not in win.cache_label.toolTip()
        assert win.cache_label.textFormat() == Qt.TextFormat.PlainText
        assert _labels_plain(win) == []
    finally:
        win.close()
        win.deleteLater()


@pytest.mark.parametrize("token", ["k", "ab", "s3cr3t-T0KEN-value"])
def test_a_server_echoing_the_token_never_gets_it_shown(token, caplog):
    with FaultServer() as fs:
        echo = f"invalid credentials: Authorization: Bearer {token} (token {token} unknown)"
        fs.set("/api/v1/brains", Behaviour.status(401, echo))
        fs.set("/api/v1/stream", Behaviour.status(403, f"forbidden for {token}"))
        client = ApiClient(ClientConfig(fs.base_url, token=token, retries=0))
        try:
            with pytest.raises(HttpError) as info:
                client.catalog()
        finally:
            client.close()
        assert info.value.status == 401 and str(info.value) == "HTTP 401: ****"
        stream = EventStream(ClientConfig(fs.base_url, token=token), ["paper"], heartbeat_timeout_s=2)
        with pytest.raises(HttpError) as info2:
            list(stream.events())
        assert str(info2.value) == "HTTP 403: ****"
        # the token was sent (so the echo was real)
        assert fs.requests("/api/v1/brains")[-1].headers["authorization"] == f"Bearer {token}"
    assert token not in caplog.text or len(token) < 2


def test_bearer_values_in_a_server_text_are_masked_even_without_the_token():
    from cockpit.api.client import scrub

    assert scrub("bad header Bearer xyz123", None) == "bad header Bearer ****"
    assert scrub("nothing secret", "tok") == "nothing secret"


def test_cache_and_log_files_are_private(tmp_path):
    old = os.umask(0o022)
    try:
        folder = tmp_path / "new" / "cache"
        store = CacheStore.open(folder / "c.sqlite")
        try:
            store.add_points([("paper.output", NOW, 1.0)])
        finally:
            store.close()
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
        for f in folder.iterdir():
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
        # an old cache file open to everyone is closed again
        old_file = tmp_path / "old.sqlite"
        old_file.touch(mode=0o644)
        os.chmod(old_file, 0o644)
        CacheStore.open(old_file).close()
        assert stat.S_IMODE(old_file.stat().st_mode) == 0o600
        log_dir = tmp_path / "state" / "log"
        path = logs.setup_logging("INFO", log_dir, 100_000, 2)
        try:
            logging.getLogger("cockpit.test").warning("hello")
            assert path is not None and path.exists()
            assert stat.S_IMODE(log_dir.stat().st_mode) == 0o700
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
        finally:
            logs.close_logging()
    finally:
        os.umask(old)
