"""One call for the window: sessions on the livestream's card, past sessions from the card
and the Recent list, usage from the View menu. Why a failed livestream failed (Cloudflare's
`err_message`) also goes to the window's state model, so the badge and notifications say it.

The window keeps two lines for this: `mount_sessions(...)` once, and `follow(...)` wherever it
starts following a livestream's status.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from app.core.errors import CompanionError
from app.core.models import KnownStatus, Livestream
from app.ui.error_text import describe
from app.ui.sessions.controller import (
    ClientFactory,
    Credentials,
    SessionsController,
    SessionSnapshot,
    StatusFetch,
)
from app.ui.sessions.summary_widget import SessionSummaryWidget
from app.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow
    from app.ui.sessions.history_dialog import SessionHistoryDialog
    from app.ui.sessions.usage_dialog import UsageDialog

NEEDS_CREDENTIALS = "Enter a valid account ID, app ID and token first."


class SessionsFeature(QObject):
    def __init__(
        self,
        window: MainWindow,
        tasks: TaskRunner,
        client_factory: ClientFactory,
        view_menu: QMenu,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._view_menu = view_menu
        self.controller = SessionsController(client_factory, tasks, self)
        self.summary = SessionSummaryWidget(window.result)
        self.history_dialog: SessionHistoryDialog | None = None
        self.usage_dialog: UsageDialog | None = None
        self._history_credentials: Credentials | None = None
        self._build_menu()
        self._connect_signals()
        window.result.add_action_row(self.summary)

    def _build_menu(self) -> None:
        view = self._view_menu
        self.usage_action = QAction("&Usage of this app\u2026", self)
        self.usage_action.setShortcut(QKeySequence("Ctrl+Shift+G"))
        self.history_action = QAction("&Past sessions of this livestream\u2026", self)
        view.addAction(self.usage_action)
        view.addAction(self.history_action)

    def _connect_signals(self) -> None:
        c = self.controller
        c.session_loaded.connect(self._on_session_loaded)
        c.history_loaded.connect(self._on_history_loaded)
        c.history_failed.connect(self._on_history_failed)
        c.usage_loaded.connect(self._on_usage_loaded)
        c.usage_failed.connect(self._on_usage_failed)
        self.summary.history_requested.connect(self._on_shown_history_requested)
        self.history_action.triggered.connect(self._on_shown_history_requested)
        self.usage_action.triggered.connect(self.open_usage)
        recent_list = self._window.recent.list
        recent_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        recent_list.customContextMenuRequested.connect(self._on_recent_menu_requested)

    # --- what the window calls --------------------------------------------------------

    def follow(self, livestream: Livestream, fetch: StatusFetch | None) -> StatusFetch | None:
        """The status fetch for the shown livestream, now also bringing its session."""
        self.summary.show_livestream(livestream.id)
        credentials = self.credentials()
        if fetch is None or credentials is None:
            return fetch
        return self.controller.watching(fetch, credentials, livestream)

    def credentials(self) -> Credentials | None:
        form = self._window.form
        account_id, app_id, token = form.valid_account_id(), form.valid_app_id(), form.token_text()
        if not (account_id and app_id and token):
            return None
        return Credentials(account_id, app_id, token)

    def open_history(self, livestream: Livestream) -> None:
        credentials = self._credentials_or_say()
        if credentials is None:
            return
        if self.history_dialog is None:
            from app.ui.sessions.history_dialog import SessionHistoryDialog

            self.history_dialog = SessionHistoryDialog(self._window)
            self.history_dialog.refresh_requested.connect(self._on_history_refresh_requested)
        self._history_credentials = credentials
        self.history_dialog.show_loading(livestream.id, livestream.name or livestream.id)
        self.controller.request_history(credentials, livestream.id)
        self.history_dialog.show()
        self.history_dialog.raise_()

    def open_usage(self) -> None:
        if self._credentials_or_say() is None:
            return
        if self.usage_dialog is None:
            # Qt Charts loads only when the chart is first opened: the window starts without it.
            from app.ui.sessions.usage_dialog import UsageDialog

            self.usage_dialog = UsageDialog(self._window)
            self.usage_dialog.days_changed.connect(lambda _days: self._load_usage())
            self.usage_dialog.refresh_requested.connect(self._load_usage)
        self._load_usage()
        self.usage_dialog.show()
        self.usage_dialog.raise_()

    def _credentials_or_say(self) -> Credentials | None:
        credentials = self.credentials()
        if credentials is None:
            self._window.statusBar().showMessage(NEEDS_CREDENTIALS, 5000)
        return credentials

    # --- slots --------------------------------------------------------------------------

    def _load_usage(self) -> None:
        credentials = self.credentials()
        if self.usage_dialog is None:
            return
        if credentials is None:
            self.usage_dialog.show_failure(NEEDS_CREDENTIALS)
            return
        self.usage_dialog.show_loading()
        self.controller.request_usage(credentials, self.usage_dialog.days)

    def _on_session_loaded(self, snapshot: SessionSnapshot) -> None:
        if snapshot.status == KnownStatus.ERRORED:
            # Why it failed belongs to the one state: badge, notification and tray say it.
            session = snapshot.session
            reason = session.error_message if session is not None else None
            self._window.states.error_reason(snapshot.livestream_id, reason)
        shown = self._window.result.livestream
        if shown is not None and shown.id == snapshot.livestream_id:
            self.summary.show_snapshot(snapshot)

    def _on_shown_history_requested(self) -> None:
        shown = self._window.result.livestream
        if shown is None:
            self._window.statusBar().showMessage("Create or pick a livestream first.", 5000)
            return
        self.open_history(shown)

    def _on_history_refresh_requested(self) -> None:
        dialog = self.history_dialog
        if dialog is not None and dialog.livestream_id and self._history_credentials:
            dialog.refresh_button.setEnabled(False)
            self.controller.request_history(self._history_credentials, dialog.livestream_id)

    def _on_history_loaded(self, livestream_id: str, history) -> None:
        if self.history_dialog is not None and self.history_dialog.livestream_id == livestream_id:
            self.history_dialog.show_history(history)

    def _on_history_failed(self, livestream_id: str, error: CompanionError) -> None:
        if self.history_dialog is not None and self.history_dialog.livestream_id == livestream_id:
            self.history_dialog.show_failure(describe(error).message)

    def _on_usage_loaded(self, days: int, report) -> None:
        if self.usage_dialog is not None and self.usage_dialog.days == days:
            self.usage_dialog.show_report(report)

    def _on_usage_failed(self, days: int, error: CompanionError) -> None:
        if self.usage_dialog is not None and self.usage_dialog.days == days:
            self.usage_dialog.show_failure(describe(error).message)

    def _on_recent_menu_requested(self, position: QPoint) -> None:
        recent_list = self._window.recent.list
        item = recent_list.itemAt(position)
        livestream = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if livestream is None:
            return
        menu = QMenu(recent_list)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        action = menu.addAction("Past &sessions\u2026")
        action.triggered.connect(lambda: self.open_history(livestream))
        menu.popup(recent_list.viewport().mapToGlobal(position))


def mount_sessions(
    window: MainWindow, tasks: TaskRunner, client_factory: ClientFactory, view_menu: QMenu
) -> SessionsFeature:
    """Needs the window's `result`, `recent`, `form` and `states`; fills the View menu it is
    given."""
    return SessionsFeature(window, tasks, client_factory, view_menu)
