"""Enum and flag properties set by their Qt names ("AlignTop|AlignLeft"), and rows aligned
without a flag.

PySide builds the Python enums of the whole `Qt` namespace, about ninety of them, the first
time anything touches `PySide6.QtCore.Qt`: 14 ms here, as long as the rest of what the
window needs before its first paint. What that paint shows sets such properties by name
instead, which Qt converts itself (as style sheets' `qproperty-` does), and leaves `Qt`
to what runs after.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QVBoxLayout, QWidget


def set_by_name(target: QObject, prop: str, keys: str) -> None:
    """`keys` are the enum's key names, joined by "|" for flags; a typo raises."""
    if not target.setProperty(prop, keys):
        raise ValueError(f"{type(target).__name__} has no property {prop!r} taking {keys!r}")


def at_top(widget: QWidget) -> QVBoxLayout:
    """The widget at the top of a row's height, as `AlignTop` would place it."""
    column = QVBoxLayout()
    column.addWidget(widget)
    column.addStretch(1)
    return column
