"""Runs Send to OBS, Start streaming in OBS and the OBS settings on the window's task runner.

Each request ends in exactly one outcome signal: `sent` or `failed` for a send,
`started` or `failed` for a start, `settings_saved` or `failed` for a save.
The settings file and the keyring are only touched off the GUI thread.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Awaitable, Callable
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from app.core.errors import CompanionError
from app.core.models import Livestream
from app.core.obs_client import DEFAULT_TIMEOUT
from app.core.obs_send import send_to_obs, start_streaming_in_obs
from app.core.obs_settings import ObsSettings, ObsSettingsStore
from app.ui.tasks import TaskRunner

LOAD = "obs-settings-load"
SAVE = "obs-settings-save"
SEND = "obs-send"
START = "obs-start-stream"


class PasswordStoreLike(Protocol):
    async def get_password(self) -> str | None: ...
    # Returns where the password went: a SecretLocation (an enum with string values).
    async def set_password(self, password: str) -> enum.Enum: ...
    def close(self) -> None: ...


class ObsController(QObject):
    settings_loaded = Signal(object)  # ObsSettings
    # (ObsSettings, where the password went: "keyring", "memory", "none", or "" when it was
    # left as it was)
    settings_saved = Signal(object, str)
    busy_changed = Signal(bool)
    sent = Signal(str, object)  # (livestream id, ObsSendResult)
    started = Signal(str)  # livestream id
    # (what failed: SEND, START or SAVE; the livestream id, "" for SAVE; the CompanionError)
    failed = Signal(str, str, object)

    def __init__(
        self,
        tasks: TaskRunner,
        settings_store: ObsSettingsStore,
        password_store: PasswordStoreLike,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._settings_store = settings_store
        self._passwords = password_store
        self._timeout = timeout
        self.settings = ObsSettings()
        # False until the user has saved OBS settings (on this or an earlier run).
        self.configured = False
        self._loaded = False
        self._busy = False

    @property
    def busy(self) -> bool:
        """True from a send or start request until its outcome signal."""
        return self._busy

    def request_load(self) -> None:
        self._tasks.start(self.load(), name=LOAD)

    def request_save(self, settings: ObsSettings, password: str | None) -> None:
        """`password` None keeps the saved one; "" forgets it."""
        self._tasks.start(self.save(settings, password), name=SAVE)

    def request_send(self, livestream: Livestream) -> None:
        if not self._busy:
            self._busy = True  # at once: a second click before the task runs is ignored
            self._tasks.start(self.send(livestream), name=SEND)

    def request_start(self, livestream: Livestream) -> None:
        if not self._busy:
            self._busy = True
            self._tasks.start(self.start(livestream), name=START)

    @property
    def saved_settings(self) -> ObsSettings | None:
        """The settings when the user has saved some, else None (OBS is not used here)."""
        return self.settings if self.configured else None

    async def get_password(self) -> str | None:
        return await self._passwords.get_password()

    async def load(self) -> ObsSettings:
        self.settings, self.configured = await asyncio.to_thread(self._read_settings)
        self._loaded = True
        self.settings_loaded.emit(self.settings)
        return self.settings

    async def save(self, settings: ObsSettings, password: str | None) -> None:
        try:
            await asyncio.to_thread(self._settings_store.save, settings)
            location = None if password is None else await self._passwords.set_password(password)
        except OSError as error:
            self.failed.emit(
                SAVE, "", CompanionError(f"The OBS settings could not be saved: {error}")
            )
            return
        except CompanionError as error:
            self.failed.emit(SAVE, "", error)
            return
        self.settings, self._loaded, self.configured = settings, True, True
        self.settings_saved.emit(settings, "" if location is None else location.value)

    def _read_settings(self) -> tuple[ObsSettings, bool]:
        return self._settings_store.load(), self._settings_store.is_saved()

    async def send(self, livestream: Livestream) -> None:
        async def operation() -> None:
            result = await send_to_obs(
                self.settings,
                await self._passwords.get_password(),
                livestream,
                timeout=self._timeout,
            )
            self.sent.emit(livestream.id, result)

        await self._run_busy(SEND, livestream.id, operation)

    async def start(self, livestream: Livestream) -> None:
        async def operation() -> None:
            await start_streaming_in_obs(
                self.settings,
                await self._passwords.get_password(),
                livestream,
                timeout=self._timeout,
            )
            self.started.emit(livestream.id)

        await self._run_busy(START, livestream.id, operation)

    async def _run_busy(
        self, what: str, livestream_id: str, operation: Callable[[], Awaitable[None]]
    ) -> None:
        self._busy = True
        self.busy_changed.emit(True)
        try:
            if not self._loaded:
                await self.load()
            await operation()
        except CompanionError as error:
            self.failed.emit(what, livestream_id, error)
        finally:
            self._busy = False
            self.busy_changed.emit(False)

    def close(self) -> None:
        self._passwords.close()
