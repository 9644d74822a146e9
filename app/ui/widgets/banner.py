"""A non-modal message strip above the form: errors, warnings, the demo notice.

An error with a retry delay counts down and emits `retry_allowed` when the
wait is over; the window keeps Create disabled until then.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from app.core.safe_text import safe_text
from app.ui import theme
from app.ui.qt_by_name import at_top, set_by_name


class Banner(QFrame):
    dismissed = Signal()
    retry_allowed = Signal()

    def __init__(self, parent: QWidget | None = None, *, closable: bool = True) -> None:
        super().__init__(parent)
        self.kind = ""
        # What the message is about (error_text's subjects) and the form field, if any.
        self.subject = ""
        self.field: str | None = None
        self._accent_kind = "info"
        self._retry_deadline: float | None = None
        self._build_ui(closable)
        self._connect_signals()
        self.hide()

    def _build_ui(self, closable: bool) -> None:
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("banner")
        self.title_label = QLabel(self)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.message_label = QLabel(self)
        # Messages may quote the server: never markup, and control characters shown as escapes.
        set_by_name(self.message_label, "textFormat", "PlainText")
        self.message_label.setWordWrap(True)
        set_by_name(
            self.message_label,
            "textInteractionFlags",
            "TextSelectableByMouse|LinksAccessibleByMouse",
        )
        self.countdown_label = QLabel(self)
        self.countdown_label.hide()
        self.close_button = QToolButton(self)
        self.close_button.setText("\u2715")
        self.close_button.setToolTip("Dismiss this message")
        self.close_button.setAccessibleName("Dismiss message")
        self.close_button.setAutoRaise(True)
        self.close_button.setVisible(closable)

        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title_label)
        text.addWidget(self.message_label)
        text.addWidget(self.countdown_label)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 6, 6)
        row.addLayout(text, 1)
        row.addLayout(at_top(self.close_button))

        self._tick = QTimer(self)
        self._tick.setInterval(250)

    def _connect_signals(self) -> None:
        self.close_button.clicked.connect(self._on_close_clicked)
        self._tick.timeout.connect(self._on_tick)

    def show_message(
        self,
        kind: str,
        title: str,
        message: str,
        *,
        accent: str = "error",
        retry_after: float | None = None,
        subject: str = "",
        field: str | None = None,
    ) -> None:
        self.kind = kind
        self.subject, self.field = subject, field
        self._accent_kind = accent
        title, message = safe_text(title), safe_text(message)
        self.title_label.setText(title)
        self.message_label.setText(message)
        self.setAccessibleName(f"{title}: {message}")
        self._apply_colours()
        self._retry_deadline = None
        self._tick.stop()
        self.countdown_label.hide()
        if retry_after:
            self._retry_deadline = time.monotonic() + retry_after
            self.countdown_label.show()
            self._tick.start()
            self._on_tick()
        self.show()

    def clear(self) -> None:
        was_waiting = self.is_waiting
        self._tick.stop()
        self._retry_deadline = None
        self.kind = self.subject = ""
        self.field = None
        self.hide()
        if was_waiting:
            self.retry_allowed.emit()

    def clear_about(self, subjects: tuple[str, ...], field: str | None = None) -> None:
        """Clears the message if it is about one of `subjects` (and `field`, when given):
        its cause was fixed."""
        if not self.kind or self.subject not in subjects:
            return
        if field is None or self.field in (None, field):
            self.clear()

    @property
    def is_waiting(self) -> bool:
        return self._retry_deadline is not None

    def seconds_left(self) -> int:
        if self._retry_deadline is None:
            return 0
        return max(0, math.ceil(self._retry_deadline - time.monotonic()))

    def _on_tick(self) -> None:
        left = self.seconds_left()
        if left > 0:
            self.countdown_label.setText(f"You can try again in {left} s.")
            return
        self._tick.stop()
        self._retry_deadline = None
        self.countdown_label.setText("You can try again now.")
        self.retry_allowed.emit()

    def _on_close_clicked(self) -> None:
        # Dismissing does not shorten a rate-limit wait.
        if self.is_waiting:
            self.hide()
        else:
            self.clear()
        self.dismissed.emit()

    def _apply_colours(self) -> None:
        a = theme.accent(self._accent_kind, self)
        self.setStyleSheet(
            f"QFrame#banner {{ background: {a.background}; border: 1px solid {a.border};"
            f" border-radius: 4px; }}"
            f" QFrame#banner QLabel {{ color: {a.foreground}; background: transparent; }}"
        )

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        # A style sheet set here would itself trigger a change: re-colour on theme changes only.
        if event.type() == event.Type.ApplicationPaletteChange and self.kind:
            self._apply_colours()
