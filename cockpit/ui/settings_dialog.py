"""The settings dialog: every setting of :data:`cockpit.settings.SETTINGS`, edited into the config file.

Grouped by section, one row per setting: what it is, an editor for its kind (a list of
choices, a number box with the setting's range, a check box, or a line of text — lists
and tables as ``city, dyeing`` / ``city=60, dyeing=30`` / ``22:00-06:00=0.3``) and where
its value comes from. A value set by an environment variable or on the command line is
shown read-only with a note saying so: writing the file would not change it.

OK checks the changed values and writes only those (:func:`cockpit.settings.save_values`,
which keeps everything else the user wrote in the file); a refused value is explained
next to its field and nothing is written. Cancel writes nothing. Everything shown is
plain text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cockpit.settings import (
    BY_KEY,
    SECTIONS,
    SETTINGS,
    Problem,
    Setting,
    Settings,
    SettingsError,
    accepted,
    format_text,
    kind_of,
    parse_text,
    save_values,
    validate,
)
from cockpit.ui.text import tr


def _t(key: str, lang: str, **kw: object) -> str:
    """This module's texts, ``settings_*`` in the one table (cockpit/ui/text.py)."""
    return tr(f"settings_{key}", lang, **kw)


def _label(text: str, name: str) -> QLabel:
    lbl = QLabel(text)
    lbl.setObjectName(name)
    lbl.setTextFormat(Qt.TextFormat.PlainText)
    lbl.setWordWrap(True)
    return lbl


class _Row:
    """One setting's editor, its initial state and its error line."""

    def __init__(self, setting: Setting, editor: QWidget, note: QLabel, error: QLabel, read_only: bool) -> None:
        self.setting = setting
        self.editor = editor
        self.note = note
        self.error = error
        self.read_only = read_only
        self.initial = self.state()

    def state(self) -> Any:
        """What the editor holds: its text for a line edit, else its value."""
        e = self.editor
        if isinstance(e, QComboBox):
            return e.currentData()
        if isinstance(e, QCheckBox):
            return e.isChecked()
        if isinstance(e, QSpinBox | QDoubleSpinBox):
            return e.value()
        assert isinstance(e, QLineEdit)
        return e.text()

    def value(self) -> Any:
        """The editor's value as a setting value (not yet checked)."""
        st = self.state()
        return parse_text(self.setting, st) if isinstance(self.editor, QLineEdit) else st

    def changed(self) -> bool:
        return not self.read_only and self.state() != self.initial

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))


class SettingsDialog(QDialog):
    """Edits the config file ``path`` (default: the file ``settings`` was read from).

    After OK, ``written`` holds the values written (key → value) and ``restart_needed`` the
    keys among them that take effect only after a restart.
    """

    def __init__(self, settings: Settings, lang: str = "zh", parent: QWidget | None = None,
                 path: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.settings = settings
        self.lang = lang
        self.path = Path(path) if path is not None else settings.path
        self.rows: dict[str, _Row] = {}
        self.written: dict[str, Any] = {}
        self.restart_needed: list[str] = []
        self.setWindowTitle(_t("title", lang))

        outer = QVBoxLayout(self)
        outer.addWidget(_label(_t("file", lang, p=str(self.path)), "settingsFile"))
        file_problems = [p for p in settings.problems if p.source == f"file {self.path}"]
        if file_problems:
            text = "\n".join([_t("file_problems", lang), *(p.text(lang) for p in file_problems)])
            outer.addWidget(_label(text, "settingsFileProblems"))
        body = QWidget()
        body.setObjectName("settingsBody")
        box = QVBoxLayout(body)
        for section, zh, en in SECTIONS:
            group = QGroupBox(zh if lang == "zh" else en)
            group.setObjectName("settingsSection")
            grid = QGridLayout(group)
            grid.setColumnStretch(1, 1)
            r = 0
            for s in SETTINGS:
                if s.section == section:
                    self._add_row(grid, r, s)
                    r += 2
            box.addWidget(group)
        box.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("settingsScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.restart_note = _label(_t("restart_all", lang), "restartNote")
        outer.addWidget(self.restart_note)
        self.save_error = _label("", "settingsSaveError")
        self.save_error.hide()
        outer.addWidget(self.save_error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.setObjectName("settingsButtons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        outer.addWidget(buttons)
        self.resize(960, 720)

    # ---- building ----------------------------------------------------------------

    def _add_row(self, grid: QGridLayout, r: int, s: Setting) -> None:
        lang = self.lang
        origin = self.settings.origin(s.key)
        read_only = origin in ("env", "cli")
        title = s.describe(lang) + (f" ({_t('live', lang)})" if s.live else "")
        label = _label(title, "settingLabel")
        tip = [s.key, accepted(s, lang), f"{_t('env', lang)}: {s.env}"]
        if s.flag:
            tip.append(f"{_t('flag', lang)}: {s.flag}")
        label.setToolTip("\n".join(tip))
        editor = self._editor(s, self.settings[s.key])
        editor.setObjectName("settingEditor")
        editor.setToolTip("\n".join(tip))
        if read_only:
            if isinstance(editor, QLineEdit | QAbstractSpinBox):
                editor.setReadOnly(True)
            else:
                editor.setEnabled(False)
            editor.setProperty("overridden", True)
        if origin == "env":
            note_text = _t("from_env", lang, v=s.env)
        elif origin == "cli":
            note_text = _t("from_cli", lang, v=self.settings.source(s.key).removeprefix("command line "))
        else:
            note_text = _t("from_file" if origin == "file" else "from_default", lang)
        note = _label(note_text, "settingSource")
        note.setProperty("origin", origin)
        error = _label("", "settingError")
        error.hide()
        grid.addWidget(label, r, 0)
        grid.addWidget(editor, r, 1)
        grid.addWidget(note, r, 2)
        grid.addWidget(error, r + 1, 1, 1, 2)
        row = _Row(s, editor, note, error, read_only)
        self.rows[s.key] = row
        self._watch(editor)

    def _editor(self, s: Setting, value: Any) -> QWidget:
        """The editor the setting's kind asks for (``Kind.editor``)."""
        editor = kind_of(s).editor
        if editor == "combo":
            combo = QComboBox()
            for c in s.choices:
                combo.addItem(c, c)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            return combo
        if editor == "check":
            check = QCheckBox()
            check.setChecked(bool(value))
            return check
        if editor == "int":
            spin = QSpinBox()
            spin.setRange(0 if s.off_zero else int(s.lo or 0), int(s.hi or 0))
            self._spin_common(spin, s)
            spin.setValue(int(value))
            return spin
        if editor == "float":
            dspin = QDoubleSpinBox()
            dspin.setDecimals(1)
            dspin.setRange(0.0 if s.off_zero else float(s.lo or 0), float(s.hi or 0))
            self._spin_common(dspin, s)
            dspin.setValue(float(value))
            return dspin
        edit = QLineEdit(format_text(s, value))
        edit.setPlaceholderText(accepted(s, self.lang))
        if s.secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def _spin_common(self, spin: QSpinBox | QDoubleSpinBox, s: Setting) -> None:
        spin.setKeyboardTracking(True)
        if s.off_zero:
            spin.setSpecialValueText(_t("off", self.lang))
        if s.unit:
            spin.setSuffix(f" {s.unit}")

    def _watch(self, editor: QWidget) -> None:
        if isinstance(editor, QComboBox):
            editor.currentIndexChanged.connect(self._update_note)
        elif isinstance(editor, QCheckBox):
            editor.toggled.connect(self._update_note)
        elif isinstance(editor, QSpinBox | QDoubleSpinBox):
            editor.valueChanged.connect(self._update_note)
        elif isinstance(editor, QLineEdit):
            editor.textChanged.connect(self._update_note)

    # ---- state -------------------------------------------------------------------

    def changes(self) -> dict[str, Any]:
        """The changed settings, key → value as entered (not yet checked)."""
        return {k: row.value() for k, row in self.rows.items() if row.changed()}

    def _update_note(self, *_: Any) -> None:
        pending = [k for k in self.changes() if not BY_KEY[k].live]
        text = _t("restart_all", self.lang)
        if pending:
            text += "\n" + _t("restart_these", self.lang, k=", ".join(pending))
        self.restart_note.setText(text)

    def _strip(self, p: Problem) -> str:
        text = p.text(self.lang)
        for sep in (": ", "："):
            text = text.removeprefix(f"{self.path}{sep}")
        return text

    def accept(self) -> None:
        for row in self.rows.values():
            row.show_error("")
        self.save_error.hide()
        changes = self.changes()
        if not changes:
            super().accept()
            return
        clean, problems = validate(changes, self.path)
        if not problems:
            try:
                save_values(self.path, changes)
            except SettingsError as exc:
                problems = exc.problems
            except OSError as exc:
                self.save_error.setText(_t("cannot_write", self.lang, p=str(self.path), e=str(exc)))
                self.save_error.show()
                return
        if problems:
            general: list[str] = []
            for p in problems:
                target = self.rows.get(p.key)
                if target is not None:
                    target.show_error(self._strip(p))
                else:
                    general.append(p.text(self.lang))
            if general:
                self.save_error.setText("\n".join(general))
                self.save_error.show()
            first = next((self.rows[p.key] for p in problems if p.key in self.rows), None)
            if first is not None:
                first.editor.setFocus()
            return
        self.written = clean
        self.restart_needed = [k for k in clean if not BY_KEY[k].live]
        super().accept()
