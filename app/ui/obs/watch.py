"""Keeps the OBS stream watcher running while it is wanted, on the window's task runner.

Wanted means: a livestream is shown and the user has saved OBS settings. New settings
restart it; closing the window cancels it with every other task.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, Signal

from app.core.obs_events import Connect, ObsStreamWatcher
from app.core.obs_settings import ObsSettings
from app.ui.tasks import TaskRunner

WATCH = "obs-watch"


class ObsStreamWatch(QObject):
    # OBS reported that its stream started (by any means).
    stream_started = Signal()
    # True while connected to OBS and listening.
    watching_changed = Signal(bool)

    def __init__(
        self,
        tasks: TaskRunner,
        connector: Callable[[ObsSettings], Connect],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._connector = connector
        self._target: ObsSettings | None = None
        # Which watcher is current: a cancelled one may still report while it closes.
        self._generation = 0
        self._watching = False
        self._closed = False

    @property
    def watching(self) -> bool:
        return self._watching

    @property
    def running(self) -> bool:
        return self._tasks.is_running(WATCH)

    def update(self, settings: ObsSettings | None, wanted: bool, *, renew: bool = False) -> None:
        """`settings` None means OBS is not set up here: nothing is watched. `renew` starts
        again even with the same settings (the password may have changed)."""
        target = settings if wanted and not self._closed else None
        if target == self._target and not (renew and target is not None):
            return
        self._stop()
        self._target = target
        if target is None:
            return
        watcher = ObsStreamWatcher(
            self._connector(target),
            self.stream_started.emit,
            on_watching=partial(self._on_watcher_watching, self._generation),
        )
        try:
            self._tasks.start(watcher.run(), name=WATCH)
        except RuntimeError:
            self._target = None  # the window is closing: its task runner takes no more

    def close(self) -> None:
        self._closed = True
        self._stop()
        self._target = None

    def _stop(self) -> None:
        self._generation += 1
        self._tasks.cancel(WATCH)
        self._set_watching(False)

    def _on_watcher_watching(self, generation: int, watching: bool) -> None:
        if generation == self._generation:
            self._set_watching(watching)

    def _set_watching(self, watching: bool) -> None:
        if watching != self._watching:
            self._watching = watching
            self.watching_changed.emit(watching)
