"""The token through the real command line and a real Secret Service (gnome-keyring)."""

from __future__ import annotations

import gc

import pytest

from app.core.errors import AuthError, SecretStoreLockedError
from app.core.keyring_status import BackendState
from app.core.secret_store import SecretLocation
from app.core.token_store import SERVICE_NAME, TokenStore
from tests.integration.token.cli import run_cli, secret_tool_attributes, secret_tool_lookup

pytestmark = pytest.mark.integration


def test_set_status_forget_through_the_cli(cli_env, account_id, api_token):
    saved = run_cli("token", "set", "--account-id", account_id, env=cli_env, stdin=api_token + "\n")
    assert saved.returncode == 0, saved.stderr
    assert saved.stdout.strip() == "Saved in Secret Service."
    assert secret_tool_lookup(SERVICE_NAME, account_id, cli_env) == api_token
    assert secret_tool_attributes(SERVICE_NAME, account_id, cli_env)["application"] == (
        "Livestream Companion"
    )

    status = run_cli("token", "status", "--account-id", account_id, env=cli_env)
    assert status.returncode == 0, status.stderr
    assert f"A token for account {account_id} is saved in Secret Service." in status.stdout
    assert api_token not in status.stdout + status.stderr

    forgot = run_cli("token", "forget", "--account-id", account_id, env=cli_env)
    assert forgot.returncode == 0, forgot.stderr
    assert secret_tool_lookup(SERVICE_NAME, account_id, cli_env) is None

    status = run_cli("token", "status", "--account-id", account_id, env=cli_env)
    assert status.returncode == AuthError.exit_code
    assert f"No token for account {account_id} in Secret Service." in status.stdout
    assert f"token set --account-id {account_id}" in status.stderr

    again = run_cli("token", "forget", "--account-id", account_id, env=cli_env)
    assert again.returncode == 0, again.stderr  # nothing to forget is fine


def test_a_new_token_replaces_the_old_one(cli_env, account_id, api_token):
    for token in (api_token[::-1], api_token):
        run = run_cli("token", "set", "--account-id", account_id, env=cli_env, stdin=token)
        assert run.returncode == 0, run.stderr
    assert secret_tool_lookup(SERVICE_NAME, account_id, cli_env) == api_token
    run_cli("token", "forget", "--account-id", account_id, env=cli_env)


def test_set_refuses_an_empty_token_and_bad_account(cli_env, account_id):
    empty = run_cli("token", "set", "--account-id", account_id, env=cli_env, stdin="\n")
    assert empty.returncode == 3
    assert "The token is empty" in empty.stderr
    assert secret_tool_lookup(SERVICE_NAME, account_id, cli_env) is None

    bad = run_cli("token", "set", "--account-id", "nope", env=cli_env, stdin="x" * 40)
    assert bad.returncode == 3
    assert "32 hexadecimal characters" in bad.stderr


def test_create_uses_the_stored_token(cli_env, emulated_account):
    account = emulated_account
    stored = run_cli(
        "token", "set", "--account-id", account.account_id, env=cli_env, stdin=account.token
    )
    assert stored.returncode == 0, stored.stderr

    created = run_cli(*account.cli_args("create", "--name", "from-keyring"), env=cli_env)
    assert created.returncode == 0, created.stderr
    (livestream,) = account.emulator.livestreams(account.account_id, account.app_id)
    assert livestream.name == "from-keyring"
    assert livestream.stream_key in created.stdout

    run_cli("token", "forget", "--account-id", account.account_id, env=cli_env)
    refused = run_cli(*account.cli_args("create"), env=cli_env)
    assert refused.returncode == AuthError.exit_code
    assert f"token set --account-id {account.account_id}" in refused.stderr
    assert len(account.emulator.livestreams(account.account_id, account.app_id)) == 1


def test_the_environment_token_wins_over_the_keyring(cli_env, emulated_account):
    account = emulated_account
    wrong = "WRONG" + account.token[5:][::-1]
    run_cli("token", "set", "--account-id", account.account_id, env=cli_env, stdin=wrong)
    env = {**cli_env, "CLOUDFLARE_API_TOKEN": account.token}
    try:
        created = run_cli(*account.cli_args("create"), env=env)
        assert created.returncode == 0, created.stderr
        status = run_cli("token", "status", "--account-id", account.account_id, env=env)
        assert "CLOUDFLARE_API_TOKEN is set, and commands use it instead." in status.stdout
    finally:
        run_cli("token", "forget", "--account-id", account.account_id, env=cli_env)


@pytest.mark.asyncio
async def test_store_on_the_real_secret_service(secret_service, account_id, api_token):
    store = TokenStore()
    try:
        status = await store.status()
        assert status.state is BackendState.AVAILABLE
        assert status.backend_name == "Secret Service"
        assert await store.set(account_id, api_token) is SecretLocation.KEYRING
        later = TokenStore()
        try:
            assert await later.get(account_id) == api_token
        finally:
            later.close()
        await store.delete(account_id)
        await store.delete(account_id)  # a missing entry is fine
        assert await store.get(account_id) is None
    finally:
        store.close()


# Locked: a collection of the test's own, so the login keyring stays unlocked.


def test_locked_keyring_is_reported_then_works_once_unlocked(
    cli_env, account_id, api_token, throwaway_collection
):
    env = {**cli_env, "KEYRING_PROPERTY_PREFERRED_COLLECTION": throwaway_collection.path}
    saved = run_cli("token", "set", "--account-id", account_id, env=env, stdin=api_token)
    assert saved.returncode == 0, saved.stderr

    throwaway_collection.lock()
    assert throwaway_collection.is_locked()
    status = run_cli("token", "status", "--account-id", account_id, env=env)
    assert status.returncode == SecretStoreLockedError.exit_code
    assert "Secret Service is locked" in status.stderr
    assert "unlock it" in status.stderr
    resave = run_cli("token", "set", "--account-id", account_id, env=env, stdin=api_token)
    assert resave.returncode == SecretStoreLockedError.exit_code
    assert "Secret Service is locked, so the app could not save the token" in resave.stderr
    assert "Traceback" not in status.stderr + resave.stderr

    throwaway_collection.unlock()
    status = run_cli("token", "status", "--account-id", account_id, env=env)
    assert status.returncode == 0, status.stderr
    assert "is saved in Secret Service" in status.stdout


# keyring's Secret Service backend leaves its D-Bus connection open when it finds
# the collection locked (it closes it only on success); collected here, in the test.
@pytest.mark.filterwarnings("ignore:unclosed <socket:ResourceWarning")
@pytest.mark.asyncio
async def test_store_status_is_locked_on_a_locked_collection(throwaway_collection, secret_service):
    backend = secret_service.with_properties(preferred_collection=throwaway_collection.path)
    throwaway_collection.lock()
    store = TokenStore(backend)
    try:
        status = await store.status()
        assert status.state is BackendState.LOCKED
        assert "Secret Service is locked" in status.detail
        throwaway_collection.unlock()
        assert (await store.status(refresh=True)).state is BackendState.AVAILABLE
    finally:
        store.close()
        gc.collect()
