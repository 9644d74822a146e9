"""The obs-websocket password in the OS keyring: one entry under its own service."""

from __future__ import annotations

from keyring.backend import KeyringBackend

from app.about import APP_ID
from app.core.errors import InvalidInputError
from app.core.secret_store import SecretLocation, SecretStore

__all__ = ["OBS_PASSWORD_ENTRY", "OBS_PASSWORD_SERVICE", "ObsPasswordStore"]

OBS_PASSWORD_SERVICE = f"{APP_ID}/obs-websocket-password"
# The keyring "username": one OBS per user, so one entry.
OBS_PASSWORD_ENTRY = "obs-websocket"


class ObsPasswordStore:
    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._secrets = SecretStore(OBS_PASSWORD_SERVICE, backend, what="the OBS password")

    async def get_password(self) -> str | None:
        return await self._secrets.get(OBS_PASSWORD_ENTRY)

    async def set_password(self, password: str) -> SecretLocation:
        """An empty password deletes the entry (OBS with authentication off)."""
        if any(c in password for c in "\r\n"):
            raise InvalidInputError("obs_password", "The OBS password is one line.")
        if not password:
            await self.delete_password()
            return SecretLocation.NONE
        return await self._secrets.set(OBS_PASSWORD_ENTRY, password)

    async def delete_password(self) -> None:
        await self._secrets.delete(OBS_PASSWORD_ENTRY)

    def close(self) -> None:
        self._secrets.close()
