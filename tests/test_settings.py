"""Settings: the table, precedence default < file < env < CLI, wrong values, print_config,
save_values, and the settings dialog."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cockpit import settings as S


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "config.toml"
    p.write_text(text, "utf-8")
    return p


def load(path: Path, env: dict | None = None, cli: dict | None = None) -> S.Settings:
    return S.load(cli or {}, env=env or {}, path=path)


# ---- the table ------------------------------------------------------------------------


def test_every_default_passes_its_own_check():
    for s in S.SETTINGS:
        assert S._check(s, s.default) == s.default, s.key
        assert s.env == "COCKPIT_" + s.key.upper().replace(".", "_")
        assert s.section in {sec for sec, _, _ in S.SECTIONS}
        assert s.en and s.zh and S.accepted(s, "en") and S.accepted(s, "zh")


def test_table_covers_the_command_line_options():
    from cockpit.app import build_parser

    dests = {a.dest for a in build_parser()._actions}
    wanted = {"api", "token_env", "lang", "tab", "size", "cache", "seed", "poll", "no_stream", "log_level",
              "layouts", "colors"}
    assert wanted <= set(S.BY_CLI) and wanted <= dests
    for key in ("display.theme", "display.screen", "display.kiosk", "kiosk.exit_chord", "kiosk.pin",
                "rotation.dwell_s", "rotation.tabs", "rotation.dwell", "rotation.pause_resume_s",
                "rotation.alarm_hold_s", "care.pixel_shift", "care.dim", "watchdog.restart_at",
                "watchdog.max_rss_mb", "fleet.display_id", "fleet.heartbeat_s", "log.level", "log.dir",
                "log.max_bytes", "log.backups", "cache.path", "cache.retention_days", "cache.max_mb"):
        assert key in S.BY_KEY


def test_settings_and_logs_import_no_qt():
    code = ("import sys, cockpit.settings, cockpit.logs; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))]; assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent.parent)


# ---- precedence -----------------------------------------------------------------------


def test_precedence_default_file_env_cli_with_sources(tmp_path):
    p = write(tmp_path, '[display]\nlang = "en"\ntheme = "light"\nscreen = 1\n[log]\nlevel = "ERROR"\n')
    env = {"COCKPIT_DISPLAY_THEME": "high-contrast", "COCKPIT_DISPLAY_SCREEN": "2", "COCKPIT_LOG_LEVEL": "debug"}
    st = load(p, env, {"lang": "zh", "log_level": "WARNING", "bench": None})
    assert not st.problems
    assert (st["display.lang"], st.source("display.lang")) == ("zh", "command line --lang")
    assert (st["display.theme"], st.source("display.theme")) == ("high-contrast", "env COCKPIT_DISPLAY_THEME")
    assert (st["display.screen"], st.source("display.screen")) == (2, "env COCKPIT_DISPLAY_SCREEN")
    assert (st["log.level"], st.source("log.level")) == ("WARNING", "command line --log-level")
    assert (st["display.colors"], st.source("display.colors")) == ("status", "default")
    only_file = load(p)
    assert (only_file["display.theme"], only_file.source("display.theme")) == ("light", f"file {p}")
    assert only_file.origin("display.theme") == "file" and st.origin("display.lang") == "cli"


def test_config_file_named_by_environment(tmp_path):
    p = write(tmp_path, '[display]\ntheme = "light"\n')
    st = S.load({}, env={"COCKPIT_CONFIG": str(p)})
    assert st.path == p and st["display.theme"] == "light" and st.file_state == "found"
    missing = S.load({}, env={"COCKPIT_CONFIG": str(tmp_path / "nope.toml")})
    assert missing.file_state == "not found"
    assert "no such config file (named by COCKPIT_CONFIG)" in missing.problems[0].message


def test_default_location_is_the_user_config_folder(monkeypatch, tmp_path):
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_config_path", lambda app: tmp_path / app)
    st = S.load({}, env={})
    assert st.path == tmp_path / "industry-brain-cockpit" / "config.toml"
    assert st.file_state == "not found" and not st.problems


def test_argparse_values_and_apply_to_args(tmp_path):
    from cockpit.app import build_parser

    parser = build_parser()
    argv = ["--lang", "en", "--size", "800x600", "--no-stream", "--layouts", "/srv/l", "--poll", "2.5"]
    given = S.given_options(parser, argv)
    assert given == {"lang": "en", "size": (800, 600), "no_stream": True, "layouts": [Path("/srv/l")], "poll": 2.5}
    assert parser.parse_args([]).lang == "zh"  # the parser's defaults are back
    p = write(tmp_path, '[api]\nurl = "http://10.0.0.5:8765/"\nseed = 7\n[display]\ncolors = "market"\n')
    st = load(p, cli=given)
    args = S.apply_to_args(st, parser.parse_args(argv))
    assert args.api == "http://10.0.0.5:8765" and args.seed == 7 and args.colors == "market"
    assert args.size == (800, 600) and args.no_stream is True and args.layouts == [Path("/srv/l")]
    assert args.lang == "en" and args.poll == 2.5 and args.cache is None and args.tab is None
    assert st.source("api.stream") == "command line --no-stream" and st["api.stream"] is False


def test_rotate_flag_sets_the_rotation(tmp_path):
    from types import SimpleNamespace

    p = write(tmp_path, '[rotation]\ndwell_s = 45\ntabs = ["ic"]\n')
    spec = SimpleNamespace(default_dwell_s=20.0, playlist=["city", "dyeing"], dwell={"city": 60.0})
    for given in (spec, "20,city=60,dyeing"):
        st = load(p, cli={"rotate": given})
        assert not st.problems
        assert (st["rotation.dwell_s"], st["rotation.tabs"], st["rotation.dwell"]) == (
            20.0, ["city", "dyeing"], {"city": 60.0})
        assert st.source("rotation.tabs") == "command line --rotate"
    st = load(p, cli={"rotate": SimpleNamespace(default_dwell_s=3.0, playlist=None, dwell={})})
    assert st["rotation.dwell_s"] == 45.0 and st["rotation.tabs"] == []
    assert st.problems[0].message.startswith("command line --rotate: rotation.dwell_s = 3.0 is out of range")


def test_set_flag_reaches_any_key(tmp_path):
    st = load(tmp_path / "none.toml", cli={"set": ["display.kiosk=true", "rotation.tabs=city, wine",
                                                   "display.them=x"]})
    assert st["display.kiosk"] is True and st["rotation.tabs"] == ["city", "wine"]
    assert st.source("display.kiosk") == "command line --set display.kiosk"
    assert "did you mean display.theme?" in st.problems[-1].message


# ---- wrong values ---------------------------------------------------------------------


@pytest.mark.parametrize(("line", "key", "words"), [
    ('display.theme = "blue"', "display.theme", 'display.theme = "blue" is not one of dark, light, high-contrast; '
                                                'using the default "dark"'),
    ('display.screen = "two"', "display.screen", 'display.screen = "two" is not a whole number (accepted: a whole '
                                                 'number 0 … 63); using the default 0'),
    ("display.screen = 99", "display.screen", "display.screen = 99 is out of range (accepted: a whole number 0 … 63)"),
    ("rotation.dwell_s = 3", "rotation.dwell_s", "rotation.dwell_s = 3 is out of range (accepted: 0 (off) or a "
                                                 "number 5 … 86400 s); using the default 0.0"),
    ("display.kiosk = 1", "display.kiosk", "display.kiosk = 1 is not true or false; using the default false"),
    ('watchdog.restart_at = "25:00"', "watchdog.restart_at", 'watchdog.restart_at = "25:00" is not "" or a '
                                                             '24-hour time "HH:MM"'),
    ('kiosk.exit_chord = "Q"', "kiosk.exit_chord", 'kiosk.exit_chord = "Q" is not at least two of Ctrl'),
    ('kiosk.exit_chord = "Ctrl+Q"', "kiosk.exit_chord", "has fewer than two modifiers"),
    ('rotation.tabs = ["city", "Wine!"]', "rotation.tabs", 'item 2 "Wine!" is not a tab id'),
    ("rotation.dwell = {city = 2}", "rotation.dwell", "city = 2 is not a number 5 … 86400 s"),
    ('care.dim = [{from = "22:00", to = "6:60", level = 0.3}]', "care.dim", 'item 1: to = "6:60" is not a time'),
    ('care.dim = [{from = "24:00", to = "06:00", level = 0.3}]', "care.dim", 'item 1: from = "24:00" is not a time'),
    ('care.dim = [{from = "22:00", to = "06:00", level = 1.5}]', "care.dim",
     "item 1: level = 1.5 is not 0 (blank) … 1 (full)"),
    ('care.dim = [{from = "6:00", to = "06:00", level = 0.3}]', "care.dim", "item 1: from and to are the same time"),
    ('api.url = "ftp://x"', "api.url", 'api.url = "ftp://x" is not "" (embedded simulator) or http(s)://host:port'),
    ('display.size = "10x10"', "display.size", 'display.size = "10x10" is not "" or WIDTHxHEIGHT'),
    ("log.backups = 0", "log.backups", "log.backups = 0 is out of range (accepted: a whole number 1 … 100)"),
])
def test_wrong_value_is_reported_and_keeps_the_default(tmp_path, line, key, words):
    p = write(tmp_path, f"# a comment\n{line}\ndisplay.lang = \"en\"\n")
    st = load(p)
    assert [pr.key for pr in st.problems] == [key]
    msg = st.problems[0].message
    assert msg.startswith(f"{p}:2: ") and words in msg, msg
    assert st.problems[0].line == 2 and st.problems[0].source == f"file {p}"
    assert st[key] == S.BY_KEY[key].default and st.source(key) == "default"
    assert st["display.lang"] == "en"  # the rest of the file is used
    assert st.problems[0].text("zh") != msg and key in st.problems[0].text("zh")


def test_pin_is_never_shown_in_messages(tmp_path):
    st = load(write(tmp_path, "[kiosk]\npin = 123456\n"))
    assert "123456" not in st.problems[0].message
    assert 'kiosk.pin = "****" is a number: write the PIN in quotes' in st.problems[0].message
    st = load(write(tmp_path, '[kiosk]\npin = "12ab"\n'))
    assert "12ab" not in st.problems[0].message


def test_bad_env_value_keeps_the_file_value(tmp_path):
    p = write(tmp_path, '[display]\ntheme = "light"\n')
    st = load(p, {"COCKPIT_DISPLAY_THEME": "blue", "COCKPIT_API_POLL_S": "fast"})
    assert st["display.theme"] == "light" and st.source("display.theme") == f"file {p}"
    msgs = [pr.message for pr in st.problems]
    assert (f'env COCKPIT_DISPLAY_THEME: display.theme = "blue" is not one of dark, light, high-contrast; '
            f'using "light" from file {p}') in msgs
    assert any(m.startswith('env COCKPIT_API_POLL_S: api.poll_s = "fast" is not a number') for m in msgs)


def test_choices_are_case_insensitive_and_normalised(tmp_path):
    st = load(write(tmp_path, '[display]\ntheme = "Light"\n[kiosk]\nexit_chord = "shift+ctrl+f12"\n'))
    assert st["display.theme"] == "light" and st["kiosk.exit_chord"] == "Ctrl+Shift+F12" and not st.problems


def test_unknown_key_gets_a_suggestion(tmp_path):
    p = write(tmp_path, '[display]\nthem = "dark"\n\n[rotaton]\ndwell_s = 30\n[misc]\nfoo = 1\n')
    st = load(p)
    msgs = [pr.message for pr in st.problems]
    assert msgs[0] == f"{p}:2: unknown key display.them (did you mean display.theme?); ignored"
    assert msgs[1] == f"{p}:5: unknown key rotaton.dwell_s (did you mean rotation.dwell_s?); ignored"
    assert msgs[2] == f"{p}:7: unknown key misc.foo; ignored"
    assert st["rotation.dwell_s"] == 0


def test_bad_toml_names_the_line_and_falls_back_to_defaults(tmp_path):
    p = write(tmp_path, '[display]\ntheme = "light"\nlang = en\n')
    st = load(p, {"COCKPIT_DISPLAY_SCREEN": "1"})
    assert st.file_state == "invalid"
    (pr,) = st.problems
    assert pr.line == 3 and pr.message.startswith(f"{p}:3: not valid TOML")
    assert "the whole file is ignored" in pr.message
    assert st["display.theme"] == "dark" and st.source("display.theme") == "default"
    assert st["display.screen"] == 1  # the environment still applies


# ---- text forms -------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "text", "value"), [
    ("rotation.tabs", "city, dyeing", ["city", "dyeing"]),
    ("rotation.tabs", '["city"]', ["city"]),
    ("rotation.dwell", "city=60, wine=5", {"city": 60.0, "wine": 5.0}),
    ("rotation.dwell", "{city = 60}", {"city": 60.0}),
    ("care.dim", "22:00-06:00=0.3, 12:00-13:30=0.6",
     [{"from": "22:00", "to": "06:00", "level": 0.3}, {"from": "12:00", "to": "13:30", "level": 0.6}]),
    ("care.dim", "1:00-24:00=0", [{"from": "01:00", "to": "24:00", "level": 0.0}]),
    ("display.kiosk", "yes", True),
    ("display.screen", "3", 3),
])
def test_text_forms_round_trip(key, text, value):
    s = S.BY_KEY[key]
    assert S._check(s, S.parse_text(s, text)) == value
    assert S._check(s, S.parse_text(s, S.format_text(s, value))) == value


# ---- print_config -----------------------------------------------------------------------


def test_print_config_lists_every_key_value_and_source_and_masks_the_pin(tmp_path):
    p = write(tmp_path, '[kiosk]\npin = "4321"\n[display]\ntheme = "blue"\n')
    st = load(p, {"COCKPIT_DISPLAY_LANG": "en"}, {"seed": 5})
    text = S.print_config(st)
    lines = text.splitlines()
    assert lines[0] == f"config file: {p} (found)"
    for s in S.SETTINGS:
        row = next(line for line in lines if line.startswith(s.key + " "))
        assert row.rstrip().endswith(st.source(s.key)), row
    assert "4321" not in text
    pin = next(line for line in lines if line.startswith("kiosk.pin "))
    assert '"****"' in pin and pin.rstrip().endswith(f"file {p}")
    assert any(line.startswith("display.lang ") and '"en"' in line and "env COCKPIT_DISPLAY_LANG" in line
               for line in lines)
    assert any(line.startswith("api.seed ") and " 5 " in line and "command line --seed" in line for line in lines)
    assert "problems (1):" in text and 'display.theme = "blue" is not one of' in text
    # aligned: every value starts in the same column
    col = lines[2].index("value")
    assert all(line[col - 2:col] == "  " for line in lines[3:3 + len(S.SETTINGS)])


# ---- save_values ------------------------------------------------------------------------


def test_save_values_round_trip_keeps_the_users_other_keys(tmp_path):
    p = write(tmp_path, '# our wall\n[display]\nlang = "en"   # for visitors\ntheme = "dark"\n\n'
                        '[fleet]\ndisplay_id = "wall-3"\n')
    S.save_values(p, {"display.theme": "high-contrast", "rotation.dwell": {"city": 60, "wine": 30.0},
                      "care.dim": [{"from": "22:00", "to": "06:00", "level": 0.3}], "kiosk.pin": "0042",
                      "log.level": "debug"})
    text = p.read_text("utf-8")
    assert "# our wall" in text and "# for visitors" in text and 'display_id = "wall-3"' in text
    st = load(p)
    assert not st.problems
    assert st["display.theme"] == "high-contrast" and st["display.lang"] == "en" and st["fleet.display_id"] == "wall-3"
    assert st["rotation.dwell"] == {"city": 60.0, "wine": 30.0} and st["kiosk.pin"] == "0042"
    assert st["care.dim"] == [{"from": "22:00", "to": "06:00", "level": 0.3}] and st["log.level"] == "DEBUG"
    S.save_values(p, {"display.theme": None})  # None: back to the default
    assert load(p)["display.theme"] == "dark" and load(p)["display.lang"] == "en"


def test_save_values_creates_a_private_file(tmp_path):
    p = tmp_path / "sub" / "config.toml"
    S.save_values(p, {"kiosk.pin": "9876"})
    assert load(p)["kiosk.pin"] == "9876"
    if os.name == "posix":
        assert p.stat().st_mode & 0o077 == 0


def test_save_values_refuses_invalid_values_and_writes_nothing(tmp_path):
    p = write(tmp_path, '[display]\nlang = "en"\n')
    before = p.read_text("utf-8")
    with pytest.raises(S.SettingsError) as err:
        S.save_values(p, {"display.lang": "zh", "display.theme": "blue", "display.scren": 1})
    msgs = [pr.message for pr in err.value.problems]
    assert msgs == [f'{p}: display.theme = "blue" is not one of dark, light, high-contrast; not saved',
                    f"{p}: unknown key display.scren (did you mean display.screen?); not saved"]
    assert p.read_text("utf-8") == before


def test_save_values_refuses_to_overwrite_a_broken_file(tmp_path):
    p = write(tmp_path, "[display\nlang = 1\n")
    with pytest.raises(S.SettingsError, match="not valid TOML"):
        S.save_values(p, {"display.lang": "zh"})
    assert p.read_text("utf-8") == "[display\nlang = 1\n"


# ---- the dialog -------------------------------------------------------------------------


def _dialog(qtbot, path: Path, env: dict | None = None, cli: dict | None = None, lang: str = "zh"):
    from cockpit.ui.settings_dialog import SettingsDialog

    dlg = SettingsDialog(load(path, env, cli), lang=lang)
    qtbot.addWidget(dlg)
    return dlg


def test_dialog_shows_file_value_and_env_override_read_only(qtbot, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox, QGroupBox, QLabel, QLineEdit

    p = write(tmp_path, '[display]\ntheme = "light"\nlang = "en"\n[fleet]\ndisplay_id = "wall-3"\n')
    dlg = _dialog(qtbot, p, {"COCKPIT_DISPLAY_LANG": "zh"})
    theme = dlg.rows["display.theme"]
    assert isinstance(theme.editor, QComboBox) and theme.editor.currentText() == "light"
    assert theme.editor.isEnabled() and theme.note.text() == "配置文件"
    lang = dlg.rows["display.lang"]
    assert lang.editor.currentText() == "zh" and not lang.editor.isEnabled()
    assert lang.note.text() == "环境变量 COCKPIT_DISPLAY_LANG 覆盖此项"
    ident = dlg.rows["fleet.display_id"].editor
    assert isinstance(ident, QLineEdit) and ident.text() == "wall-3"
    assert dlg.rows["kiosk.pin"].editor.echoMode() == QLineEdit.EchoMode.Password
    labels = dlg.findChildren(QLabel)
    assert labels and all(lbl.textFormat() == Qt.TextFormat.PlainText for lbl in labels)
    titles = {g.title() for g in dlg.findChildren(QGroupBox)}
    assert {"中央接口", "显示", "值守锁定", "轮播", "屏幕养护", "看门狗", "大屏集群", "告警处置", "日志", "离线缓存"} == titles


def test_dialog_cli_override_is_read_only_in_english(qtbot, tmp_path):
    dlg = _dialog(qtbot, tmp_path / "none.toml", cli={"log_level": "DEBUG", "poll": 3.0}, lang="en")
    row = dlg.rows["api.poll_s"]
    assert row.editor.isReadOnly() and row.note.text() == "overridden by command line --poll"
    assert dlg.rows["log.level"].note.text() == "overridden by command line --log-level"
    assert dlg.rows["display.theme"].note.text() == "default"


def test_dialog_ok_writes_only_the_changed_value(qtbot, tmp_path):
    p = write(tmp_path, '# mine\n[display]\nlang = "en"\n')
    dlg = _dialog(qtbot, p)
    dlg.rows["display.theme"].editor.setCurrentText("high-contrast")
    dlg.rows["rotation.dwell_s"].editor.setValue(30)
    dlg.rows["rotation.tabs"].editor.setText("city, wine")
    assert "display.theme" in dlg.restart_note.text()
    dlg.accept()
    assert dlg.result() == dlg.DialogCode.Accepted
    assert dlg.written == {"display.theme": "high-contrast", "rotation.dwell_s": 30.0, "rotation.tabs": ["city", "wine"]}
    assert set(dlg.restart_needed) == set(dlg.written)
    text = p.read_text("utf-8")
    assert "# mine" in text and "kiosk" not in text and "log" not in text
    st = load(p)
    assert (st["display.theme"], st["display.lang"], st["rotation.dwell_s"]) == ("high-contrast", "en", 30.0)


def test_dialog_refuses_an_invalid_value_with_a_visible_message(qtbot, tmp_path):
    p = write(tmp_path, '[display]\nlang = "en"\n')
    before = p.read_text("utf-8")
    dlg = _dialog(qtbot, p, lang="en")
    dlg.show()
    dlg.rows["display.theme"].editor.setCurrentText("light")
    dlg.rows["watchdog.restart_at"].editor.setText("25:00")
    dlg.rows["rotation.dwell_s"].editor.setValue(2)
    dlg.accept()
    assert dlg.isVisible() and dlg.result() != dlg.DialogCode.Accepted
    err = dlg.rows["watchdog.restart_at"].error
    assert err.isVisible() and err.text().startswith('watchdog.restart_at = "25:00" is not "" or a 24-hour time')
    assert str(p) not in err.text()
    assert dlg.rows["rotation.dwell_s"].error.isVisible()
    assert not dlg.rows["display.theme"].error.isVisible()
    assert p.read_text("utf-8") == before and dlg.written == {}


def test_dialog_cancel_writes_nothing(qtbot, tmp_path):
    p = tmp_path / "config.toml"
    dlg = _dialog(qtbot, p)
    dlg.rows["display.kiosk"].editor.setChecked(True)
    dlg.reject()
    assert not p.exists()


# ---- docs/CONFIG.md ---------------------------------------------------------------------


def test_config_doc_lists_every_key_and_its_examples_load_cleanly(tmp_path):
    import re

    doc = (Path(__file__).parent.parent / "docs" / "CONFIG.md").read_text("utf-8")
    for s in S.SETTINGS:
        row = next((line for line in doc.splitlines() if line.startswith(f"| `{s.key}` |")), None)
        assert row is not None, s.key
        assert f"`{s.env}`" in row and f"`{S.toml_repr(s.default)}`" in row and s.en in row
        rotate = s.key in ("rotation.dwell_s", "rotation.tabs", "rotation.dwell")
        assert (f"`{s.flag}`" in row) if s.flag else ("`--rotate`" if rotate else "| — |") in row
    examples = re.findall(r"```toml\n(.*?)```", doc, re.S)
    assert len(examples) == 2
    for i, text in enumerate(examples):
        st = load(write(tmp_path, text))
        assert st.file_state == "found" and not st.problems, (i, st.problems)


def test_a_password_in_the_api_address_is_masked(tmp_path):
    st = load(tmp_path / "none.toml", {"COCKPIT_API_URL": "http://duty:hunter2@10.0.0.5:8765"})
    assert st["api.url"] == "http://duty:hunter2@10.0.0.5:8765"
    assert "hunter2" not in S.print_config(st) and '"http://duty:****@10.0.0.5:8765"' in S.print_config(st)
