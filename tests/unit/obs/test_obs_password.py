"""The OBS password goes through the one secret store: keyring, memory fallback, errors."""

from __future__ import annotations

import asyncio
import secrets
import threading
from collections.abc import Iterator

import pytest
from keyring.backends import fail

from app.core.errors import InvalidInputError, SecretStoreLockedError
from app.core.obs_password import OBS_PASSWORD_ENTRY, OBS_PASSWORD_SERVICE, ObsPasswordStore
from app.core.secret_store import SecretLocation
from app.core.token_store import SERVICE_NAME, TokenStore
from tests.fixtures.keyring import Failure, MemoryKeyring

ACCOUNT_ID = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def store(backend: MemoryKeyring) -> Iterator[ObsPasswordStore]:
    store = ObsPasswordStore(backend)
    yield store
    store.close()


@pytest.fixture
def password() -> str:
    return f"obs-{secrets.token_hex(8)}"


async def test_round_trip_in_one_keyring_entry(store, backend, password):
    assert await store.get_password() is None
    assert await store.set_password(password) is SecretLocation.KEYRING
    assert backend.entries == {(OBS_PASSWORD_SERVICE, OBS_PASSWORD_ENTRY): password}
    assert (
        OBS_PASSWORD_SERVICE == "org.livestreamcompanion.LivestreamCompanion/obs-websocket-password"
    )
    assert await store.get_password() == password


async def test_a_fresh_store_reads_what_another_saved(backend, password):
    first, second = ObsPasswordStore(backend), ObsPasswordStore(backend)
    try:
        await first.set_password(password)
        assert await second.get_password() == password
    finally:
        first.close()
        second.close()


async def test_separate_from_the_api_tokens(store, backend, password):
    tokens = TokenStore(backend)
    try:
        await tokens.set(ACCOUNT_ID, "cloudflare-token-value")
        await store.set_password(password)
        assert backend.entries == {
            (SERVICE_NAME, ACCOUNT_ID): "cloudflare-token-value",
            (OBS_PASSWORD_SERVICE, OBS_PASSWORD_ENTRY): password,
        }
        await store.delete_password()
        assert await tokens.get(ACCOUNT_ID) == "cloudflare-token-value"
    finally:
        tokens.close()


async def test_empty_password_deletes_the_entry(store, backend, password):
    await store.set_password(password)
    assert await store.set_password("") is SecretLocation.NONE
    assert backend.entries == {}
    assert await store.get_password() is None
    await store.delete_password()  # a missing entry is fine


async def test_multi_line_password_is_refused(store, backend):
    with pytest.raises(InvalidInputError):
        await store.set_password("two\nlines")
    assert backend.entries == {}


async def test_memory_only_without_a_keyring(password):
    store = ObsPasswordStore(fail.Keyring())
    try:
        assert await store.set_password(password) is SecretLocation.MEMORY
        assert await store.get_password() == password
    finally:
        store.close()


async def test_locked_keyring_is_a_typed_error(password):
    store = ObsPasswordStore(MemoryKeyring(Failure.LOCKED))
    try:
        with pytest.raises(SecretStoreLockedError) as caught:
            await store.set_password(password)
    finally:
        store.close()
    assert password not in str(caught.value)


async def test_token_and_obs_password_share_the_one_keyring_thread(password):
    """Two stores, two services, one worker: their calls never overlap, on one thread."""
    backend = MemoryKeyring(delay=0.01)
    tokens, passwords = TokenStore(backend), ObsPasswordStore(backend)
    try:
        await asyncio.gather(
            *(tokens.set(f"{n:032x}", f"cloudflare-token-{n}") for n in range(4)),
            *(passwords.set_password(f"{password}-{n}") for n in range(4)),
            tokens.get(ACCOUNT_ID),
            passwords.get_password(),
        )
    finally:
        tokens.close()
        passwords.close()
    services = {service for _, service, _ in backend.calls}
    assert services == {SERVICE_NAME, OBS_PASSWORD_SERVICE}
    assert len(backend.threads) == 1
    assert threading.get_ident() not in backend.threads
    assert backend.max_concurrent == 1
