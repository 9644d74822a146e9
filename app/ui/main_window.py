"""The one window: the form and results on the left, the preview on the right (or below).

Widgets emit intent, controllers do the work and report one outcome each; this class wires
the two together and decides what the streamer sees.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QMainWindow

from app.core.errors import CompanionError, CreateUnconfirmedError, RateLimitedError
from app.core.safe_text import safe_text
from app.ui.bootstrap import format_exception
from app.ui.clipboard import SecretClipboard
from app.ui.context import AppContext
from app.ui.controllers.credentials_controller import CredentialsController
from app.ui.controllers.livestream_controller import LivestreamController
from app.ui.controllers.livestream_state_model import LivestreamStateModel
from app.ui.controllers.recent_follower import RecentFollower
from app.ui.controllers.status_follower import StatusFollower
from app.ui.controllers.token_controller import TokenController
from app.ui.error_text import describe, service_name
from app.ui.main_layout import (
    WindowParts,
    build_layout,
    build_menus,
    set_reading_order,
    show_notice,
)
from app.ui.tasks import TaskRunner
from app.ui.widgets.copy_field import CopyField
from app.ui.window_fit import arrange_for_screen, fit_to_screen
from app.ui.window_settings import restore_settings, save_settings

if TYPE_CHECKING:
    import asyncio

    from app.core.models import Livestream
    from app.ui.crash_dialog import CrashDialog
    from app.ui.obs.send_widget import ObsSendWidget
    from app.ui.sessions.mount import SessionsFeature
    from app.ui.settings import AppSettings

log = logging.getLogger(__name__)

# Wait until typing pauses before asking the keyring or the API.
FOLLOW_TYPING_MS = 500
DEMO_WAITING_HINT = "In demo mode the test pattern begins in a few seconds, no OBS needed."


class MainWindow(QMainWindow, WindowParts):
    # After the asynchronous shutdown has finished: the app may end.
    closed = Signal()

    # Mounted by start(), after the first paint.
    obs_row: ObsSendWidget | None

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self._context = context
        self._settings = context.settings
        self._demo = context.demo
        self._service = service_name(context.api_base_url)
        self._tasks = TaskRunner(self)
        self.livestreams = LivestreamController(
            context.client_factory, self._tasks, self, form_token=lambda: self.form.token_text()
        )
        self.tokens = TokenController(
            context.token_store_factory, self._tasks, self, verify=self._verify_token
        )
        self.states = LivestreamStateModel(self)
        self.clipboard = SecretClipboard(self._settings.clipboard_clear_s, self)
        self._shutdown_task: asyncio.Task | None = None
        self._shut_down = False
        self._crash_dialogs: list[CrashDialog] = []
        self.obs_row = None
        build_layout(self)
        self.credentials = CredentialsController(self.form, self.tokens, self.livestreams, self)
        words = self._error_title
        self.status = StatusFollower(
            self.states,
            self.livestreams,
            self._current_credentials,
            words,
            min_interval=context.watch_interval_s,
            parent=self,
        )
        self.recents = RecentFollower(
            self.recent, self.livestreams, self.states, self._current_credentials, words, self
        )
        self._view_menu = build_menus(self)
        # Mounted by finish_building(), after the first paint: nothing of it shows before a
        # livestream is on the card.
        self.sessions: SessionsFeature | None = None
        self._follow_account = self._debounce(self._on_account_settled)
        self._follow_app = self._debounce(self._refresh_recent)
        self.recents.rate_limited.connect(self.show_error)
        self._connect_signals()
        restore_settings(self)
        show_notice(self)

    @property
    def app_settings(self) -> AppSettings:
        return self._settings

    def _debounce(self, slot) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(FOLLOW_TYPING_MS)
        timer.timeout.connect(slot)
        return timer

    def _connect_signals(self) -> None:
        form = self.form
        form.create_requested.connect(self._on_form_create_requested)
        form.cancel_requested.connect(self.livestreams.cancel_create)
        form.account_changed.connect(lambda _id: self._follow_account.start())
        form.app_changed.connect(lambda _id: self._follow_app.start())
        form.token_edited.connect(self._follow_app.start)
        form.field_edited.connect(self._on_form_field_edited)

        ls = self.livestreams
        ls.answered.connect(self._on_api_answered)
        ls.create_started.connect(self._on_create_started)
        ls.livestream_created.connect(self._on_livestream_created)
        ls.create_failed.connect(self._on_create_failed)
        ls.create_cancelled.connect(self._on_create_cancelled)

        creds = self.credentials
        creds.token_ready.connect(self._refresh_recent)
        creds.token_works.connect(lambda: self._on_api_answered(True))
        creds.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        creds.failed.connect(self.show_error)

        self.states.shown_state_changed.connect(self.result.show_state)
        self.status.livestream_updated.connect(self._on_livestream_updated)

        self.result.copy_requested.connect(self._on_result_copy_requested)
        self.recent.livestream_selected.connect(self._on_recent_livestream_selected)
        self.error_banner.retry_allowed.connect(lambda: self.form.set_blocked(False))
        self.clipboard.cleared.connect(
            lambda: self.statusBar().showMessage("The copied stream key was cleared.", 5000)
        )
        self._tasks.task_failed.connect(self._on_task_failed)

    @property
    def preview(self):
        """The preview panel once loaded (after start()), else its slot."""
        return self.preview_slot.panel or self.preview_slot

    # --- starting and stopping -----------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        arrange_for_screen(self, self.splitter)
        layout = self.layout()
        if layout is not None:
            layout.activate()  # the minimum size of that orientation, before fitting
        fit_to_screen(self)

    def finish_building(self) -> None:
        """Adds what the first paint does not show, without an event loop: the sessions
        feature (the View menu's items, the card's session row, the Recent list's menu)."""
        if self.sessions is not None:
            return
        from app.ui.sessions.mount import mount_sessions

        self.sessions = mount_sessions(
            self, self._tasks, self._context.client_factory, self._view_menu
        )
        self.status.add_fetch_wrapper(self.sessions.follow)

    def start(self) -> None:
        """Loads what the first paint did not need: the preview, the keyring check, the
        saved token, recent livestreams."""
        self.finish_building()
        http_factory = self._context.http_factory
        panel = self.preview_slot.load(http=http_factory() if http_factory else None)
        self.status.attach(panel)
        if self._demo:
            # Nothing listens on the demo's ingest server: the emulator broadcasts by itself.
            panel.set_waiting_hint(DEMO_WAITING_HINT)
        self._mount_obs_row()
        set_reading_order(self)
        shown = self.result.livestream
        if shown is not None:
            # Shown before the preview loaded: show it again, now with its status followed.
            self.status.follow(shown)
            self.preview_slot.show_livestream(shown)
        self.tokens.request_check()
        self._follow_account.stop()
        self._on_account_settled()

    def _mount_obs_row(self) -> None:
        if self.obs_row is None:
            from app.ui.obs.mount import mount_obs_row

            self.obs_row = mount_obs_row(self, self._tasks, self._context)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._shut_down:
            event.accept()
            return
        import asyncio  # here, not above: the window paints before asyncio loads

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            # The event loop is already gone (the process is ending): tidy up what
            # needs no loop and let the window close.
            save_settings(self)
            self.clipboard.clear_if_ours()
            event.accept()
            return
        event.ignore()
        if self._shutdown_task is None:
            self._shutdown_task = loop.create_task(self.shutdown(), name="shutdown")
            self._shutdown_task.add_done_callback(self._on_shutdown_done)

    def _on_shutdown_done(self, task: asyncio.Task) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("shutdown failed", exc_info=task.exception())
            # Never leave the user with a window that will not close.
            self._shut_down = True
            self.close()
            self.closed.emit()

    async def shutdown(self) -> None:
        """Saves settings, stops every task and the preview, clears our clipboard secret."""
        save_settings(self)
        self._follow_account.stop()
        self._follow_app.stop()
        await self._tasks.shutdown()
        if self.obs_row is not None:
            self.obs_row.shutdown()
        await self.preview_slot.shutdown()
        self.clipboard.clear_if_ours()
        self._shut_down = True
        self.close()
        self.closed.emit()

    # --- creating ------------------------------------------------------------------

    def _on_form_create_requested(self) -> None:
        if self.livestreams.creating:
            return  # a second click while one runs does nothing
        values = self.form.values()
        if values is None:
            return
        if not self.error_banner.is_waiting:
            self.error_banner.clear()
        self.livestreams.request_create(values.account_id, values.app_id, values.name, values.token)

    def _on_create_started(self) -> None:
        self.form.set_busy(True)
        self.statusBar().showMessage("Creating the livestream\u2026")

    def _on_livestream_created(self, livestream: Livestream) -> None:
        self.form.set_busy(False)
        self.statusBar().showMessage(
            f"Livestream \u201c{safe_text(livestream.name or livestream.id)}\u201d created.", 8000
        )
        self.show_livestream(livestream)
        self._refresh_recent()

    def _on_create_failed(self, error: CompanionError) -> None:
        self.form.set_busy(False)
        self.statusBar().clearMessage()
        self.show_error(error)
        if isinstance(error, CreateUnconfirmedError):
            self._refresh_recent()  # it may be there after all

    def _on_create_cancelled(self) -> None:
        self.form.set_busy(False)
        self.statusBar().clearMessage()
        self.error_banner.show_message(
            "cancelled",
            "Cancelled",
            f"Stopped waiting for {self._service}. If the request had already reached it, the "
            "livestream appears under Recent livestreams.",
            accent="warning",
        )
        self._refresh_recent()

    def show_livestream(self, livestream: Livestream) -> None:
        # The state model first: everything shown next renders its view.
        self.states.show(livestream)
        self.result.show_livestream(livestream)
        self.status.follow(livestream)
        self.preview_slot.show_livestream(livestream)
        if self.obs_row is not None:
            self.obs_row.set_livestream(livestream)

    def _on_livestream_updated(self, livestream: Livestream) -> None:
        self.result.update_livestream(livestream)
        # With the token the livestream is followed with, which need not be the form's.
        self._on_api_answered(False)
        self.recents.api_answered()
        if self.obs_row is not None and self.result.livestream is livestream:
            self.obs_row.set_livestream(livestream)

    # --- errors --------------------------------------------------------------------

    def show_error(self, error: CompanionError) -> None:
        text = describe(error, self._service)
        self.error_banner.show_message(
            text.kind,
            text.title,
            text.message,
            retry_after=text.retry_after,
            subject=text.subject,
            field=text.field,
        )
        if isinstance(error, RateLimitedError):
            self.form.set_blocked(True)
        if text.field and text.field in self.form.errors and text.kind == "invalid_input":
            self.form.show_field_error(text.field, text.message)

    def _on_form_field_edited(self, field: str) -> None:
        self.error_banner.clear_about(("input",), field)
        if field in ("token", "account_id"):
            # A token is accepted or not for an account: either may have been the cause.
            self.error_banner.clear_about(("token",))

    def _on_api_answered(self, with_form_token: bool) -> None:
        # Whatever kept the API from answering is over; a token problem only if the answer
        # was to the token in the form.
        subjects = ("token", "connection") if with_form_token else ("connection",)
        self.error_banner.clear_about(subjects)

    def _on_task_failed(self, name: str, error: BaseException) -> None:
        self.show_crash(format_exception(type(error), error, error.__traceback__))
        # Whatever was running is over: the form must not stay busy.
        if not self.livestreams.creating:
            self.form.set_busy(False)

    def show_crash(self, details: str) -> None:
        from app.ui.crash_dialog import CrashDialog

        dialog = CrashDialog(details, self)
        dialog.finished.connect(lambda _r, d=dialog: self._crash_dialogs.remove(d))
        self._crash_dialogs.append(dialog)
        dialog.show()

    # --- the token, apps and recent livestreams --------------------------------------

    def _current_credentials(self) -> tuple[str, str, str] | None:
        account_id, app_id = self.form.valid_account_id(), self.form.valid_app_id()
        token = self.form.token_text()
        return (account_id, app_id, token) if account_id and app_id and token else None

    def _error_title(self, error: CompanionError) -> str:
        return describe(error, self._service).title

    def _refresh_recent(self) -> None:
        self.recents.refresh()

    def _verify_token(self, account_id: str, token: str):
        return self._context.client_factory(token).verify_token(account_id)

    def _on_account_settled(self) -> None:
        self.credentials.account_settled()
        self._refresh_recent()

    def _on_recent_livestream_selected(self, livestream: Livestream) -> None:
        self.show_livestream(livestream)
        self.statusBar().showMessage(
            f"Showing \u201c{safe_text(livestream.name or livestream.id)}\u201d again.", 5000
        )

    # --- clipboard -----------------------------------------------------------------

    def _on_result_copy_requested(self, value: str, secret: bool, field: CopyField) -> None:
        if secret:
            self.clipboard.copy_secret(value)
            after = self.clipboard.clear_after_s
            when = f"in {after} s" if after else "when you quit"
            self.statusBar().showMessage(f"Stream key copied; the clipboard clears {when}.", 5000)
        else:
            self.clipboard.copy_text(value)
            self.statusBar().showMessage("Copied.", 3000)
        field.show_copied()

    def on_clipboard_time_chosen(self, seconds: int) -> None:
        self.clipboard.set_clear_after(seconds)
        self._settings.clipboard_clear_s = seconds
