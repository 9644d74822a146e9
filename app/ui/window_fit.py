"""The window fits the screen it is on: it never opens larger than the screen's available
area, and on a narrow screen the preview goes under the form instead of beside it."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QSplitter, QWidget

from app.ui.qt_by_name import set_by_name

# Below this many logical pixels of available width, the form and the preview are stacked.
SIDE_BY_SIDE_MIN_WIDTH = 940
# Room for the window's frame and title bar, which Qt does not know before the first show.
FRAME_ALLOWANCE = QSize(16, 48)


def available_area(window: QWidget) -> QRect | None:
    screen = window.screen()
    return screen.availableGeometry() if screen is not None else None


def arrange_for_screen(window: QWidget, splitter: QSplitter) -> None:
    """Side by side, or stacked on a screen narrower than SIDE_BY_SIDE_MIN_WIDTH."""
    area = available_area(window)
    stacked = area is not None and area.width() < SIDE_BY_SIDE_MIN_WIDTH
    set_by_name(splitter, "orientation", "Vertical" if stacked else "Horizontal")


def fit_to_screen(window: QWidget) -> None:
    """Shrinks and moves the window (not yet maximised) so all of it is on its screen."""
    area = available_area(window)
    if area is None or window.isMaximized() or window.isFullScreen():
        return
    room = area.size() - FRAME_ALLOWANCE
    size = window.size().boundedTo(room).expandedTo(window.minimumSizeHint().boundedTo(room))
    if size != window.size():
        window.resize(size)
    frame = window.frameGeometry()
    if not area.contains(frame):
        x = min(max(frame.x(), area.x()), area.right() - frame.width() + 1)
        y = min(max(frame.y(), area.y()), area.bottom() - frame.height() + 1)
        window.move(max(x, area.x()), max(y, area.y()))
