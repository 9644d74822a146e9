"""One call for the window: the Send to OBS row with its controller and real stores."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.core.obs_events import Connect, obs_connector
from app.core.obs_password import ObsPasswordStore
from app.core.obs_settings import ObsSettings, ObsSettingsStore
from app.ui.obs.controller import ObsController, PasswordStoreLike
from app.ui.obs.send_widget import ObsSendWidget
from app.ui.obs.watch import ObsStreamWatch
from app.ui.tasks import TaskRunner


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
