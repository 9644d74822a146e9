"""One call for the window: the Send to OBS row with its controller and real stores, on the
livestream's card and wired to the preview and the window's state."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from app.core.livestream_state import StateView, StreamState
from app.core.obs_events import Connect, obs_connector
from app.core.obs_password import ObsPasswordStore
from app.core.obs_settings import ObsSettings, ObsSettingsStore
from app.ui.obs.controller import ObsController, PasswordStoreLike
from app.ui.obs.send_widget import ObsSendWidget
from app.ui.obs.watch import ObsStreamWatch
from app.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.ui.context import AppContext
    from app.ui.main_window import MainWindow


def mount_obs_row(window: MainWindow, tasks: TaskRunner, context: AppContext) -> ObsSendWidget:
    """Adds the row under the card's fields. Starting the stream from OBS, here or by OBS's
    own button, has the preview look for the playlist more often."""
    passwords = context.obs_password_store_factory
    row = create_obs_send_widget(
        tasks,
        window.result,
        settings_path=context.obs_settings_path,
        password_store=passwords() if passwords is not None else None,
    )
    window.result.add_action_row(row)
    row.controller.started.connect(lambda _id: window.preview_slot.expect_broadcast())
    if row.watch is not None:
        row.watch.stream_started.connect(window.preview_slot.expect_broadcast)
    row.set_livestream(window.result.livestream)

    def follow_state(view: StateView) -> None:
        # Live, as the whole window says it: starting the stream from here is moot.
        row.set_broadcast_live(view.state is StreamState.LIVE)

    window.states.shown_state_changed.connect(follow_state)
    return row


def create_obs_send_widget(
    tasks: TaskRunner,
    parent: QWidget | None = None,
    *,
    settings_path: Path | None = None,
    password_store: PasswordStoreLike | None = None,
) -> ObsSendWidget:
    """Loads the saved host and port at once (off the GUI thread); the password is read from
    the keyring only when connecting. Once settings are saved, OBS is watched while a
    livestream is shown (`widget.watch.stream_started`). Call `shutdown()` on the widget when
    the window closes."""
    passwords = password_store if password_store is not None else ObsPasswordStore()
    controller = ObsController(tasks, ObsSettingsStore(settings_path), passwords)

    def connector(settings: ObsSettings) -> Connect:
        return obs_connector(settings, controller.get_password)

    watch = ObsStreamWatch(tasks, connector)
    widget = ObsSendWidget(controller, parent, watch=watch)
    controller.setParent(widget)
    watch.setParent(widget)
    controller.request_load()
    return widget
