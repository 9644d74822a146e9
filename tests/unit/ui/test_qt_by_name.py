"""Properties set by their Qt names read back as the enums they name; a typo is an error."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QSplitter, QWidget

from app.ui.qt_by_name import at_top, set_by_name


def test_names_set_the_enums_and_flags_they_name(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    set_by_name(label, "alignment", "AlignCenter")
    set_by_name(label, "textFormat", "PlainText")
    set_by_name(label, "textInteractionFlags", "TextSelectableByMouse|LinksAccessibleByMouse")
    assert label.alignment() == Qt.AlignmentFlag.AlignCenter
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.textInteractionFlags() == (
        Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.LinksAccessibleByMouse
    )
    scroll, splitter = QScrollArea(), QSplitter()
    qtbot.addWidget(scroll)
    qtbot.addWidget(splitter)
    set_by_name(scroll, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
    set_by_name(splitter, "orientation", "Vertical")
    assert scroll.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert splitter.orientation() == Qt.Orientation.Vertical


@pytest.mark.parametrize(
    ("prop", "keys"), [("alignment", "AlignMiddel"), ("alinement", "AlignTop")]
)
def test_a_wrong_name_raises_instead_of_leaving_a_dynamic_property(qtbot, prop, keys):
    label = QLabel()
    qtbot.addWidget(label)
    with pytest.raises(ValueError, match=prop):
        set_by_name(label, prop, keys)


def test_at_top_keeps_a_widget_at_the_top_of_a_taller_row(qtbot):
    row_owner = QWidget()
    qtbot.addWidget(row_owner)
    row = QHBoxLayout(row_owner)
    tall = QLabel("one\ntwo\nthree\nfour")
    button = QPushButton("Dismiss")
    row.addWidget(tall, 1)
    row.addLayout(at_top(button))
    row_owner.show()
    qtbot.waitExposed(row_owner)
    assert button.height() < tall.height()
    assert button.y() == tall.y()
