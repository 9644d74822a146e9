"""Follows the shown livestream: the preview asks the API, the state model hears everything.

The preview is the one place that asks the API about the shown livestream (it paces the
calls, backs off on 429, pauses while the window is off screen). This class hands it the
status check and routes what it learns into `LivestreamStateModel`, and the model's answer
back into the preview's headline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from app.core.errors import CompanionError
from app.ui.controllers.livestream_controller import LivestreamController, StatusFetch
from app.ui.controllers.livestream_state_model import LivestreamStateModel

if TYPE_CHECKING:
    from app.core.models import Livestream

# (account_id, app_id, token) of the form, or None while any is missing or invalid.
Credentials = Callable[[], tuple[str, str, str] | None]
# Words for an error (the window's describe, naming the API's host).
Describe = Callable[[CompanionError], str]
# Adds to a livestream's status check (e.g. its session's details); returns the check to use.
FetchWrapper = Callable[["Livestream", StatusFetch | None], StatusFetch | None]


class StatusFollower(QObject):
    livestream_updated = Signal(object)  # a fresh copy of the shown livestream

    def __init__(
        self,
        states: LivestreamStateModel,
        livestreams: LivestreamController,
        credentials: Credentials,
        describe: Describe,
        *,
        min_interval: float,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._states = states
        self._livestreams = livestreams
        self._credentials = credentials
        self._describe = describe
        self._min_interval = min_interval
        self._panel: Any = None
        self._wrappers: list[FetchWrapper] = []
        states.shown_state_changed.connect(self._on_shown_state_changed)

    def attach(self, panel: Any) -> None:
        """The preview panel, once loaded."""
        self._panel = panel
        panel.livestream_updated.connect(self._on_panel_livestream_updated)
        panel.status_failed.connect(self._on_panel_status_failed)
        panel.view_changed.connect(lambda v: self._states.preview_changed(v.phase, v.detail))
        panel.set_state_view(self._states.shown_view())

    def add_fetch_wrapper(self, wrapper: FetchWrapper) -> None:
        """Something else to learn with each status check of the shown livestream."""
        self._wrappers.append(wrapper)

    def follow(self, livestream: Livestream) -> bool:
        """Hands the preview the status check of this livestream (before it shows it);
        False while the preview is not loaded."""
        if self._panel is None:
            return False
        fetch = self._fetch(livestream)
        for wrapper in self._wrappers:
            fetch = wrapper(livestream, fetch)
        self._panel.set_status_fetch(fetch, min_interval=self._min_interval)
        return True

    def _fetch(self, livestream: Livestream) -> StatusFetch | None:
        credentials = self._credentials()
        if credentials is None:
            return None
        account_id, app_id, token = credentials
        return self._livestreams.status_fetch(account_id, app_id, livestream.id, token)

    def _on_panel_livestream_updated(self, livestream: Livestream) -> None:
        self._states.api_answered([livestream])
        self.livestream_updated.emit(livestream)

    def _on_panel_status_failed(self, error: CompanionError) -> None:
        if self._states.shown_id is not None:
            self._states.api_failed(self._states.shown_id, self._describe(error))

    def _on_shown_state_changed(self, view) -> None:
        if self._panel is not None:
            self._panel.set_state_view(view)
