"""A livestream's past sessions in a small table: start, duration, ingest and viewer time."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.models import LivestreamSession, SessionHistory
from app.core.session_text import duration_text, explain_error

COLUMNS = ("Started", "Duration", "Ingest", "Viewers", "Result")
RESULT_COLUMN = COLUMNS.index("Result")  # its tooltip explains a failure


class SessionHistoryDialog(QDialog):
    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, now=lambda: datetime.now(UTC)) -> None:
        super().__init__(parent)
        self._now = now
        self.livestream_id: str | None = None
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.setWindowTitle("Past sessions")
        self.resize(620, 340)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Past sessions")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.refresh_button = QPushButton("&Refresh", self)
        self.refresh_button.setAccessibleName("Refresh the sessions")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        column = QVBoxLayout(self)
        column.addWidget(self.status_label)
        column.addWidget(self.table, 1)
        column.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.rejected.connect(self.reject)
        self.refresh_button.clicked.connect(self.refresh_requested)

    def show_loading(self, livestream_id: str, title: str) -> None:
        self.livestream_id = livestream_id
        self.setWindowTitle(f"Past sessions of {title}")
        self.status_label.setText("Loading\u2026")
        self.refresh_button.setEnabled(False)

    def show_history(self, history: SessionHistory) -> None:
        sessions = history.sessions
        self.table.setRowCount(len(sessions))
        for row, session in enumerate(sessions):
            for column, text in enumerate(self._cells(session)):
                item = QTableWidgetItem(text)
                if column in (1, 2, 3):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if column == RESULT_COLUMN and session.error_message:
                    fix = explain_error(session.error_message)
                    item.setToolTip(f"{fix.said}\n{fix.fix}")
                self.table.setItem(row, column, item)
        more = history.total_count is not None and history.total_count > len(sessions)
        if not sessions:
            text = "No sessions yet: nothing has been sent to this livestream."
        elif more:
            text = f"The latest {len(sessions)} of {history.total_count} sessions."
        else:
            text = f"{len(sessions)} session{'s' if len(sessions) != 1 else ''}."
        self.status_label.setText(text)
        self.refresh_button.setEnabled(True)

    def show_failure(self, text: str) -> None:
        self.status_label.setText(f"Could not load the sessions: {text}")
        self.refresh_button.setEnabled(True)

    def rows(self) -> list[list[str]]:
        return [
            [self._cell_text(row, column) for column in range(self.table.columnCount())]
            for row in range(self.table.rowCount())
        ]

    def _cell_text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)  # None: a cell never filled
        return item.text() if item is not None else ""

    def _cells(self, session: LivestreamSession) -> tuple[str, ...]:
        started = session.started_at or session.created_at
        when = started.astimezone().strftime("%d %b %Y %H:%M") if started else "\u2014"
        running = session.stopped_at is None and not session.error_message
        duration = duration_text(session.duration_seconds(self._now()))
        if session.error_message:
            result = f"Failed: {session.error_message}"
        elif running:
            result = "Live now" if session.started_at else "\u2014"
        else:
            result = "Ended"
        return (
            when,
            duration + (" so far" if running and session.started_at else ""),
            duration_text(session.ingest_seconds),
            duration_text(session.viewer_seconds),
            result,
        )
