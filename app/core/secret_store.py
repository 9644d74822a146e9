"""Secrets in the OS keyring: one store per keyring service, one worker thread for all.

Every keyring call of the process, the API token's and the OBS password's alike, runs on
one worker thread: a call may block on an unlock prompt (never on the GUI thread), and
backends such as Secret Service are not safe to use from several threads at once, so
calls are serialised. When no keyring works a secret is held in memory for this session
only; it is never written to a file.
"""

from __future__ import annotations

import asyncio
import enum
import functools
import threading
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

from app.about import DISPLAY_NAME
from app.core import keyring_status
from app.core.errors import SecretStoreError, SecretStoreLockedError
from app.core.keyring_status import BackendState, BackendStatus
from app.core.redaction import MASK, redact, register_secret

__all__ = ["PROBE_USERNAME", "SecretLocation", "SecretStore", "keyring_worker"]

# Reading this never-written entry tells locked and broken keyrings apart
# without leaving anything behind in the user's keyring.
PROBE_USERNAME = "status-check"

T = TypeVar("T")

_worker: ThreadPoolExecutor | None = None
_worker_lock = threading.Lock()


def keyring_worker() -> ThreadPoolExecutor:
    """The process's one keyring thread, started on first use."""
    global _worker
    with _worker_lock:
        if _worker is None:
            _worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="keyring")
        return _worker


class SecretLocation(enum.Enum):
    """Where a secret is kept."""

    KEYRING = "keyring"
    MEMORY = "memory"  # no keyring works: this session only
    NONE = "none"


class SecretStore:
    """The entries of one keyring service, by name (an account ID, a fixed entry name).

    `what` names the secret in error messages ("the token", "the OBS password").
    """

    def __init__(
        self, service: str, backend: KeyringBackend | None = None, *, what: str = "the secret"
    ) -> None:
        self.service = service
        self._what = what
        self._given_backend = backend
        self._backend: KeyringBackend | None = None
        self._status: BackendStatus | None = None
        self._memory: dict[str, str] = {}  # touched only on the worker thread

    async def status(self, *, refresh: bool = False) -> BackendStatus:
        """Checked once, then remembered; `refresh` checks again (after the user unlocked)."""
        return await self._run(self._status_now, refresh)

    async def get(self, name: str) -> str | None:
        return await self._run(self._get_now, name)

    async def set(self, name: str, secret: str) -> SecretLocation:
        register_secret(secret)
        return await self._run(self._set_now, name, secret)

    async def delete(self, name: str) -> None:
        await self._run(self._delete_now, name)

    def close(self) -> None:
        """Forgets the secrets held in memory. The worker thread is the process's: it stays."""
        self._memory.clear()

    async def _run(self, fn: Callable[..., T], *args: object) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(keyring_worker(), functools.partial(fn, *args))

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
            backend.get_password(self.service, PROBE_USERNAME)
        except KeyringLocked:
            return keyring_status.locked(backend)
        except Exception as exc:  # whatever the backend raises, it cannot hold secrets
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

    def _get_now(self, name: str) -> str | None:
        secret = self._memory.get(name)
        if secret is not None:
            return secret
        if not self._status_now(False).usable:
            return None
        secret = self._call(f"read {self._what}", self._keyring().get_password, name)
        if not secret:
            return None
        register_secret(secret)
        return secret

    def _set_now(self, name: str, secret: str) -> SecretLocation:
        if not self._status_now(False).usable:
            self._memory[name] = secret
            return SecretLocation.MEMORY
        self._call(f"save {self._what}", self._keyring().set_password, name, secret, secret=secret)
        self._memory.pop(name, None)
        return SecretLocation.KEYRING

    def _delete_now(self, name: str) -> None:
        self._memory.pop(name, None)
        if not self._status_now(False).usable:
            return
        backend = self._keyring()
        try:
            self._call(f"delete {self._what}", backend.delete_password, name)
        except SecretStoreError as exc:
            # Backends report a missing entry as PasswordDeleteError, like a real
            # failure: only a read tells the two apart.
            if not isinstance(exc.__cause__, PasswordDeleteError):
                raise
            if self._call(f"read {self._what}", backend.get_password, name) is not None:
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
            result = fn(self.service, *args)
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
    """The user's words for a backend failure; never the secret, even if the backend echoed it.

    `action` says what failed ("save the token"); `name` is the keyring's human name.
    """
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
        return SecretStoreError(f"{name} refused to {action}{suffix}.")
    if isinstance(exc, PasswordDeleteError):
        return SecretStoreError(f"{name} could not {action}{suffix}.")
    if isinstance(exc, KeyringError):
        return SecretStoreError(f"{name} failed to {action}{suffix}.")
    return SecretStoreError(f"{name} failed to {action}: {type(exc).__name__}{suffix}.")


def _describe(exc: BaseException, fallback: str) -> str:
    text = redact(str(exc)).strip().rstrip(".")
    return text or fallback
