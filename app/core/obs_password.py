"""The obs-websocket password in the OS keyring, through the token store's machinery.

The token store already does everything a secret needs here: one serialised
worker thread, the usable-backend checks, memory-only when no keyring works,
and the user's words for keyring failures. Only the entry differs: one entry,
not one per account, under its own service name.
"""

from __future__ import annotations

from app.about import APP_ID
from app.core.errors import InvalidInputError
from app.core.redaction import register_secret
from app.core.token_store import TokenLocation, TokenStore

__all__ = ["OBS_PASSWORD_ENTRY", "OBS_PASSWORD_SERVICE", "ObsPasswordStore", "TokenLocation"]

OBS_PASSWORD_SERVICE = f"{APP_ID}/obs-websocket-password"
# The keyring "username": one OBS per user, so one entry.
OBS_PASSWORD_ENTRY = "obs-websocket"


class ObsPasswordStore(TokenStore):
    service_name = OBS_PASSWORD_SERVICE

    # The token store's public methods take account IDs; these go through the same worker
    # with the one fixed entry instead.

    async def get_password(self) -> str | None:
        password = await self._run(self._get_now, OBS_PASSWORD_ENTRY)
        register_secret(password)
        return password

    async def set_password(self, password: str) -> TokenLocation:
        """An empty password deletes the entry (OBS with authentication off)."""
        if any(c in password for c in "\r\n"):
            raise InvalidInputError("obs_password", "The OBS password is one line.")
        if not password:
            await self.delete_password()
            return TokenLocation.NONE
        register_secret(password)
        return await self._run(self._set_now, OBS_PASSWORD_ENTRY, password)

    async def delete_password(self) -> None:
        await self._run(self._delete_now, OBS_PASSWORD_ENTRY)

    def password_location(self) -> TokenLocation:
        return self.location(OBS_PASSWORD_ENTRY)
