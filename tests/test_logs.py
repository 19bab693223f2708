"""Logging: a rotating UTF-8 file in the log folder, console fallback, secrets masked."""

from __future__ import annotations

import logging

import pytest

from cockpit import logs


@pytest.fixture(autouse=True)
def _restore_logging():
    root = logging.getLogger()
    level = root.level
    yield
    logs.close_logging()
    logs.forget_secrets()
    root.setLevel(level)


def test_log_file_is_created_in_the_given_folder(tmp_path):
    path = logs.setup_logging("DEBUG", tmp_path / "logs", 100_000, 3)
    assert path == tmp_path / "logs" / "cockpit.log"
    logging.getLogger("cockpit.test").debug("产业大脑 %s", "ok")
    logging.getLogger("cockpit.test").info("hidden below? no: INFO >= DEBUG")
    text = path.read_text("utf-8")
    assert " DEBUG cockpit.test: 产业大脑 ok" in text
    assert text.splitlines()[0][:4].isdigit()  # starts with the time


def test_level_filters_and_setup_replaces_its_handlers(tmp_path):
    logs.setup_logging("DEBUG", tmp_path, 100_000, 3)
    path = logs.setup_logging("WARNING", tmp_path, 100_000, 3)
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_cockpit", False)]
    assert len(ours) == 2  # console and file, once
    logging.getLogger("cockpit.test").info("not written")
    logging.getLogger("cockpit.test").warning("written")
    assert path is not None
    text = path.read_text("utf-8")
    assert "written" in text and "not written" not in text


def test_the_file_rotates_at_max_bytes(tmp_path):
    path = logs.setup_logging("INFO", tmp_path, 2_000, 2)
    assert path is not None
    log = logging.getLogger("cockpit.test")
    for i in range(200):
        log.info("line %03d %s", i, "x" * 40)
    assert path.stat().st_size <= 2_000
    assert (tmp_path / "cockpit.log.1").exists() and (tmp_path / "cockpit.log.2").exists()
    assert not (tmp_path / "cockpit.log.3").exists()
    assert "line 199" in path.read_text("utf-8")


def test_bearer_tokens_and_registered_secrets_are_masked(tmp_path, capsys):
    path = logs.setup_logging("INFO", tmp_path, 100_000, 3)
    assert path is not None
    logs.register_secret("s3cr3t-T0KEN-value")
    logs.register_secret("ab")  # short: masked where it stands alone, not inside words
    log = logging.getLogger("cockpit.test")
    log.info("headers %s", {"Authorization": "Bearer eyJhbGciOi.J9-abc_def=="})
    log.warning("the token is %s", "s3cr3t-T0KEN-value")
    log.info("GET /api/v1/brains?token=abc123&x=1")
    log.info("connecting to http://duty:hunter2@10.0.0.5:8765/api/v1")
    log.info("401: token ab is not valid")
    try:
        raise RuntimeError("failed with s3cr3t-T0KEN-value")
    except RuntimeError:
        log.exception("request failed")
    text = path.read_text("utf-8")
    err = capsys.readouterr().err
    for out in (text, err):
        assert "eyJhbGciOi" not in out and "s3cr3t-T0KEN-value" not in out and "abc123" not in out
        assert "'Bearer ****'" in out and "the token is ****" in out and "token=****&x=1" in out
        assert "RuntimeError: failed with ****" in out
        assert "hunter2" not in out and "http://duty:****@10.0.0.5:8765/api/v1" in out
        assert "401: token **** is not valid" in out
    assert "about" in logs.mask("about") and "tab" in logs.mask("tab")  # nothing else is touched


def test_an_unusable_folder_logs_to_the_console_only_and_says_so(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    path = logs.setup_logging("INFO", blocker / "logs", 100_000, 3)
    assert path is None
    logging.getLogger("cockpit.test").info("still logging")
    err = capsys.readouterr().err
    assert err.count("cannot write the log file in") == 1 and "console only" in err
    assert "still logging" in err


def test_default_folder_is_the_user_log_folder(monkeypatch, tmp_path):
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_log_path", lambda app: tmp_path / app)
    path = logs.setup_logging("INFO", None, 100_000, 3)
    assert path == tmp_path / "industry-brain-cockpit" / "cockpit.log" and path.exists()


def test_a_failing_log_file_is_reported_once_never_raised(tmp_path, capsys):
    path = logs.setup_logging("INFO", tmp_path, 100_000, 3)
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "baseFilename", None) == str(path))

    def broken(_text):
        raise OSError(28, "No space left on device")

    handler.stream.write = broken  # type: ignore[union-attr]
    for _ in range(3):
        logging.getLogger("cockpit.test").warning("disk full?")
    err = capsys.readouterr().err
    assert err.count("cannot write the log file") == 1 and "No space left on device" in err
    assert err.count("disk full?") == 3  # the console goes on
