"""Fusion with a focus ring that shows on every button and list, the default button included.

Fusion marks keyboard focus on a push button with the same outline it gives the default
button, and on an item view not at all: a keyboard user cannot tell where they are. This
draws a ring in the palette's highlight colour inside any focused button or item view.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QAbstractItemView, QProxyStyle, QStyle, QStyleOption, QWidget

RING_WIDTH = 2


class FocusRingStyle(QProxyStyle):
    def drawControl(
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawControl(element, option, painter, widget)
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
        if not focused:
            return
        if element == QStyle.ControlElement.CE_PushButton:
            _draw_button_ring(painter, option)
        elif element == QStyle.ControlElement.CE_ShapedFrame and isinstance(
            widget, QAbstractItemView
        ):
            _draw_frame_ring(painter, option)


def _draw_button_ring(painter: QPainter, option: QStyleOption) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(option.palette.highlight().color(), RING_WIDTH))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    inset = RING_WIDTH
    painter.drawRoundedRect(option.rect.adjusted(inset, inset, -inset, -inset), 3, 3)
    painter.restore()


def _draw_frame_ring(painter: QPainter, option: QStyleOption) -> None:
    """Over the frame itself: the view's contents cover everything inside it."""
    painter.save()
    painter.setPen(QPen(option.palette.highlight().color(), 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for inset in range(RING_WIDTH):
        painter.drawRect(option.rect.adjusted(inset, inset, -1 - inset, -1 - inset))
    painter.restore()


def focus_ring_style() -> FocusRingStyle:
    return FocusRingStyle("Fusion")
