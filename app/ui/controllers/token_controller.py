"""Reads, saves and forgets the API token through the core token store.

In demo mode there is no store: the demo token lives in memory only and the
keyring is never touched.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal

from app.core.errors import AuthError, AuthProblem, CompanionError
from app.core.redaction import register_secret
from app.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.core.models import TokenVerification

log = logging.getLogger(__name__)

LOAD = "token-load"
SAVE = "token-save"
FORGET = "token-forget"


class TokenPlace(enum.Enum):
    """Where the token in the form is kept, as the window words it."""

    KEYRING = "keyring"  # saved in the OS keyring
    SESSION = "session"  # memory only: no keyring works
    UNSAVED = "unsaved"  # typed, not saved yet
    DEMO = "demo"  # demo token: memory only, by design
    NONE = "none"


# Asks the API whether a token works: (account_id, token) -> what the verify endpoint says.
Verify = Callable[[str, str], Awaitable["TokenVerification"]]


class TokenStoreLike(Protocol):
    async def status(self): ...
    async def get(self, account_id: str) -> str | None: ...
    async def set(self, account_id: str, token: str): ...
    async def delete(self, account_id: str) -> None: ...


class TokenController(QObject):
    # (backend human name, usable)
    backend_checked = Signal(str, bool)
    # (account_id, token or "", TokenPlace)
    token_loaded = Signal(str, str, object)
    # (account_id, TokenPlace, whether the API confirmed the token works)
    token_saved = Signal(str, object, bool)
    # Save refused: the API rejected the token (account_id, AuthError); saving again with
    # insist=True keeps it anyway.
    token_rejected = Signal(str, object)
    token_forgotten = Signal(str)
    token_failed = Signal(object)  # CompanionError

    def __init__(
        self,
        store_factory: Callable[[], TokenStoreLike] | None,
        tasks: TaskRunner,
        parent: QObject | None = None,
        *,
        verify: Verify | None = None,
    ) -> None:
        """`store_factory` is called on first use (keyring loads after the window shows);
        None means demo mode: no store at all."""
        super().__init__(parent)
        self._store_factory = store_factory
        self._made_store: TokenStoreLike | None = None
        self._tasks = tasks
        self._verify = verify
        self.backend_name = "the keyring"
        self.backend_usable = store_factory is not None

    @property
    def is_demo(self) -> bool:
        return self._store_factory is None

    @property
    def _store(self) -> TokenStoreLike | None:
        if self._made_store is None and self._store_factory is not None:
            self._made_store = self._store_factory()
        return self._made_store

    def request_check(self) -> None:
        if self._store is not None:
            self._tasks.start(self.check_backend(), name="token-status")

    def request_load(self, account_id: str) -> None:
        self._tasks.cancel(LOAD)
        self._tasks.start(self.load(account_id), name=LOAD)

    def request_save(self, account_id: str, token: str, *, insist: bool = False) -> None:
        self._tasks.start(self.save(account_id, token, insist=insist), name=SAVE)

    def request_forget(self, account_id: str) -> None:
        self._tasks.start(self.forget(account_id), name=FORGET)

    async def check_backend(self) -> None:
        assert self._store is not None
        status = await self._store.status()
        self.backend_name = status.backend_name
        self.backend_usable = status.usable
        self.backend_checked.emit(status.backend_name, status.usable)

    async def load(self, account_id: str) -> None:
        if self._store is None:
            return
        try:
            token = await self._store.get(account_id)
        except CompanionError as error:
            self.token_failed.emit(error)
            return
        if token:
            register_secret(token)
            self.token_loaded.emit(account_id, token, TokenPlace.KEYRING)
        else:
            self.token_loaded.emit(account_id, "", TokenPlace.NONE)

    async def save(self, account_id: str, token: str, *, insist: bool = False) -> None:
        """Checks the token with the API first; stores a rejected one only if `insist`."""
        register_secret(token)
        if self._store is None:
            self.token_saved.emit(account_id, TokenPlace.DEMO, False)
            return
        works = False
        if not insist and self._verify is not None:
            try:
                verification = await self._verify(account_id, token)
            except AuthError as error:
                self.token_rejected.emit(account_id, error)
                return
            except CompanionError as error:
                # Cannot ask now (offline, rate limited): keep it, unconfirmed.
                log.info("token check before saving failed: %s", type(error).__name__)
            else:
                if not verification.is_active:
                    self.token_rejected.emit(account_id, _inactive(verification))
                    return
                works = True
        try:
            location = await self._store.set(account_id, token)
        except CompanionError as error:
            self.token_failed.emit(error)
            return
        # Imported here: the keyring library loads only once a token is handled.
        from app.core.secret_store import SecretLocation

        place = TokenPlace.KEYRING if location is SecretLocation.KEYRING else TokenPlace.SESSION
        self.token_saved.emit(account_id, place, works)

    async def forget(self, account_id: str) -> None:
        if self._store is not None:
            try:
                await self._store.delete(account_id)
            except CompanionError as error:
                self.token_failed.emit(error)
                return
        self.token_forgotten.emit(account_id)


def _inactive(verification: TokenVerification) -> AuthError:
    return AuthError(
        AuthProblem.INVALID_TOKEN,
        f"Cloudflare says this token is {verification.status}: create a new one in the "
        "dashboard (My Profile \u2192 API Tokens).",
    )
