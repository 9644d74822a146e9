"""Which OS keyring is in use, whether it works, and what to call it.

A backend is usable only if it keeps secrets in an OS keychain. The `fail` and
`null` backends, an empty chainer and every file-based backend (`keyrings.alt`
writes "plaintext" base64 files) are unusable: the app never stores a token in a
file, and never picks such a backend on the user's behalf even when keyring has.
"""

from __future__ import annotations

import enum
import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

# Human names by backend module; anything else shows keyring's own name.
_HUMAN_NAMES = {
    "keyring.backends.SecretService": "Secret Service",
    "keyring.backends.libsecret": "Secret Service",
    "keyring.backends.macOS": "macOS Keychain",
    "keyring.backends.Windows": "Windows Credential Locker",
    "keyring.backends.kwallet": "KWallet",
}
NO_KEYRING_NAME = "no keyring"

# What this OS's keychain backend imports at run time. Missing from an installation (a
# bundle or an environment built without them), keyring silently falls back to `fail`.
OS_BACKEND_MODULES = {
    "linux": ("keyring.backends.SecretService", "secretstorage", "jeepney"),
    "darwin": ("keyring.backends.macOS", "keyring.backends.macOS.api"),
    "win32": ("keyring.backends.Windows", "win32ctypes.pywin32.win32cred"),
}


class BackendState(enum.Enum):
    AVAILABLE = "available"
    LOCKED = "locked"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class BackendStatus:
    state: BackendState
    backend_name: str
    detail: str
    # Why the keyring is unavailable, in a few words (empty otherwise).
    reason: str = ""

    @property
    def usable(self) -> bool:
        """True when tokens go to the keyring (possibly after the user unlocks it)."""
        return self.state is not BackendState.UNAVAILABLE


def human_name(backend: KeyringBackend) -> str:
    module = type(backend).__module__
    for prefix, name in _HUMAN_NAMES.items():
        if module == prefix or module.startswith(prefix + "."):
            return name
    return type(backend).name


def unusable_reason(backend: KeyringBackend) -> str | None:
    """Why this backend must not hold a token, or None when it may."""
    if isinstance(backend, fail.Keyring):
        return "no supported keychain was found"
    if isinstance(backend, null.Keyring):
        return "keyring is disabled (the null backend)"
    if isinstance(backend, chainer.ChainerBackend):
        reasons = [unusable_reason(member) for member in backend.backends]
        if all(reasons):
            return reasons[0] if reasons else "no supported keychain was found"
    if is_file_based(backend):
        return f"{type(backend).name} keeps secrets in a file, which this app never does"
    return None


def is_file_based(backend: KeyringBackend) -> bool:
    """keyrings.alt and its kin: judged by class, since they answer like any keychain."""
    for cls in type(backend).__mro__:
        if cls.__module__.startswith("keyrings.alt") or "plaintext" in cls.__name__.lower():
            return True
    return hasattr(backend, "file_path")


def resolve_backend(backend: KeyringBackend) -> KeyringBackend:
    """A chainer writes to its first member: use the first usable one directly instead.

    Otherwise a chain headed by a file backend would get the token in a file.
    """
    if isinstance(backend, chainer.ChainerBackend):
        members: list[KeyringBackend] = backend.backends
        for member in members:
            if unusable_reason(member) is None:
                return member
    return backend


def missing_backend_modules(
    platform: str = sys.platform,
    find_spec: Callable[[str], Any] = importlib.util.find_spec,
) -> list[str]:
    """The modules of this OS's keychain backend that this installation lacks."""
    os_name = "linux" if platform.startswith("linux") else platform
    missing = []
    for module in OS_BACKEND_MODULES.get(os_name, ()):
        try:
            found = find_spec(module) is not None
        except (ImportError, ValueError):  # a parent package is missing or half-imported
            found = False
        if not found:
            missing.append(module)
    return missing


def available(backend: KeyringBackend) -> BackendStatus:
    name = human_name(backend)
    return BackendStatus(BackendState.AVAILABLE, name, f"Tokens are saved in {name}.")


def locked(backend: KeyringBackend) -> BackendStatus:
    name = human_name(backend)
    return BackendStatus(
        BackendState.LOCKED,
        name,
        f"{name} is locked: unlock it (your login keyring), then try again.",
    )


def unavailable(name: str, reason: str) -> BackendStatus:
    return BackendStatus(
        BackendState.UNAVAILABLE,
        name,
        f"No keyring available ({reason}): a token is kept in memory for this session only "
        "and is not saved.",
        reason,
    )
