"""The selected app's recent livestreams; picking one shows it again."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6 import QtCore  # its Qt namespace on first use: see app.ui.qt_by_name
from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.livestream_state import StateView
from app.core.safe_text import safe_text
from app.ui.qt_by_name import at_top

if TYPE_CHECKING:
    from app.core.models import Livestream


class RecentLivestreamsWidget(QGroupBox):
    livestream_selected = Signal(object)  # Livestream
    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Recent livestreams", parent)
        self._build_ui()
        self._connect_signals()
        self.set_placeholder("Enter an account, an app and a token to see recent livestreams.")

    def _build_ui(self) -> None:
        self.setAccessibleName("Recent livestreams")
        self.list = _CompactList(self)
        self.list.setAccessibleName("Recent livestreams of this app")
        self.list.setAlternatingRowColors(True)
        # Small enough that the whole window fits a 768-pixel-high screen.
        self.list.setMinimumHeight(48)
        self.placeholder = QLabel(self)
        self.placeholder.setWordWrap(True)
        self.refresh_button = QPushButton("&Refresh", self)
        self.refresh_button.setAccessibleName("Refresh recent livestreams")
        top = QHBoxLayout()
        top.addWidget(self.placeholder, 1)
        top.addStretch(0)
        top.addLayout(at_top(self.refresh_button))
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(self.list, 1)

    def _connect_signals(self) -> None:
        self.list.itemActivated.connect(self._on_item_chosen)
        self.list.itemClicked.connect(self._on_item_chosen)
        self.refresh_button.clicked.connect(self.refresh_requested)

    def set_placeholder(self, text: str) -> None:
        self.placeholder.setText(text)
        self.placeholder.setVisible(bool(text))

    def set_loading(self) -> None:
        self.set_placeholder("Loading\u2026")

    def set_livestreams(
        self, livestreams: list[Livestream], states: Mapping[str, StateView]
    ) -> None:
        """Replaces the list; each row says its livestream's state from `states`."""
        self.list.clear()
        for livestream in livestreams:
            item = QListWidgetItem(self.list)
            item.setData(QtCore.Qt.ItemDataRole.UserRole, livestream)
            self._render(item, states.get(livestream.id))
        self.set_placeholder(
            "" if livestreams else "No livestreams in this app yet: create the first one."
        )

    def show_state(self, view: StateView) -> None:
        """A livestream's state changed: its row, if listed, says so."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            if _livestream_of(item).id == view.livestream_id:
                self._render(item, view)

    @staticmethod
    def _render(item: QListWidgetItem, view: StateView | None) -> None:
        livestream = _livestream_of(item)
        item.setText(_label(livestream, view.headline if view is not None else ""))
        detail = f"{view.detail}\n" if view is not None else ""
        item.setToolTip(f"{detail}ID {safe_text(livestream.id)}")

    def livestreams(self) -> list[Livestream]:
        return [_livestream_of(self.list.item(i)) for i in range(self.list.count())]

    def _on_item_chosen(self, item: QListWidgetItem) -> None:
        livestream = _livestream_of(item)
        if livestream is not None:
            self.livestream_selected.emit(livestream)


def _livestream_of(item: QListWidgetItem) -> Livestream:
    return item.data(QtCore.Qt.ItemDataRole.UserRole)


class _CompactList(QListWidget):
    """Asks for no more height than its minimum: it takes the room left over, so the window's
    column scrolls only when the form and the livestream themselves do not fit."""

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.minimumHeight())


def _label(livestream: Livestream, status: str) -> str:
    name = safe_text(livestream.name or "(no name)")
    when = (
        livestream.created_at.astimezone().strftime("%d %b %H:%M") if livestream.created_at else ""
    )
    return "  \u00b7  ".join(part for part in (name, status, when) if part)
