"""A read-only value with a Copy button, optionally masked with a Show toggle.

The real value is kept apart from what is displayed, so Copy always copies the
value itself, never the mask. A revealed secret masks itself again after a while.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from app.core.safe_text import safe_text

COPIED_FEEDBACK_MS = 1500
REMASK_AFTER_MS = 20_000


class CopyField(QWidget):
    # (the real value, whether it is a secret)
    copy_requested = Signal(str, bool)

    def __init__(
        self,
        name: str,
        *,
        secret: bool = False,
        shortcut: str | None = None,
        parent: QWidget | None = None,
        remask_after_ms: int = REMASK_AFTER_MS,
    ) -> None:
        super().__init__(parent)
        self._name = name
        self._secret = secret
        self._value = ""
        self._build_ui(shortcut)
        self._remask_timer = QTimer(self)
        self._remask_timer.setSingleShot(True)
        self._remask_timer.setInterval(remask_after_ms)
        self._feedback_timer = QTimer(self)
        self._feedback_timer.setSingleShot(True)
        self._feedback_timer.setInterval(COPIED_FEEDBACK_MS)
        self._connect_signals()
        self.set_value("")

    def _build_ui(self, shortcut: str | None) -> None:
        # Created in reading order (value, Show, Copy): screen readers list children in the
        # order they were made, and the row shows them the same way.
        self.line_edit = QLineEdit(self)
        self.line_edit.setReadOnly(True)
        self.line_edit.setAccessibleName(self._name)
        self.line_edit.setPlaceholderText("Create a livestream to see this")
        self.show_button: QPushButton | None = None
        if self._secret:
            self.show_button = QPushButton("Show", self)
            self.show_button.setCheckable(True)
            self.show_button.setAccessibleName(f"Show {self._name.lower()}")
            self.show_button.setToolTip(
                f"Show the {self._name.lower()} for {REMASK_AFTER_MS // 1000} seconds"
            )
            self.line_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.copy_button = QPushButton("Copy", self)
        self.copy_button.setAccessibleName(f"Copy {self._name.lower()}")
        tip = f"Copy the {self._name.lower()}"
        self.shortcut: QShortcut | None = None
        if shortcut:
            # Window-wide (QShortcut's default context), so it works wherever the focus is.
            self.shortcut = QShortcut(QKeySequence(shortcut), self)
            native = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
            tip = f"{tip} ({native})"
        self.copy_button.setToolTip(tip)
        # Wide enough for "Copied" so the button does not jump.
        self.copy_button.setMinimumWidth(
            self.copy_button.fontMetrics().horizontalAdvance("Copied \u2713") + 24
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line_edit, 1)
        if self.show_button is not None:
            row.addWidget(self.show_button)
        row.addWidget(self.copy_button)

    def _connect_signals(self) -> None:
        self.copy_button.clicked.connect(self._on_copy_clicked)
        if self.shortcut is not None:
            self.shortcut.activated.connect(self._on_copy_clicked)
        self._feedback_timer.timeout.connect(self._on_feedback_timeout)
        self._remask_timer.timeout.connect(self.hide_value)
        if self.show_button is not None:
            self.show_button.toggled.connect(self._on_show_toggled)

    @property
    def value(self) -> str:
        return self._value

    @property
    def is_masked(self) -> bool:
        return self.line_edit.echoMode() != QLineEdit.EchoMode.Normal

    def set_value(self, value: str) -> None:
        self._value = value
        # Values were checked at parsing; showing them safely costs nothing and guards the rest.
        shown = safe_text(value)
        self.line_edit.setText(shown)
        self.line_edit.setCursorPosition(0)
        if not self._secret:
            self.line_edit.setToolTip(shown)  # the whole value, when the field cuts it
        self.copy_button.setEnabled(bool(value))
        if self.show_button is not None:
            self.show_button.setEnabled(bool(value))
            self.hide_value()

    def hide_value(self) -> None:
        if self.show_button is None:
            return
        self._remask_timer.stop()
        self.show_button.setChecked(False)
        self.line_edit.setEchoMode(QLineEdit.EchoMode.Password)

    def show_copied(self) -> None:
        self.copy_button.setText("Copied \u2713")
        self.copy_button.setAccessibleDescription(f"{self._name} copied")
        self._feedback_timer.start()

    def _on_copy_clicked(self) -> None:
        if self._value:
            self.copy_requested.emit(self._value, self._secret)

    def _on_feedback_timeout(self) -> None:
        self.copy_button.setText("Copy")
        self.copy_button.setAccessibleDescription("")

    def _on_show_toggled(self, shown: bool) -> None:
        assert self.show_button is not None
        if shown:
            self.line_edit.setEchoMode(QLineEdit.EchoMode.Normal)
            self.show_button.setText("Hide")
            self._remask_timer.start()
        else:
            self.line_edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.show_button.setText("Show")
            self._remask_timer.stop()
