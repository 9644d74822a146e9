"""The preview's place in the window, filled once the window has painted.

The panel loads Qt Multimedia, which is slow: the slot shows a label until the
window has painted, then creates the panel and forwards to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from app.ui.qt_by_name import set_by_name

if TYPE_CHECKING:
    from app.core.models import Livestream
    from app.ui.preview.panel import PreviewPanel


class PreviewSlot(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Preview")
        self.panel: PreviewPanel | None = None
        self._pending: Livestream | None = None
        self._at_edge = True
        self._layout = QStackedLayout(self)
        self._waiting = QLabel("Loading the preview\u2026", self)
        set_by_name(self._waiting, "alignment", "AlignCenter")
        self._layout.addWidget(self._waiting)

    def load(self, *, http: object = None) -> PreviewPanel:
        """Creates the panel on the first call; returns it."""
        if self.panel is not None:
            return self.panel
        from app.ui.preview.panel import PreviewPanel  # lazy: Qt Multimedia

        self.panel = panel = PreviewPanel(self, http=http)
        panel.set_live_edge(self._at_edge)
        self._layout.addWidget(panel)
        self._layout.setCurrentWidget(panel)
        if self._pending is not None:
            panel.show_livestream(self._pending)
            self._pending = None
        return panel

    def show_livestream(self, livestream: Livestream) -> None:
        if self.panel is None:
            self._pending = livestream
        else:
            self.panel.show_livestream(livestream)

    def set_live_edge(self, at_edge: bool) -> None:
        self._at_edge = at_edge
        if self.panel is not None:
            self.panel.set_live_edge(at_edge)

    def expect_broadcast(self) -> None:
        if self.panel is not None:
            self.panel.expect_broadcast()

    def clear(self) -> None:
        self._pending = None
        if self.panel is not None:
            self.panel.clear()

    async def shutdown(self) -> None:
        if self.panel is not None:
            await self.panel.shutdown()
