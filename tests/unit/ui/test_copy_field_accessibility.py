"""The key row reads as it looks: the value, then Show, then Copy, for screen readers too."""

from __future__ import annotations

from PySide6.QtGui import QAccessible

from app.ui.widgets.copy_field import CopyField


def accessible_children(widget) -> list[str]:
    """The names a screen reader meets browsing the widget's children, in order."""
    interface = QAccessible.queryAccessibleInterface(widget)
    children = (interface.child(i) for i in range(interface.childCount()))
    return [child.text(QAccessible.Text.Name) for child in children]


def test_a_secret_row_offers_show_before_copy_in_the_tree_and_on_screen(qtbot):
    field = CopyField("Stream key", secret=True)
    qtbot.addWidget(field)
    field.set_value("a-stream-key-0123456789")
    field.resize(480, 40)
    field.show()
    qtbot.waitExposed(field)
    assert accessible_children(field) == ["Stream key", "Show stream key", "Copy stream key"]
    assert field.show_button is not None
    assert field.show_button.x() < field.copy_button.x()  # and the row shows them so


def test_a_plain_row_has_no_show_button(qtbot):
    field = CopyField("Ingest server")
    qtbot.addWidget(field)
    assert accessible_children(field) == ["Ingest server", "Copy ingest server"]
