"""Keeps the Recent livestreams list in step with the form's account, app and token.

A list that loaded stays when a later refresh fails, marked with the time of the failure; the
rows say each livestream's state from the state model.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app.core.errors import CompanionError, RateLimitedError
from app.core.livestream_state import clock_time, utc_now
from app.ui.controllers.livestream_controller import LivestreamController
from app.ui.controllers.livestream_state_model import LivestreamStateModel
from app.ui.controllers.status_follower import Credentials
from app.ui.widgets.recent_list import RecentLivestreamsWidget


class RecentFollower(QObject):
    rate_limited = Signal(object)  # RateLimitedError: it must hold back Create too

    def __init__(
        self,
        widget: RecentLivestreamsWidget,
        livestreams: LivestreamController,
        states: LivestreamStateModel,
        credentials: Credentials,
        describe: Callable[[CompanionError], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._widget = widget
        self._states = states
        self._livestreams = livestreams
        self._credentials = credentials
        self._describe = describe
        self._listed_for: tuple[str, str] | None = None
        livestreams.recent_loaded.connect(self._on_loaded)
        livestreams.recent_failed.connect(self._on_failed)
        states.state_changed.connect(widget.show_state)
        widget.refresh_requested.connect(self._on_refresh_requested)

    def refresh(self) -> bool:
        """Lists the form's app again; False while the form lacks what it takes."""
        credentials = self._credentials()
        if credentials is None:
            return False
        self._widget.set_loading()
        self._livestreams.request_recent(*credentials)
        return True

    def _current_ids(self) -> tuple[str, str] | None:
        credentials = self._credentials()
        return credentials[:2] if credentials is not None else None

    def _on_refresh_requested(self) -> None:
        if not self.refresh():
            self._widget.set_placeholder("Enter a valid account ID, app ID and token first.")

    def _on_loaded(self, account_id: str, app_id: str, livestreams: list) -> None:
        if (account_id, app_id) != self._current_ids():
            return  # the user moved on to another app meanwhile
        self._states.api_answered(livestreams)
        self._widget.set_livestreams(livestreams, self._states.views())
        self._listed_for = (account_id, app_id)

    def _on_failed(self, error: CompanionError) -> None:
        # Listing runs by itself as the user types: a note in the list, not a banner,
        # except for a rate limit.
        if isinstance(error, RateLimitedError):
            self.rate_limited.emit(error)
        words = self._describe(error)
        if self._listed_for == self._current_ids() and self._widget.livestreams():
            # The last list stays: older facts beat none, said as such.
            when = clock_time(utc_now())
            self._widget.set_placeholder(f"Could not refresh at {when}: {words}.")
            return
        self._widget.set_livestreams([], {})
        self._widget.set_placeholder(f"Could not load them: {words}.")
