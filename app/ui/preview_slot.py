"""The preview's place in the window, filled once the window has painted.

`make_preview_panel` is the one place that picks the widget: the real panel when
it is installed, else a labelled placeholder with the same interface. The slot
creates it after the first paint (the panel loads Qt Multimedia, which is slow)
and forwards to it.
"""

from __future__ import annotations

import importlib.util

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from app.core.models import Livestream


class PreviewPlaceholder(QWidget):
    """Stands in for the preview panel with the same interface."""

    state_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, http: object = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Preview (not available in this build)")
        label = QLabel("Preview\n\nThe live preview is not available in this build.", self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        QStackedLayout(self).addWidget(label)

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


class PreviewSlot(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Preview")
        self.panel: QWidget | None = None
        self._pending: Livestream | None = None
        self._layout = QStackedLayout(self)
        self._waiting = QLabel("Loading the preview\u2026", self)
        self._waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self._waiting)

    def load(self, *, http: object = None) -> None:
        if self.panel is not None:
            return
        self.panel = make_preview_panel(self, http=http)
        self._layout.addWidget(self.panel)
        self._layout.setCurrentWidget(self.panel)
        if self._pending is not None:
            self.panel.show_livestream(self._pending)
            self._pending = None

    def show_livestream(self, livestream: Livestream) -> None:
        if self.panel is None:
            self._pending = livestream
        else:
            self.panel.show_livestream(livestream)

    def clear(self) -> None:
        self._pending = None
        if self.panel is not None:
            self.panel.clear()

    async def shutdown(self) -> None:
        if self.panel is not None:
            await self.panel.shutdown()
