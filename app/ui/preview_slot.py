"""The one place that picks the preview widget: the real panel when it is installed."""

from __future__ import annotations

import importlib.util

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.core.models import Livestream


class PreviewPlaceholder(QWidget):
    """Stands in for the preview panel with the same interface."""

    state_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, http: object = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Preview (not available in this build)")
        self.label = QLabel("Preview\n\nThe live preview is not available in this build.", self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setEnabled(False)
        QVBoxLayout(self).addWidget(self.label)

    def show_livestream(self, livestream: Livestream) -> None:
        self.state_changed.emit("Preview not available")

    def clear(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


def make_preview_panel(parent: QWidget | None = None, *, http: object = None) -> QWidget:
    """`http` is the app's shared httpx.AsyncClient (the panel makes its own without one)."""
    # find_spec, not try/except ImportError: a broken panel must fail loudly, not vanish.
    if (
        importlib.util.find_spec("app.ui.preview") is None
        or importlib.util.find_spec("app.ui.preview.panel") is None
    ):
        return PreviewPlaceholder(parent, http=http)
    from app.ui.preview.panel import PreviewPanel

    return PreviewPanel(parent, http=http)
