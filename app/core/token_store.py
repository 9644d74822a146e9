"""The API token, one per Cloudflare account, in the OS keyring.

Every keyring call runs on one dedicated worker thread: a call may block on an
unlock prompt (never on the GUI thread), and backends such as Secret Service
are not safe to use from several threads at once, so calls are serialised.
When no keyring works the token is held in memory for this session only; it is
never written to a file.
"""

from __future__ import annotations

import asyncio
import enum
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import (
    InitError,
    KeyringError,
    KeyringLocked,
    NoKeyringError,
    PasswordDeleteError,
    PasswordSetError,
)

from app.about import APP_ID, DISPLAY_NAME
from app.core import keyring_status
from app.core.errors import SecretStoreError, SecretStoreLockedError
from app.core.keyring_status import BackendState, BackendStatus
from app.core.redaction import MASK, redact, register_secret
from app.core.validation import validate_account_id, validate_token

__all__ = ["SERVICE_NAME", "BackendState", "BackendStatus", "TokenLocation", "TokenStore"]

# The keyring entry is (SERVICE_NAME, account ID).
SERVICE_NAME = f"{APP_ID}/cloudflare-api-token"
# Reading this never-written entry tells locked and broken keyrings apart
# without leaving anything behind in the user's keyring.
PROBE_USERNAME = "status-check"

T = TypeVar("T")


class TokenLocation(enum.Enum):
    KEYRING = "keyring"
    MEMORY = "memory"
    NONE = "none"


class TokenStore:
    # Subclasses keeping another secret (one entry per name) set their own service.
    service_name = SERVICE_NAME

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._given_backend = backend
        self._backend: KeyringBackend | None = None
        self._status: BackendStatus | None = None
        # Touched only on the worker thread, except single reads in location().
        self._memory: dict[str, str] = {}
        self._locations: dict[str, TokenLocation] = {}
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="keyring")

    async def status(self) -> BackendStatus:
        return await self._run(self._status_now, False)

    async def refresh_status(self) -> BackendStatus:
        return await self._run(self._status_now, True)

    async def get(self, account_id: str) -> str | None:
        return await self._run(self._get_now, validate_account_id(account_id))

    async def set(self, account_id: str, token: str) -> TokenLocation:
        account_id = validate_account_id(account_id)
        token = validate_token(token)
        register_secret(token)
        return await self._run(self._set_now, account_id, token)

    async def delete(self, account_id: str) -> None:
        await self._run(self._delete_now, validate_account_id(account_id))

    def location(self, account_id: str) -> TokenLocation:
        """Where this store last saw the token (NONE before any get or set)."""
        return self._locations.get(account_id.strip().lower(), TokenLocation.NONE)

    def close(self) -> None:
        # No waiting: a call blocked on an unlock prompt must not hold up quitting.
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._memory.clear()

    async def _run(self, fn: Callable[..., T], *args: object) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args))

    # Everything below runs on the worker thread.

    def _status_now(self, refresh: bool) -> BackendStatus:
        if self._status is None or refresh:
            self._status = self._probe()
        return self._status

    def _probe(self) -> BackendStatus:
        if self._backend is None:
            try:
                self._backend = self._load_backend()
            except Exception as exc:  # a broken keyring config must not stop the app
                return keyring_status.unavailable(
                    keyring_status.NO_KEYRING_NAME, _describe(exc, "the keyring could not load")
                )
        backend = self._backend
        name = keyring_status.human_name(backend)
        reason = keyring_status.unusable_reason(backend)
        if reason is not None:
            return keyring_status.unavailable(name, reason)
        try:
            backend.get_password(self.service_name, PROBE_USERNAME)
        except KeyringLocked:
            return keyring_status.locked(backend)
        except Exception as exc:  # whatever the backend raises, it cannot hold the token
            return keyring_status.unavailable(name, _describe(exc, "it failed to open"))
        return keyring_status.available(backend)

    def _load_backend(self) -> KeyringBackend:
        if self._given_backend is not None:
            return keyring_status.resolve_backend(self._given_backend)
        backend = keyring_status.resolve_backend(keyring.get_keyring())
        if hasattr(backend, "appid"):
            # Labels our items in keychain managers (Secret Service "application").
            backend = backend.with_properties(appid=DISPLAY_NAME)
        return backend

    def _get_now(self, account_id: str) -> str | None:
        token = self._memory.get(account_id)
        if token is not None:
            return token
        if not self._status_now(False).usable:
            self._locations[account_id] = TokenLocation.NONE
            return None
        token = self._call("read the token", self._keyring().get_password, account_id)
        if token:
            register_secret(token)
            self._locations[account_id] = TokenLocation.KEYRING
            return token
        self._locations[account_id] = TokenLocation.NONE
        return None

    def _set_now(self, account_id: str, token: str) -> TokenLocation:
        if not self._status_now(False).usable:
            self._memory[account_id] = token
            self._locations[account_id] = TokenLocation.MEMORY
            return TokenLocation.MEMORY
        self._call("save the token", self._keyring().set_password, account_id, token, secret=token)
        self._memory.pop(account_id, None)
        self._locations[account_id] = TokenLocation.KEYRING
        return TokenLocation.KEYRING

    def _delete_now(self, account_id: str) -> None:
        self._memory.pop(account_id, None)
        self._locations[account_id] = TokenLocation.NONE
        if not self._status_now(False).usable:
            return
        backend = self._keyring()
        try:
            self._call("delete the token", backend.delete_password, account_id)
        except SecretStoreError as exc:
            # Backends report a missing entry as PasswordDeleteError, like a real
            # failure: only a read tells the two apart.
            if not isinstance(exc.__cause__, PasswordDeleteError):
                raise
            if self._call("read the token", backend.get_password, account_id) is not None:
                raise

    def _keyring(self) -> KeyringBackend:
        assert self._backend is not None  # set by the status check before any use
        return self._backend

    def _call(
        self,
        action: str,
        fn: Callable[..., T],
        *args: str,
        secret: str | None = None,
    ) -> T:
        backend = self._keyring()
        try:
            result = fn(self.service_name, *args)
        except Exception as exc:
            if isinstance(exc, KeyringLocked):
                self._status = keyring_status.locked(backend)
            raise translate_error(exc, action, keyring_status.human_name(backend), secret) from exc
        if self._status is not None and self._status.state is BackendState.LOCKED:
            self._status = keyring_status.available(backend)  # unlocked when prompted
        return result


def translate_error(
    exc: BaseException, action: str, name: str, secret: str | None = None
) -> SecretStoreError:
    """The user's words for a backend failure; never the token, even if the backend echoed it."""
    detail = _describe(exc, "")
    if secret:
        detail = detail.replace(secret, MASK)
    suffix = f" ({detail})" if detail else ""
    if isinstance(exc, KeyringLocked):
        return SecretStoreLockedError(
            f"{name} is locked, so the app could not {action}: unlock it (your login "
            "keyring), then try again."
        )
    if isinstance(exc, NoKeyringError):
        return SecretStoreError(f"No keyring is available to {action}{suffix}.")
    if isinstance(exc, InitError):
        return SecretStoreError(f"{name} could not be opened to {action}{suffix}.")
    if isinstance(exc, PasswordSetError):
        return SecretStoreError(f"{name} refused to save the token{suffix}.")
    if isinstance(exc, PasswordDeleteError):
        return SecretStoreError(f"{name} could not delete the token{suffix}.")
    if isinstance(exc, KeyringError):
        return SecretStoreError(f"{name} failed to {action}{suffix}.")
    return SecretStoreError(f"{name} failed to {action}: {type(exc).__name__}{suffix}.")


def _describe(exc: BaseException, fallback: str) -> str:
    text = redact(str(exc)).strip().rstrip(".")
    return text or fallback
