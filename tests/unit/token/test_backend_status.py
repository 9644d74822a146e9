"""Which keyring is usable, judged once: available, locked or unavailable."""

from __future__ import annotations

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import SecretService, Windows, fail, kwallet, libsecret, macOS, null

from app.core import keyring_status
from app.core.keyring_status import BackendState
from app.core.secret_store import PROBE_USERNAME
from app.core.token_store import SERVICE_NAME
from tests.fixtures.keyring import Failure, MemoryKeyring, make_chainer
from tests.unit.token.accounts import ACCOUNT_ID


class PlaintextKeyring(MemoryKeyring):
    """Named like keyrings.alt's file backend."""


class AltFileKeyring(MemoryKeyring):
    """Claims keyrings.alt's module, as its encrypted-file backend does."""


AltFileKeyring.__module__ = "keyrings.alt.file"


class FileBackedKeyring(MemoryKeyring):
    """Any backend that keeps its secrets in a file of its own."""

    file_path = "/tmp/keyring_pass.cfg"


@pytest.mark.asyncio
async def test_working_backend_is_available_under_its_own_name(make_store, memory_keyring):
    status = await make_store(memory_keyring).status()
    assert status.state is BackendState.AVAILABLE
    assert status.backend_name == MemoryKeyring.name
    assert status.usable


@pytest.mark.asyncio
async def test_status_check_only_reads_and_leaves_nothing_behind(make_store, memory_keyring):
    await make_store(memory_keyring).status()
    assert memory_keyring.calls == [("get", SERVICE_NAME, PROBE_USERNAME)]
    assert memory_keyring.entries == {}


@pytest.mark.asyncio
async def test_locked_backend_is_locked(make_store):
    status = await make_store(MemoryKeyring(Failure.LOCKED)).status()
    assert status.state is BackendState.LOCKED
    assert status.usable
    assert "unlock" in status.detail


@pytest.mark.parametrize(
    ("backend", "reason"),
    [
        (fail.Keyring(), "no supported keychain"),
        (null.Keyring(), "null backend"),
        (make_chainer([]), "no supported keychain"),
        (PlaintextKeyring(), "in a file"),
        (AltFileKeyring(), "in a file"),
        (FileBackedKeyring(), "in a file"),
        (make_chainer([PlaintextKeyring(), AltFileKeyring()]), "in a file"),
        (MemoryKeyring(Failure.INIT_ERROR), "Prompt dismissed"),
        (MemoryKeyring(Failure.NO_KEYRING), "No recommended backend"),
        (MemoryKeyring(Failure.UNEXPECTED), "connection reset"),
    ],
    ids=[
        "fail",
        "null",
        "empty-chainer",
        "plaintext-by-name",
        "keyrings-alt-module",
        "file-backed",
        "chainer-of-file-backends",
        "init-error",
        "no-keyring-error",
        "unexpected-error",
    ],
)
@pytest.mark.asyncio
async def test_unusable_backends_are_unavailable(make_store, backend: KeyringBackend, reason):
    status = await make_store(backend).status()
    assert status.state is BackendState.UNAVAILABLE
    assert not status.usable
    assert reason in status.detail
    assert "memory for this session only" in status.detail


@pytest.mark.asyncio
async def test_file_backend_is_never_asked_anything(make_store):
    plaintext = PlaintextKeyring()
    await make_store(plaintext).status()
    assert plaintext.calls == []


@pytest.mark.asyncio
async def test_chainer_uses_its_first_keychain_not_a_file_backend_ahead_of_it(make_store, token):
    plaintext, keychain = PlaintextKeyring(), MemoryKeyring()
    store = make_store(make_chainer([plaintext, keychain]))
    assert (await store.status()).backend_name == MemoryKeyring.name
    await store.set(ACCOUNT_ID, token)
    assert list(keychain.entries.values()) == [token]
    assert plaintext.calls == []


@pytest.mark.asyncio
async def test_status_is_checked_once_until_refreshed(make_store):
    backend = MemoryKeyring(Failure.LOCKED)
    store = make_store(backend)
    assert (await store.status()).state is BackendState.LOCKED
    backend.failure = Failure.NONE  # the user unlocks the keyring
    assert (await store.status()).state is BackendState.LOCKED
    assert len(backend.calls) == 1
    assert (await store.status(refresh=True)).state is BackendState.AVAILABLE
    assert (await store.status()).state is BackendState.AVAILABLE
    assert len(backend.calls) == 2


@pytest.mark.parametrize(
    ("backend_class", "name"),
    [
        (SecretService.Keyring, "Secret Service"),
        (libsecret.Keyring, "Secret Service"),
        (macOS.Keyring, "macOS Keychain"),
        (Windows.WinVaultKeyring, "Windows Credential Locker"),
        (kwallet.DBusKeyring, "KWallet"),
        (kwallet.DBusKeyringKWallet4, "KWallet"),
        (MemoryKeyring, "keyring MemoryKeyring"),
    ],
)
def test_human_names(backend_class, name):
    assert keyring_status.human_name(backend_class()) == name


@pytest.mark.parametrize(
    "backend_class",
    [SecretService.Keyring, libsecret.Keyring, macOS.Keyring, Windows.WinVaultKeyring],
)
def test_os_keychains_are_not_mistaken_for_file_backends(backend_class):
    assert keyring_status.unusable_reason(backend_class()) is None
