"""Where OBS listens and its websocket password: a small dialog, opened without a nested loop.

The password field starts empty and says so: a saved password is never read
back into a widget. Leaving it empty keeps the saved one.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import InvalidInputError
from app.core.obs_settings import ObsSettings, validate_host
from app.ui import theme


class ObsSettingsDialog(QDialog):
    # (ObsSettings, password: None keeps the saved one, "" forgets it)
    settings_chosen = Signal(object, object)

    def __init__(self, settings: ObsSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("OBS connection")
        self._build_ui(settings)
        self._connect_signals()

    def _build_ui(self, settings: ObsSettings) -> None:
        intro = QLabel(
            "OBS Studio 28 or newer: in OBS open Tools > WebSocket Server Settings, tick "
            "Enable WebSocket server, and copy the port and password from Show Connect Info.",
            self,
        )
        intro.setWordWrap(True)
        self.host_edit = QLineEdit(settings.host, self)
        self.host_edit.setAccessibleName("OBS host")
        self.port_spin = QSpinBox(self)
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(settings.port)
        self.port_spin.setAccessibleName("OBS WebSocket port")
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("Leave empty to keep the saved password")
        self.password_edit.setAccessibleName("OBS WebSocket password")
        self.forget_check = QCheckBox("Forget the saved password (OBS without authentication)")
        self.start_check = QCheckBox(
            "Offer a \u201cStart streaming in OBS\u201d button after sending", self
        )
        self.start_check.setChecked(settings.offer_start_stream)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {theme.error_text_colour(self)}")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )

        form = QFormLayout()
        form.addRow("Host", self.host_edit)
        form.addRow("Port", self.port_spin)
        form.addRow("Password", self.password_edit)
        form.addRow("", self.forget_check)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.start_check)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.forget_check.toggled.connect(self._on_forget_toggled)

    def _on_forget_toggled(self, checked: bool) -> None:
        self.password_edit.setEnabled(not checked)
        if checked:
            self.password_edit.clear()

    def _on_buttons_accepted(self) -> None:
        try:
            host = validate_host(self.host_edit.text())
        except InvalidInputError as error:
            self.error_label.setText(error.message)
            self.error_label.show()
            self.host_edit.setFocus()
            return
        settings = ObsSettings(
            host=host, port=self.port_spin.value(), offer_start_stream=self.start_check.isChecked()
        )
        if self.forget_check.isChecked():
            password: str | None = ""
        else:
            password = self.password_edit.text() or None
        self.password_edit.clear()
        self.settings_chosen.emit(settings, password)
        self.accept()
