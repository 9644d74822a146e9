"""The API token, one keyring entry per Cloudflare account (see secret_store for how)."""

from __future__ import annotations

from keyring.backend import KeyringBackend

from app.about import APP_ID
from app.core.keyring_status import BackendStatus
from app.core.secret_store import SecretLocation, SecretStore
from app.core.validation import validate_account_id, validate_token

__all__ = ["SERVICE_NAME", "TokenStore"]

# The keyring entry is (SERVICE_NAME, account ID).
SERVICE_NAME = f"{APP_ID}/cloudflare-api-token"


class TokenStore:
    """Validates account IDs and tokens; the secret store keeps them."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._secrets = SecretStore(SERVICE_NAME, backend, what="the token")

    async def status(self, *, refresh: bool = False) -> BackendStatus:
        return await self._secrets.status(refresh=refresh)

    async def get(self, account_id: str) -> str | None:
        return await self._secrets.get(validate_account_id(account_id))

    async def set(self, account_id: str, token: str) -> SecretLocation:
        account_id = validate_account_id(account_id)
        return await self._secrets.set(account_id, validate_token(token))

    async def delete(self, account_id: str) -> None:
        await self._secrets.delete(validate_account_id(account_id))

    def close(self) -> None:
        self._secrets.close()
