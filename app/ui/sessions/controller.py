"""Asks the core client about sessions and usage; one outcome signal per operation.

The shown livestream's session rides on the status watcher's cadence: `watching()` wraps the
watcher's one status request and adds at most one more, only while the livestream is live or
failed, so it inherits the watcher's pacing, its backoff after 429 and its pause while the
window is hidden.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from app.core.errors import CompanionError
from app.core.models import (
    ActiveSession,
    KnownStatus,
    Livestream,
    LivestreamSession,
    SessionHistory,
    UsageReport,
)
from app.core.status_polling import StatusFetch
from app.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

SESSION = "session"
HISTORY = "session-history"
USAGE = "usage"


class SessionsApi(Protocol):
    async def get_active_session(
        self, account_id: str, app_id: str, livestream_id: str
    ) -> ActiveSession: ...
    async def list_sessions(
        self, account_id: str, app_id: str, livestream_id: str, *, limit: int = ...
    ) -> SessionHistory: ...
    async def get_usage(self, account_id: str, app_id: str, *, days: int) -> UsageReport: ...


ClientFactory = Callable[[str], SessionsApi]


@dataclass(frozen=True, slots=True)
class Credentials:
    account_id: str
    app_id: str
    token: str = ""

    def __repr__(self) -> str:  # never the token
        return f"Credentials(account_id={self.account_id!r}, app_id={self.app_id!r})"


@dataclass(frozen=True, slots=True)
class SessionSnapshot:
    """What the card shows: the livestream's status and its live or failed session."""

    livestream_id: str
    status: str
    session: LivestreamSession | None


class SessionsController(QObject):
    session_loaded = Signal(object)  # SessionSnapshot
    session_failed = Signal(str, object)  # livestream id, CompanionError
    history_loaded = Signal(str, object)  # livestream id, SessionHistory
    history_failed = Signal(str, object)
    usage_loaded = Signal(int, object)  # days, UsageReport
    usage_failed = Signal(int, object)

    def __init__(
        self, client_factory: ClientFactory, tasks: TaskRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._client_factory = client_factory
        self._tasks = tasks

    # --- intents -------------------------------------------------------------------

    def watching(
        self, fetch: StatusFetch, credentials: Credentials, livestream: Livestream
    ) -> StatusFetch:
        """The status fetch, followed by the session when there is one to show.

        Also asks once now, so the card need not wait one interval after it is shown.
        """
        client = self._client_factory(credentials.token)
        self.request_session(client, credentials, livestream)

        async def status_then_session() -> Livestream:
            fresh = await fetch()
            await self.load_session(client, credentials, fresh)
            return fresh

        return status_then_session

    def request_session(
        self, client: SessionsApi, credentials: Credentials, livestream: Livestream
    ) -> None:
        self._tasks.cancel(SESSION)
        self._tasks.start(self.load_session(client, credentials, livestream), name=SESSION)

    def request_history(self, credentials: Credentials, livestream_id: str) -> None:
        self._tasks.cancel(HISTORY)
        self._tasks.start(self.load_history(credentials, livestream_id), name=HISTORY)

    def request_usage(self, credentials: Credentials, days: int) -> None:
        self._tasks.cancel(USAGE)
        self._tasks.start(self.load_usage(credentials, days), name=USAGE)

    # --- operations (plain coroutines) ---------------------------------------------

    async def load_session(
        self, client: SessionsApi, credentials: Credentials, livestream: Livestream
    ) -> None:
        """One request at most: the active session while live, the latest one after a failure
        (Cloudflare keeps the reason there), none otherwise."""
        status = livestream.status
        try:
            if status == KnownStatus.LIVE:
                active = await client.get_active_session(
                    credentials.account_id, credentials.app_id, livestream.id
                )
                session = active.session
            elif status == KnownStatus.ERRORED:
                history = await client.list_sessions(
                    credentials.account_id, credentials.app_id, livestream.id, limit=1
                )
                session = history.sessions[0] if history.sessions else None
            else:
                session = None
        except CompanionError as error:
            log.info("session of %s not loaded: %s", livestream.id, type(error).__name__)
            self.session_failed.emit(livestream.id, error)
            return
        self.session_loaded.emit(SessionSnapshot(livestream.id, status, session))

    async def load_history(self, credentials: Credentials, livestream_id: str) -> None:
        try:
            history = await self._client_factory(credentials.token).list_sessions(
                credentials.account_id, credentials.app_id, livestream_id
            )
        except CompanionError as error:
            self.history_failed.emit(livestream_id, error)
            return
        self.history_loaded.emit(livestream_id, history)

    async def load_usage(self, credentials: Credentials, days: int) -> None:
        try:
            report = await self._client_factory(credentials.token).get_usage(
                credentials.account_id, credentials.app_id, days=days
            )
        except CompanionError as error:
            self.usage_failed.emit(days, error)
            return
        self.usage_loaded.emit(days, report)
