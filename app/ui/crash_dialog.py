"""Shown for an unexpected error: what happened, copyable (redacted) details; the app goes on."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import about


class CrashDialog(QDialog):
    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{about.DISPLAY_NAME}: unexpected error")
        self.setModal(False)
        self.details = details
        intro = QLabel(
            "Something unexpected went wrong. The app is still running; what you typed is "
            "kept. If it happens again, copy the details below into a bug report "
            "(tokens and stream keys are masked).",
            self,
        )
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(details, self)
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Error details")
        self.text.setMinimumSize(520, 200)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("&Copy details", self)
        self.copy_button.setAccessibleName("Copy error details")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addWidget(self.text, 1)
        column.addWidget(buttons)

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText("Copied \u2713")
