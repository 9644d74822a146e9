"""The one window: the form and results on the left, the preview on the right.

Widgets emit intent, controllers do the work and report one outcome each; this
class wires the two together and decides what the streamer sees.
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import about
from app.core.errors import CompanionError, CreateUnconfirmedError, RateLimitedError
from app.core.models import Livestream, RealtimeApp
from app.core.safe_text import safe_text
from app.ui.bootstrap import app_icon, format_exception
from app.ui.clipboard import SecretClipboard
from app.ui.context import AppContext
from app.ui.controllers.livestream_controller import LivestreamController
from app.ui.controllers.token_controller import TokenController, TokenPlace
from app.ui.crash_dialog import CrashDialog
from app.ui.error_text import describe
from app.ui.preview.options import add_preview_options
from app.ui.preview_slot import PreviewSlot
from app.ui.tasks import TaskRunner
from app.ui.widgets.banner import Banner
from app.ui.widgets.copy_field import CopyField
from app.ui.widgets.credentials_form import CredentialsForm
from app.ui.widgets.recent_list import RecentLivestreamsWidget
from app.ui.widgets.result_panel import ResultPanel

log = logging.getLogger(__name__)

# Wait until typing pauses before asking the keyring or the API.
FOLLOW_TYPING_MS = 500
CLIPBOARD_CHOICES_S = (15, 30, 60, 120, 0)
DEFAULT_SIZE = (1120, 760)
PREVIEW_MIN_WIDTH = 420
# The form gets the larger share: its fields hold long IDs and URLs.
DEFAULT_SPLIT = (620, 480)
DEMO_TITLE = "Demo mode: nothing is sent to Cloudflare"
DEMO_WAITING_HINT = "In demo mode the test pattern begins in a few seconds, no OBS needed."
DEMO_TEXT = (
    "A local emulator answers instead, and each livestream you create plays a test pattern "
    "a few seconds later."
)


class MainWindow(QMainWindow):
    # After the asynchronous shutdown has finished: the app may end.
    closed = Signal()

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self._context = context
        self._settings = context.settings
        self._demo = context.demo
        self._tasks = TaskRunner(self)
        self.livestreams = LivestreamController(context.client_factory, self._tasks, self)
        self.tokens = TokenController(context.token_store_factory, self._tasks, self)
        self.clipboard = SecretClipboard(self._settings.clipboard_clear_s, self)
        self._token_place = TokenPlace.NONE
        self._token_account = ""
        self._shutdown_task: asyncio.Task | None = None
        self._shut_down = False
        self._crash_dialogs: list[CrashDialog] = []
        # The Send to OBS row: mounted by start(), after the first paint.
        self.obs_row = None
        self._build_ui()
        self._build_menus()
        self._connect_signals()
        self._restore_settings()

    # --- building ------------------------------------------------------------------

    def _build_ui(self) -> None:
        # Qt adds the application name to the title: " — Livestream Companion".
        self.setWindowTitle("Demo mode" if self._demo else about.DISPLAY_NAME)
        icon = app_icon()
        if icon is not None:
            self.setWindowIcon(icon)
        self.demo_banner = Banner(self, closable=False)
        self.error_banner = Banner(self)
        self.form = CredentialsForm(self)
        self.result = ResultPanel(self)
        self.recent = RecentLivestreamsWidget(self)
        self.preview_slot = PreviewSlot(self)
        # Room for the preview's own controls (sound, external player, detach).
        self.preview_slot.setMinimumWidth(PREVIEW_MIN_WIDTH)

        left = QWidget(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 6, 0)
        column.addWidget(self.form)
        column.addWidget(self.result)
        column.addWidget(self.recent, 1)
        # No scroll area: it sizes wrapped labels for its narrowest width and then
        # scrolls a column that fits; the recent list is what shrinks instead.
        left.setMinimumWidth(480)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.preview_slot)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(10, 8, 10, 4)
        outer.addWidget(self.demo_banner)
        outer.addWidget(self.error_banner)
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.statusBar()
        self.resize(*DEFAULT_SIZE)
        self.splitter.setSizes(list(DEFAULT_SPLIT))

        self._follow_account = self._debounce(self._on_account_settled)
        self._follow_app = self._debounce(self._on_app_settled)
        if self._demo:
            self.demo_banner.show_message("demo", DEMO_TITLE, DEMO_TEXT, accent="info")

    def _debounce(self, slot) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(FOLLOW_TYPING_MS)
        timer.timeout.connect(slot)
        return timer

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        options = self.menuBar().addMenu("&Options")
        clear_menu = options.addMenu("&Clear copied stream key after")
        group = QActionGroup(self)
        self.clipboard_actions: dict[int, QAction] = {}
        for seconds in CLIPBOARD_CHOICES_S:
            action = QAction(f"{seconds} seconds" if seconds else "Only when quitting", self)
            action.setCheckable(True)
            action.setChecked(seconds == self.clipboard.clear_after_s)
            action.triggered.connect(lambda _=False, s=seconds: self._on_clipboard_time_chosen(s))
            group.addAction(action)
            clear_menu.addAction(action)
            self.clipboard_actions[seconds] = action
        self.viewers_start_action = add_preview_options(options, self._settings, self.preview_slot)

    def _connect_signals(self) -> None:
        form = self.form
        form.create_requested.connect(self._on_form_create_requested)
        form.cancel_requested.connect(self._on_form_cancel_requested)
        form.load_apps_requested.connect(self._on_form_load_apps_requested)
        form.save_token_requested.connect(self._on_form_save_token_requested)
        form.forget_token_requested.connect(self._on_form_forget_token_requested)
        form.account_changed.connect(lambda _id: self._follow_account.start())
        form.app_changed.connect(lambda _id: self._follow_app.start())
        form.token_edited.connect(self._on_form_token_edited)

        ls = self.livestreams
        ls.create_started.connect(self._on_create_started)
        ls.livestream_created.connect(self._on_livestream_created)
        ls.create_failed.connect(self._on_create_failed)
        ls.create_cancelled.connect(self._on_create_cancelled)
        ls.apps_loaded.connect(self._on_apps_loaded)
        ls.apps_failed.connect(self._on_apps_failed)
        ls.recent_loaded.connect(self._on_recent_loaded)
        ls.recent_failed.connect(self._on_recent_failed)

        tokens = self.tokens
        tokens.backend_checked.connect(lambda *_: self._render_token_place())
        tokens.token_loaded.connect(self._on_token_loaded)
        tokens.token_saved.connect(self._on_token_saved)
        tokens.token_forgotten.connect(self._on_token_forgotten)
        tokens.token_failed.connect(self.show_error)

        self.result.copy_requested.connect(self._on_result_copy_requested)
        self.recent.livestream_selected.connect(self._on_recent_livestream_selected)
        self.recent.refresh_requested.connect(self._on_recent_refresh_requested)
        self.error_banner.retry_allowed.connect(self._on_banner_retry_allowed)
        self.clipboard.cleared.connect(
            lambda: self.statusBar().showMessage("The copied stream key was cleared.", 5000)
        )
        self._tasks.task_failed.connect(self._on_task_failed)

    @property
    def preview(self):
        """The preview panel once loaded (after start()), else its slot."""
        return self.preview_slot.panel or self.preview_slot

    # --- starting and stopping -----------------------------------------------------

    def _restore_settings(self) -> None:
        s = self._settings
        if s.geometry is not None:
            self.restoreGeometry(s.geometry)
        if s.splitter_state is not None:
            self.splitter.restoreState(s.splitter_state)
        if self._demo:
            d = self._demo
            self.form.set_values(d.account_id, d.app_id, d.stream_name)
            self.form.set_token(d.token)
            self._set_token_place(TokenPlace.DEMO)
        else:
            self.form.set_values(s.account_id, s.app_id, s.stream_name)
            self._set_token_place(TokenPlace.NONE)

    def start(self) -> None:
        """Loads what the first paint did not need: the preview, the keyring check, the
        saved token, recent livestreams."""
        http_factory = self._context.http_factory
        self.preview_slot.load(http=http_factory() if http_factory else None)
        self._connect_preview()
        self._mount_obs_row()
        self.tokens.request_check()
        self._follow_account.stop()
        self._on_account_settled()

    def _connect_preview(self) -> None:
        panel = self.preview_slot.panel
        updated = getattr(panel, "livestream_updated", None)
        if updated is not None:
            updated.connect(self._on_livestream_updated)
        set_waiting_hint = getattr(panel, "set_waiting_hint", None)
        if self._demo and set_waiting_hint is not None:
            # Nothing listens on the demo's ingest server: the emulator broadcasts by itself.
            set_waiting_hint(DEMO_WAITING_HINT)
        shown = self.result.livestream
        if shown is not None:
            # Shown before the preview loaded: show it again, now with its status followed.
            self._follow_status(shown)
            self.preview_slot.show_livestream(shown)

    def _mount_obs_row(self) -> None:
        if self.obs_row is not None:
            return
        from app.ui.obs.mount import create_obs_send_widget

        self.obs_row = create_obs_send_widget(
            self._tasks, self.result, settings_path=self._context.obs_settings_path
        )
        self.result.add_action_row(self.obs_row)
        # OBS was told to start streaming: the preview looks for the playlist more often.
        self.obs_row.controller.started.connect(lambda _id: self.preview_slot.expect_broadcast())
        self.obs_row.set_livestream(self.result.livestream)

    def _save_settings(self) -> None:
        s = self._settings
        s.geometry = self.saveGeometry()
        s.splitter_state = self.splitter.saveState()
        s.clipboard_clear_s = self.clipboard.clear_after_s
        if not self._demo:
            # Only what the user typed in ordinary fields: never the token or a key.
            s.account_id = self.form.account_edit.text().strip()
            s.app_id = self.form.app_id_text()
            s.stream_name = self.form.name_edit.text().strip()
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._shut_down:
            event.accept()
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            # The event loop is already gone (the process is ending): tidy up what
            # needs no loop and let the window close.
            self._save_settings()
            self.clipboard.clear_if_ours()
            event.accept()
            return
        event.ignore()
        if self._shutdown_task is None:
            self._shutdown_task = loop.create_task(self.shutdown(), name="shutdown")
            self._shutdown_task.add_done_callback(self._on_shutdown_done)

    def _on_shutdown_done(self, task: asyncio.Task) -> None:
        if not task.cancelled() and task.exception() is not None:
            error = task.exception()
            log.error("shutdown failed", exc_info=error)
            # Never leave the user with a window that will not close.
            self._shut_down = True
            self.close()
            self.closed.emit()

    async def shutdown(self) -> None:
        """Saves settings, stops every task and the preview, clears our clipboard secret."""
        self._save_settings()
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

    def _on_form_cancel_requested(self) -> None:
        self.livestreams.cancel_create()

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
            "Stopped waiting for Cloudflare. If the request had already reached it, the "
            "livestream appears under Recent livestreams.",
            accent="warning",
        )
        self._refresh_recent()

    def show_livestream(self, livestream: Livestream) -> None:
        self.result.show_livestream(livestream)
        self._follow_status(livestream)
        self.preview_slot.show_livestream(livestream)
        if self.obs_row is not None:
            self.obs_row.set_livestream(livestream)

    def _follow_status(self, livestream: Livestream) -> None:
        """The preview is the one place that asks the API about the shown livestream: it
        paces the calls, backs off on 429 and pauses while this window is not on screen;
        its answers come back through `_on_livestream_updated`."""
        set_status_fetch = getattr(self.preview_slot.panel, "set_status_fetch", None)
        if set_status_fetch is None:
            return  # not loaded yet: start() shows the livestream again
        ids, token = self._current_ids(), self.form.token_text()
        fetch = (
            self.livestreams.status_fetch(ids[0], ids[1], livestream.id, token)
            if ids is not None and token
            else None
        )
        set_status_fetch(fetch, min_interval=self._context.watch_interval_s)

    def _on_livestream_updated(self, livestream: Livestream) -> None:
        self.result.update_status(livestream)
        self.recent.update_livestream(livestream)
        if self.obs_row is not None and self.result.livestream is livestream:
            self.obs_row.set_livestream(livestream)
            self.obs_row.set_broadcast_live(livestream.is_live)

    # --- errors --------------------------------------------------------------------

    def show_error(self, error: CompanionError) -> None:
        text = describe(error)
        self.error_banner.show_message(
            text.kind, text.title, text.message, retry_after=text.retry_after
        )
        if isinstance(error, RateLimitedError):
            self.form.set_blocked(True)
        if text.field and text.field in self.form.errors and text.kind == "invalid_input":
            self.form.show_field_error(text.field, text.message)

    def _on_banner_retry_allowed(self) -> None:
        self.form.set_blocked(False)

    def _on_task_failed(self, name: str, error: BaseException) -> None:
        self.show_crash(format_exception(type(error), error, error.__traceback__))
        # Whatever was running is over: the form must not stay busy.
        if not self.livestreams.creating:
            self.form.set_busy(False)

    def show_crash(self, details: str) -> None:
        dialog = CrashDialog(details, self)
        dialog.finished.connect(lambda _r, d=dialog: self._crash_dialogs.remove(d))
        self._crash_dialogs.append(dialog)
        dialog.show()

    # --- apps and recent livestreams -----------------------------------------------

    def _current_ids(self) -> tuple[str, str] | None:
        account_id, app_id = self.form.valid_account_id(), self.form.valid_app_id()
        return (account_id, app_id) if account_id and app_id else None

    def _on_form_load_apps_requested(self) -> None:
        values = self.form.values(fields=("account_id", "token"))
        if values is None:
            return
        self.form.set_loading_apps(True)
        self.livestreams.request_apps(values.account_id, values.token)

    def _on_apps_loaded(self, apps: list[RealtimeApp]) -> None:
        self.form.set_loading_apps(False)
        self.form.set_apps(apps)
        if not apps:
            self.statusBar().showMessage("This account has no RealtimeKit apps yet.", 8000)

    def _on_apps_failed(self, error: CompanionError) -> None:
        self.form.set_loading_apps(False)
        self.show_error(error)

    def _on_app_settled(self) -> None:
        self._refresh_recent()

    def _on_recent_refresh_requested(self) -> None:
        if not self._refresh_recent():
            self.recent.set_placeholder("Enter a valid account ID, app ID and token first.")

    def _refresh_recent(self) -> bool:
        ids = self._current_ids()
        token = self.form.token_text()
        if ids is None or not token:
            return False
        self.recent.set_loading()
        self.livestreams.request_recent(ids[0], ids[1], token)
        return True

    def _on_recent_loaded(self, account_id: str, app_id: str, livestreams: list) -> None:
        if (account_id, app_id) != self._current_ids():
            return  # the user moved on to another app meanwhile
        self.recent.set_livestreams(livestreams)

    def _on_recent_failed(self, error: CompanionError) -> None:
        # Listing runs by itself as the user types: a note in the list, not a banner,
        # except for a rate limit, which must hold back the Create button too.
        if isinstance(error, RateLimitedError):
            self.show_error(error)
        self.recent.set_livestreams([])
        self.recent.set_placeholder(f"Could not load them: {describe(error).title.lower()}.")

    def _on_recent_livestream_selected(self, livestream: Livestream) -> None:
        self.show_livestream(livestream)
        self.statusBar().showMessage(
            f"Showing \u201c{livestream.name or livestream.id}\u201d again.", 5000
        )

    # --- the token -----------------------------------------------------------------

    def _on_account_settled(self) -> None:
        account_id = self.form.valid_account_id()
        # Another account: its own saved token, unless the user typed one.
        if (
            account_id
            and not self.tokens.is_demo
            and self._token_account != account_id
            and self._token_place is not TokenPlace.UNSAVED
        ):
            self.tokens.request_load(account_id)
        self._render_token_place()
        self._refresh_recent()

    def _on_form_token_edited(self) -> None:
        if self.tokens.is_demo:
            return
        self._set_token_place(TokenPlace.UNSAVED if self.form.token_text() else TokenPlace.NONE)
        self._follow_app.start()

    def _on_form_save_token_requested(self) -> None:
        values = self.form.values(fields=("account_id", "token"))
        if values is not None:
            self.tokens.request_save(values.account_id, values.token)

    def _on_form_forget_token_requested(self) -> None:
        values = self.form.values(fields=("account_id",))
        if values is not None:
            self.tokens.request_forget(values.account_id)

    def _on_token_loaded(self, account_id: str, token: str, place: TokenPlace) -> None:
        if account_id != self.form.valid_account_id() or self._token_place is TokenPlace.UNSAVED:
            return
        self._token_account = account_id
        self.form.set_token(token)
        self._set_token_place(place)
        self._refresh_recent()

    def _on_token_saved(self, account_id: str, place: TokenPlace) -> None:
        self._token_account = account_id
        self._set_token_place(place)
        self.statusBar().showMessage(self._token_place_text(place), 5000)

    def _on_token_forgotten(self, account_id: str) -> None:
        self._token_account = account_id
        self.form.set_token("")
        self._set_token_place(TokenPlace.NONE)
        self.statusBar().showMessage("The token was forgotten.", 5000)

    def _set_token_place(self, place: TokenPlace) -> None:
        self._token_place = place
        self._render_token_place()

    def _render_token_place(self) -> None:
        place = self._token_place
        has_token = bool(self.form.token_text())
        self.form.set_token_place(
            self._token_place_text(place),
            can_save=place is TokenPlace.UNSAVED and has_token,
            can_forget=place in (TokenPlace.KEYRING, TokenPlace.SESSION),
        )

    def _token_place_text(self, place: TokenPlace) -> str:
        backend = self.tokens.backend_name
        usable = self.tokens.backend_usable
        if place is TokenPlace.DEMO:
            return "Demo token: kept in memory only, never saved."
        if place is TokenPlace.KEYRING:
            return f"Saved in {backend}."
        if place is TokenPlace.SESSION or (place is TokenPlace.UNSAVED and not usable):
            return "Kept for this session only: no keyring available."
        if place is TokenPlace.UNSAVED:
            return f"Not saved: click Save to keep it in {backend}."
        if not usable:
            return "No keyring available: a token you enter is kept for this session only."
        if not self.form.valid_account_id():
            return f"Paste a token; Save keeps it in {backend}."
        return f"No token saved in {backend} for this account."

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

    def _on_clipboard_time_chosen(self, seconds: int) -> None:
        self.clipboard.set_clear_after(seconds)
        self._settings.clipboard_clear_s = seconds
