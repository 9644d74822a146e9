"""The inputs: account, app, stream name, API token, and the Create button.

Each field is checked as the user types, with the reason shown under it, so
nothing wrong is ever sent. The form only emits intent; the window decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6 import QtCore  # its Qt namespace on first use: see app.ui.qt_by_name
from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import InvalidInputError
from app.core.safe_text import safe_text
from app.core.validation import (
    validate_account_id,
    validate_app_id,
    validate_stream_name,
    validate_token,
)
from app.ui import theme

if TYPE_CHECKING:
    from app.core.models import RealtimeApp

FIELDS = ("account_id", "app_id", "name", "token")


@dataclass(frozen=True)
class FormValues:
    account_id: str
    app_id: str
    name: str | None
    token: str = ""

    def __repr__(self) -> str:  # the token never appears in a repr
        return f"FormValues(account_id={self.account_id!r}, app_id={self.app_id!r})"


class CredentialsForm(QGroupBox):
    create_requested = Signal()
    cancel_requested = Signal()
    load_apps_requested = Signal()
    save_token_requested = Signal()
    forget_token_requested = Signal()
    account_changed = Signal(str)  # a valid account ID, or "" when not valid
    app_changed = Signal(str)  # a valid app ID, or ""
    token_edited = Signal()
    field_edited = Signal(str)  # a field the user changed: "account_id", "app_id", ...

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Create a livestream", parent)
        self._touched: set[str] = set()
        self._busy = False
        self._blocked = False
        self._apps: dict[str, str] = {}
        self._save_insists = False
        self._build_ui()
        self._connect_signals()
        self._revalidate_all()

    # --- building ------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.setAccessibleName("Create a livestream")
        self.account_edit = QLineEdit(self)
        self.account_edit.setPlaceholderText("32 characters, from your Cloudflare dashboard URL")
        self.account_edit.setAccessibleName("Account ID")
        self.account_edit.setMaxLength(64)

        self.app_combo = QComboBox(self)
        self.app_combo.setEditable(True)
        self.app_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        app_edit = self.app_combo.lineEdit()
        assert app_edit is not None  # an editable combo box has its line edit
        self.app_edit: QLineEdit = app_edit
        self.app_edit.setPlaceholderText("Type an app ID or click Load apps")
        self.app_combo.setAccessibleName("RealtimeKit app ID")
        self.app_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.app_combo.setMinimumContentsLength(20)
        self.load_apps_button = QPushButton("&Load apps", self)
        self.load_apps_button.setAccessibleName("Load apps")
        self.load_apps_button.setToolTip("List this account's RealtimeKit apps")
        self.app_name_label = QLabel(self)
        self.app_name_label.hide()

        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("Optional, e.g. friday-show")
        self.name_edit.setAccessibleName("Stream name")

        self.token_edit = QLineEdit(self)
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText("Paste your Cloudflare API token")
        self.token_edit.setAccessibleName("API token")
        self.save_token_button = QPushButton("Sa&ve", self)
        self.save_token_button.setAccessibleName("Save the token")
        self.forget_token_button = QPushButton("&Forget", self)
        self.forget_token_button.setAccessibleName("Forget the saved token")
        self.token_place_label = QLabel(self)
        self.token_place_label.setWordWrap(True)

        self.create_button = QPushButton("&Create livestream", self)
        self.create_button.setDefault(True)
        self.create_button.setAccessibleName("Create livestream")
        self.create_button.setToolTip("Create a livestream (Enter)")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel creating")
        self.cancel_button.setToolTip("Stop waiting for Cloudflare (Esc)")
        self.cancel_button.hide()
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.setAccessibleName("Creating the livestream")
        self.progress.hide()

        self.errors = {field: self._error_label(field) for field in FIELDS}

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self._add_row(form, "&Account ID", self.account_edit, self.account_edit, "account_id")
        app_row = QHBoxLayout()
        app_row.addWidget(self.app_combo, 1)
        app_row.addWidget(self.load_apps_button)
        self._add_row(form, "A&pp", app_row, self.app_combo, "app_id", extra=self.app_name_label)
        self._add_row(form, "Stream &name", self.name_edit, self.name_edit, "name")
        token_row = QHBoxLayout()
        token_row.addWidget(self.token_edit, 1)
        token_row.addWidget(self.save_token_button)
        token_row.addWidget(self.forget_token_button)
        self._add_row(
            form, "API &token", token_row, self.token_edit, "token", extra=self.token_place_label
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)
        form.addRow(buttons)

        self.setTabOrder(self.account_edit, self.app_combo)
        self.setTabOrder(self.app_combo, self.load_apps_button)
        self.setTabOrder(self.load_apps_button, self.name_edit)
        self.setTabOrder(self.name_edit, self.token_edit)
        self.setTabOrder(self.token_edit, self.save_token_button)
        self.setTabOrder(self.save_token_button, self.forget_token_button)
        self.setTabOrder(self.forget_token_button, self.cancel_button)
        self.setTabOrder(self.cancel_button, self.create_button)

        # Window-wide: QShortcut's default context.
        self._escape = QShortcut(QKeySequence("Esc"), self)

    def _error_label(self, field: str) -> QLabel:
        label = QLabel(self)
        label.setWordWrap(True)
        label.setObjectName(f"error_{field}")
        label.hide()
        return label

    def _add_row(self, form, text, field_widget, buddy, error_key, *, extra=None) -> None:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        column = QVBoxLayout()
        column.setSpacing(2)
        if isinstance(field_widget, QWidget):
            column.addWidget(field_widget)
        else:
            column.addLayout(field_widget)
        if extra is not None:
            column.addWidget(extra)
        column.addWidget(self.errors[error_key])
        form.addRow(label, column)

    def _connect_signals(self) -> None:
        self.account_edit.textEdited.connect(lambda: self._on_edited("account_id"))
        self.account_edit.textChanged.connect(self._on_account_text_changed)
        self.app_combo.editTextChanged.connect(self._on_app_text_changed)
        self.app_edit.textEdited.connect(lambda: self._on_edited("app_id"))
        self.app_combo.activated.connect(self._on_app_activated)
        self.name_edit.textEdited.connect(lambda: self._on_edited("name"))
        self.name_edit.textChanged.connect(lambda: self._revalidate("name"))
        self.token_edit.textEdited.connect(self._on_token_edited)
        self.token_edit.textChanged.connect(lambda: self._revalidate("token"))
        for edit in (self.account_edit, self.name_edit, self.token_edit, self.app_edit):
            edit.returnPressed.connect(self._on_submit)
        self.create_button.clicked.connect(self._on_submit)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self._escape.activated.connect(self._on_escape)
        self.load_apps_button.clicked.connect(self.load_apps_requested)
        self.save_token_button.clicked.connect(self.save_token_requested)
        self.forget_token_button.clicked.connect(self.forget_token_requested)

    # --- reading -------------------------------------------------------------------

    def app_id_text(self) -> str:
        return self.app_combo.currentText().strip()

    def check(self, field: str) -> str | None:
        """The reason this field is wrong, or None."""
        try:
            self._validated(field)
        except InvalidInputError as error:
            return error.message
        return None

    def _validated(self, field: str):
        if field == "account_id":
            return validate_account_id(self.account_edit.text())
        if field == "app_id":
            return validate_app_id(self.app_id_text())
        if field == "name":
            return validate_stream_name(self.name_edit.text())
        return validate_token(self.token_edit.text())

    def values(self, *, fields: tuple[str, ...] = FIELDS) -> FormValues | None:
        """Validated values, or None after showing every problem and focusing the first."""
        self._touched.update(fields)
        problems = [f for f in fields if self.check(f) is not None]
        for field in fields:
            self._revalidate(field)
        if problems:
            self.focus_field(problems[0])
            return None
        return FormValues(
            account_id=validate_account_id(self.account_edit.text()),
            app_id=validate_app_id(self.app_id_text()) if "app_id" in fields else "",
            name=validate_stream_name(self.name_edit.text()),
            token=validate_token(self.token_edit.text()) if "token" in fields else "",
        )

    def valid_account_id(self) -> str:
        return "" if self.check("account_id") else validate_account_id(self.account_edit.text())

    def valid_app_id(self) -> str:
        return "" if self.check("app_id") else validate_app_id(self.app_id_text())

    def token_text(self) -> str:
        return self.token_edit.text().strip()

    def app_name(self, app_id: str) -> str:
        """The name Load apps gave this app ID, if known."""
        return self._apps.get(app_id, "")

    @property
    def save_insists(self) -> bool:
        """Save is offered as "Save anyway" (the API rejected the token)."""
        return self._save_insists

    # --- writing -------------------------------------------------------------------

    def set_values(self, account_id: str = "", app_id: str = "", name: str = "") -> None:
        self.account_edit.setText(account_id)
        self.app_combo.setEditText(app_id)
        self.name_edit.setText(name)

    def set_token(self, token: str) -> None:
        self.token_edit.setText(token)

    def set_token_place(self, text: str, *, can_save: bool, can_forget: bool) -> None:
        self.token_place_label.setText(text)
        self.save_token_button.setEnabled(can_save)
        self.forget_token_button.setEnabled(can_forget)

    def remember_app(self, app_id: str, name: str) -> None:
        """An app's name from an earlier session, shown under its ID."""
        if app_id and name:
            self._apps.setdefault(app_id, name)
            self._on_app_text_changed(self.app_combo.currentText())

    def offer_save_anyway(self, offer: bool) -> None:
        self._save_insists = offer
        self.save_token_button.setText("Save an&yway" if offer else "Sa&ve")
        self.save_token_button.setAccessibleName(
            "Save the token although Cloudflare rejected it" if offer else "Save the token"
        )
        if offer:
            self.save_token_button.setEnabled(True)

    def set_apps(self, apps: list[RealtimeApp]) -> None:
        typed = self.app_id_text()
        self._apps = {app.id: safe_text(app.name) for app in apps}
        self.app_combo.blockSignals(True)
        self.app_combo.clear()
        for app in apps:
            self.app_combo.addItem(f"{safe_text(app.name)} \u2014 {safe_text(app.id)}", app.id)
        self.app_combo.blockSignals(False)
        if typed:
            self.app_combo.setEditText(typed)
        elif apps:
            self.app_combo.setCurrentIndex(0)
            self.app_combo.setEditText(apps[0].id)
        self._on_app_text_changed(self.app_combo.currentText())
        if apps and not typed:
            self.app_combo.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
            self.app_combo.showPopup()

    def set_busy(self, busy: bool) -> None:
        """While a create runs the form stays editable; Create waits, Cancel shows."""
        self._busy = busy
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.create_button.setText("Creating\u2026" if busy else "&Create livestream")
        self._update_create_enabled()

    def set_blocked(self, blocked: bool) -> None:
        """Blocked while a rate limit runs out."""
        self._blocked = blocked
        self._update_create_enabled()

    def set_loading_apps(self, loading: bool) -> None:
        self.load_apps_button.setEnabled(not loading)
        self.load_apps_button.setText("Loading\u2026" if loading else "&Load apps")

    def show_field_error(self, field: str, message: str) -> None:
        if field in self.errors:
            self._show_error(field, message)
            self.focus_field(field)

    def focus_field(self, field: str) -> None:
        widget = {
            "account_id": self.account_edit,
            "app_id": self.app_combo,
            "name": self.name_edit,
            "token": self.token_edit,
        }.get(field)
        if widget is not None:
            widget.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)

    # --- reacting ------------------------------------------------------------------

    def _update_create_enabled(self) -> None:
        self.create_button.setEnabled(not self._busy and not self._blocked)

    def _on_submit(self) -> None:
        # Enter in any field or a click: ignored while busy or rate limited.
        if self._busy or self._blocked:
            return
        self.create_requested.emit()

    def _on_escape(self) -> None:
        if self._busy:
            self.cancel_requested.emit()

    def _on_edited(self, field: str) -> None:
        self._touched.add(field)
        self._revalidate(field)
        self.field_edited.emit(field)

    def _on_token_edited(self) -> None:
        self._on_edited("token")
        self.token_edited.emit()

    def _on_account_text_changed(self) -> None:
        self._revalidate("account_id")
        self.account_changed.emit(self.valid_account_id())

    def _on_app_text_changed(self, _text: str) -> None:
        app_id = self.valid_app_id()
        name = self._apps.get(app_id)
        self.app_name_label.setText(f"App: {name}" if name else "")
        self.app_name_label.setVisible(bool(name))
        self._revalidate("app_id")
        self.app_changed.emit(app_id)

    def _on_app_activated(self, index: int) -> None:
        app_id = self.app_combo.itemData(index)
        if app_id:
            # Keep the ID in the field; the name shows under it.
            self.app_combo.setEditText(app_id)
        self._on_edited("app_id")
        # Chosen: on to the next thing to fill in.
        self.name_edit.setFocus(QtCore.Qt.FocusReason.TabFocusReason)

    def _revalidate_all(self) -> None:
        for field in FIELDS:
            self._revalidate(field)

    def _revalidate(self, field: str) -> None:
        message = self.check(field)
        if message and field in self._touched:
            self._show_error(field, message)
        else:
            self.errors[field].hide()
            self.errors[field].setText("")

    def _show_error(self, field: str, message: str) -> None:
        label = self.errors[field]
        label.setText(message)
        label.setStyleSheet(f"color: {theme.error_text_colour(self)};")
        label.show()
