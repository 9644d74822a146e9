"""Creates and lists livestreams through the core client; one outcome signal per operation.

Each public `request_*` method is what the window calls from a signal: it starts
the matching coroutine on the task runner and returns at once. The coroutines
are plain and awaitable, so tests can drive them directly.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal

from app.core.errors import CompanionError
from app.core.status_polling import StatusFetch
from app.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.core.models import Livestream, LivestreamPage, RealtimeApp

log = logging.getLogger(__name__)

CREATE = "create"
LOAD_APPS = "load-apps"
RECENT = "recent"
RECENT_PAGE_SIZE = 20


class LivestreamApi(Protocol):
    async def create_livestream(
        self, account_id: str, app_id: str, name: str | None = None
    ) -> Livestream: ...
    async def list_livestreams(
        self, account_id: str, app_id: str, *, page_no: int = 1, per_page: int = 25
    ) -> LivestreamPage: ...
    async def get_livestream(
        self, account_id: str, app_id: str, livestream_id: str
    ) -> Livestream: ...
    async def list_apps(self, account_id: str) -> list[RealtimeApp]: ...


# Builds a client for the token currently in the form.
ClientFactory = Callable[[str], LivestreamApi]


class LivestreamController(QObject):
    create_started = Signal()
    # Outcomes of a create: exactly one of these per started create.
    livestream_created = Signal(object)  # Livestream
    create_failed = Signal(object)  # CompanionError
    create_cancelled = Signal()

    apps_loaded = Signal(list)  # list[RealtimeApp]
    apps_failed = Signal(object)

    # (account_id, app_id, list[Livestream])
    recent_loaded = Signal(str, str, list)
    recent_failed = Signal(object)

    # The API answered a request; True when it was made with the token the form holds now
    # (one typed meanwhile has not been tried).
    answered = Signal(bool)

    def __init__(
        self,
        client_factory: ClientFactory,
        tasks: TaskRunner,
        parent: QObject | None = None,
        *,
        form_token: Callable[[], str],
    ) -> None:
        super().__init__(parent)
        self._client_factory = client_factory
        self._tasks = tasks
        self._form_token = form_token

    @property
    def creating(self) -> bool:
        return self._tasks.is_running(CREATE)

    # --- intents -------------------------------------------------------------------

    def request_create(self, account_id: str, app_id: str, name: str | None, token: str) -> bool:
        """Starts a create; False (and nothing happens) while one is already running."""
        if self.creating:
            return False
        self._tasks.start(self.create(account_id, app_id, name, token), name=CREATE)
        return True

    def cancel_create(self) -> bool:
        return self._tasks.cancel(CREATE)

    def request_apps(self, account_id: str, token: str) -> None:
        self._tasks.cancel(LOAD_APPS)
        self._tasks.start(self.load_apps(account_id, token), name=LOAD_APPS)

    def request_recent(self, account_id: str, app_id: str, token: str) -> None:
        self._tasks.cancel(RECENT)
        self._tasks.start(self.load_recent(account_id, app_id, token), name=RECENT)

    def status_fetch(
        self, account_id: str, app_id: str, livestream_id: str, token: str
    ) -> StatusFetch:
        """One status check of a livestream, for whoever paces them (the preview panel)."""
        client = self._client_factory(token)

        def fetch() -> Awaitable[Livestream]:
            return client.get_livestream(account_id, app_id, livestream_id)

        return fetch

    # --- operations (plain coroutines) ---------------------------------------------

    async def create(self, account_id: str, app_id: str, name: str | None, token: str) -> None:
        import asyncio  # here, not above: the window paints before asyncio loads

        self.create_started.emit()
        try:
            client = self._client_factory(token)
            livestream = await client.create_livestream(account_id, app_id, name)
        except asyncio.CancelledError:
            self.create_cancelled.emit()
            raise
        except CompanionError as error:
            log.info("create failed: %s", type(error).__name__)
            self.create_failed.emit(error)
            return
        log.info("created livestream %s", livestream.id)
        self._answered(token)
        self.livestream_created.emit(livestream)

    async def load_apps(self, account_id: str, token: str) -> None:
        try:
            apps = await self._client_factory(token).list_apps(account_id)
        except CompanionError as error:
            self.apps_failed.emit(error)
            return
        self._answered(token)
        self.apps_loaded.emit(list(apps))

    async def load_recent(self, account_id: str, app_id: str, token: str) -> None:
        try:
            page = await self._client_factory(token).list_livestreams(
                account_id, app_id, per_page=RECENT_PAGE_SIZE
            )
        except CompanionError as error:
            self.recent_failed.emit(error)
            return
        self._answered(token)
        self.recent_loaded.emit(account_id, app_id, list(page.livestreams))

    def _answered(self, token: str) -> None:
        self.answered.emit(token == self._form_token())
