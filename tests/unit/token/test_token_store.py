"""Get, set and delete; every backend failure as a typed error; the memory-only fallback."""

from __future__ import annotations

import asyncio
import threading

import pytest
from keyring.backends import fail, null
from keyring.errors import (
    InitError,
    KeyringError,
    KeyringLocked,
    NoKeyringError,
    PasswordDeleteError,
    PasswordSetError,
)

from app.core.errors import InvalidInputError, SecretStoreError, SecretStoreLockedError
from app.core.keyring_status import BackendState
from app.core.redaction import MASK, redact
from app.core.secret_store import SecretLocation, SecretStore, translate_error
from app.core.token_store import SERVICE_NAME
from tests.fixtures.keyring import Failure, MemoryKeyring
from tests.unit.token.accounts import ACCOUNT_ID, OTHER_ACCOUNT_ID


@pytest.mark.asyncio
async def test_one_entry_per_account_under_the_app_service(make_store, memory_keyring, token):
    store = make_store(memory_keyring)
    assert await store.set(ACCOUNT_ID, token) is SecretLocation.KEYRING
    await store.set(OTHER_ACCOUNT_ID, token + "-other")
    assert memory_keyring.entries == {
        (SERVICE_NAME, ACCOUNT_ID): token,
        (SERVICE_NAME, OTHER_ACCOUNT_ID): token + "-other",
    }
    assert SERVICE_NAME == "org.livestreamcompanion.LivestreamCompanion/cloudflare-api-token"
    assert await store.get(ACCOUNT_ID) == token


@pytest.mark.asyncio
async def test_another_service_keeps_its_secrets_under_its_own_name(memory_keyring, token):
    store = SecretStore("org.example/other-secret", memory_keyring)
    try:
        await store.set(ACCOUNT_ID, token)
    finally:
        store.close()
    assert memory_keyring.entries == {("org.example/other-secret", ACCOUNT_ID): token}
    assert all(service == "org.example/other-secret" for _, service, _ in memory_keyring.calls)


@pytest.mark.asyncio
async def test_a_new_session_reads_what_an_earlier_one_saved(make_store, memory_keyring, token):
    await make_store(memory_keyring).set(ACCOUNT_ID, token)
    later = make_store(memory_keyring)
    assert await later.get(ACCOUNT_ID) == token


@pytest.mark.asyncio
async def test_account_ids_are_validated_and_normalised(make_store, memory_keyring, token):
    store = make_store(memory_keyring)
    await store.set(f"  {ACCOUNT_ID.upper()} ", token)
    assert await store.get(ACCOUNT_ID) == token
    with pytest.raises(InvalidInputError):
        await store.get("not-an-account")
    assert memory_keyring.calls[-1] == ("get", SERVICE_NAME, ACCOUNT_ID)


@pytest.mark.parametrize("bad", ["", "   \n", "two words", "line\nbreak"])
@pytest.mark.asyncio
async def test_empty_or_broken_tokens_are_refused(make_store, memory_keyring, bad):
    with pytest.raises(InvalidInputError) as caught:
        await make_store(memory_keyring).set(ACCOUNT_ID, bad)
    assert caught.value.field == "token"
    assert memory_keyring.entries == {}


@pytest.mark.asyncio
async def test_surrounding_whitespace_is_not_part_of_the_token(make_store, memory_keyring, token):
    await make_store(memory_keyring).set(ACCOUNT_ID, f"{token}\n")
    assert memory_keyring.entries[(SERVICE_NAME, ACCOUNT_ID)] == token


@pytest.mark.asyncio
async def test_missing_token_is_none(make_store, memory_keyring):
    store = make_store(memory_keyring)
    assert await store.get(ACCOUNT_ID) is None


@pytest.mark.asyncio
async def test_delete_removes_the_entry(make_store, memory_keyring, token):
    store = make_store(memory_keyring)
    await store.set(ACCOUNT_ID, token)
    await store.delete(ACCOUNT_ID)
    assert memory_keyring.entries == {}
    assert await store.get(ACCOUNT_ID) is None


@pytest.mark.asyncio
async def test_deleting_a_missing_entry_is_not_an_error(make_store, memory_keyring):
    await make_store(memory_keyring).delete(ACCOUNT_ID)
    assert ("delete", SERVICE_NAME, ACCOUNT_ID) in memory_keyring.calls


# Failures of a keyring that worked at start-up (status AVAILABLE), then broke.


async def broken_after_startup(make_store, failure: Failure, token: str):
    backend = MemoryKeyring()
    backend.entries[(SERVICE_NAME, ACCOUNT_ID)] = token
    store = make_store(backend)
    assert (await store.status()).state is BackendState.AVAILABLE
    backend.failure = failure
    backend.echo_secret_in_errors = True
    return store, backend


@pytest.mark.parametrize(
    ("failure", "error_type", "words"),
    [
        (Failure.LOCKED, SecretStoreLockedError, "is locked"),
        (Failure.INIT_ERROR, SecretStoreError, "could not be opened"),
        (Failure.NO_KEYRING, SecretStoreError, "No keyring is available"),
        (Failure.UNEXPECTED, SecretStoreError, "OSError"),
    ],
)
@pytest.mark.parametrize("operation", ["get", "set", "delete"])
@pytest.mark.asyncio
async def test_backend_failures_become_typed_errors(
    make_store, token, failure, error_type, words, operation
):
    store, _ = await broken_after_startup(make_store, failure, token)
    with pytest.raises(error_type) as caught:
        if operation == "set":
            await store.set(ACCOUNT_ID, token)
        else:
            await getattr(store, operation)(ACCOUNT_ID)
    assert type(caught.value) is error_type
    assert words in caught.value.message
    assert token not in str(caught.value)
    assert caught.value.exit_code == error_type.exit_code


@pytest.mark.asyncio
async def test_refused_save_is_an_error_and_keeps_the_old_entry(make_store, token):
    store, backend = await broken_after_startup(make_store, Failure.SET_ERROR, "old-" + token)
    with pytest.raises(SecretStoreError) as caught:
        await store.set(ACCOUNT_ID, token)
    assert "refused to save the token" in caught.value.message
    assert "Can't store password on keychain" in caught.value.message
    assert token not in caught.value.message  # the backend echoed it
    assert MASK in caught.value.message
    assert backend.entries[(SERVICE_NAME, ACCOUNT_ID)] == "old-" + token
    assert await store.get(ACCOUNT_ID) == "old-" + token  # no silent fallback to memory


@pytest.mark.asyncio
async def test_failed_delete_of_an_existing_entry_is_an_error(make_store, token):
    store, backend = await broken_after_startup(make_store, Failure.DELETE_ERROR, token)
    with pytest.raises(SecretStoreError) as caught:
        await store.delete(ACCOUNT_ID)
    assert "could not delete the token (Access denied)" in caught.value.message
    assert (SERVICE_NAME, ACCOUNT_ID) in backend.entries


@pytest.mark.asyncio
async def test_locked_at_start_then_unlocked_at_the_prompt(make_store, token):
    backend = MemoryKeyring(Failure.LOCKED)
    store = make_store(backend)
    assert (await store.status()).state is BackendState.LOCKED
    with pytest.raises(SecretStoreLockedError):
        await store.set(ACCOUNT_ID, token)
    backend.failure = Failure.NONE  # this time the user answers the unlock prompt
    assert await store.set(ACCOUNT_ID, token) is SecretLocation.KEYRING
    assert (await store.status()).state is BackendState.AVAILABLE


@pytest.mark.asyncio
async def test_locking_later_shows_in_the_status(make_store, token):
    store, _ = await broken_after_startup(make_store, Failure.LOCKED, token)
    with pytest.raises(SecretStoreLockedError):
        await store.get(ACCOUNT_ID)
    assert (await store.status()).state is BackendState.LOCKED


@pytest.mark.parametrize(
    ("exc", "error_type", "expected"),
    [
        (KeyringLocked("x"), SecretStoreLockedError, "Vault is locked, so the app could not act"),
        (NoKeyringError("no dbus"), SecretStoreError, "No keyring is available to act (no dbus)."),
        (InitError("Prompt dismissed."), SecretStoreError, "Vault could not be opened to act"),
        (PasswordSetError("denied"), SecretStoreError, "Vault refused to act (denied)."),
        (PasswordDeleteError("denied"), SecretStoreError, "Vault could not act (denied)."),
        (KeyringError(""), SecretStoreError, "Vault failed to act."),
        (ValueError("odd"), SecretStoreError, "Vault failed to act: ValueError (odd)."),
    ],
)
def test_every_keyring_error_has_its_words(exc, error_type, expected):
    error = translate_error(exc, "act", "Vault")
    assert type(error) is error_type
    assert error.message.startswith(expected)


def test_error_texts_hide_the_secret_even_when_too_short_to_register():
    error = translate_error(PasswordSetError("rejected abc123"), "save", "Vault", "abc123")
    assert "abc123" not in error.message


# No keyring: memory for this session only.


@pytest.mark.parametrize("backend_factory", [fail.Keyring, null.Keyring])
@pytest.mark.asyncio
async def test_without_a_keyring_the_token_lives_in_memory_only(
    make_store, backend_factory, token, tmp_path, monkeypatch
):
    monkeypatch.setenv("HOME", str(tmp_path))
    store = make_store(backend_factory())
    assert await store.set(ACCOUNT_ID, token) is SecretLocation.MEMORY
    assert await store.get(ACCOUNT_ID) == token
    assert list(tmp_path.iterdir()) == []  # nothing on disk
    assert await make_store(backend_factory()).get(ACCOUNT_ID) is None  # next session
    await store.delete(ACCOUNT_ID)
    assert await store.get(ACCOUNT_ID) is None


@pytest.mark.asyncio
async def test_close_forgets_memory_tokens(make_store, token):
    store = make_store(fail.Keyring())
    await store.set(ACCOUNT_ID, token)
    store.close()
    assert token not in repr(vars(store))


# One worker thread, one call at a time.


@pytest.mark.asyncio
async def test_calls_are_serialised_on_one_worker_thread(make_store, token):
    backend = MemoryKeyring(delay=0.01)
    store = make_store(backend)
    accounts = [f"{n:032x}" for n in range(8)]
    await asyncio.gather(
        *(store.set(a, f"{token}-{n}") for n, a in enumerate(accounts)),
        *(store.get(a) for a in accounts),
        *(store.delete(a) for a in accounts[:4]),
        store.status(refresh=True),
    )
    assert backend.max_concurrent == 1
    assert len(backend.threads) == 1
    assert threading.get_ident() not in backend.threads
    assert len(backend.calls) >= 8 + 8 + 4 + 1


@pytest.mark.asyncio
async def test_a_slow_keyring_does_not_block_the_event_loop(make_store):
    store = make_store(MemoryKeyring(delay=0.3))
    ticks = 0

    async def tick():
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    await store.status()
    ticker.cancel()
    assert ticks >= 10


# Redaction.


@pytest.mark.asyncio
async def test_saved_and_loaded_tokens_are_registered_for_redaction(make_store, token):
    backend = MemoryKeyring()
    await make_store(backend).set(ACCOUNT_ID, token)
    assert redact(f"Authorization: Bearer {token}") == f"Authorization: Bearer {MASK}"

    loaded = token[::-1]  # saved by an earlier run of the app, unknown to this process
    backend.entries[(SERVICE_NAME, OTHER_ACCOUNT_ID)] = loaded
    assert redact(loaded) == loaded  # not known before it is read
    await make_store(backend).get(OTHER_ACCOUNT_ID)
    assert redact(f"token={loaded}") == f"token={MASK}"


@pytest.mark.asyncio
async def test_memory_tokens_are_registered_for_redaction(make_store, token):
    await make_store(fail.Keyring()).set(ACCOUNT_ID, token)
    assert token not in redact(f"[{token}]")
