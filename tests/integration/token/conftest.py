"""A clean environment for the command line, and an emulator that knows the test's token."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.emulator import Emulator
from app.emulator.demo import DEMO_APP_ID

# Variables that would change where the token comes from, or which keyring is used.
_CLEARED = ("CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_BASE_URL", "PYTHON_KEYRING_BACKEND")


@pytest.fixture
def cli_home(tmp_path: Path) -> Path:
    """The home of the commands under test: every file they write lands here."""
    home = tmp_path / "home"
    home.mkdir()
    return home


@pytest.fixture
def cli_env(cli_home: Path, secret_service) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    env.update(
        HOME=str(cli_home),
        XDG_CONFIG_HOME=str(cli_home / ".config"),
        XDG_DATA_HOME=str(cli_home / ".local/share"),
        XDG_CACHE_HOME=str(cli_home / ".cache"),
        XDG_STATE_HOME=str(cli_home / ".local/state"),
    )
    return env


@pytest.fixture
def account_id() -> str:
    """Fresh per test: the Secret Service is shared by the whole run."""
    return secrets.token_hex(16)


@pytest.fixture
def api_token() -> str:
    """Recognisable, shaped like a Cloudflare token (40 characters)."""
    return "LEAKCHECK" + secrets.token_urlsafe(24)[:31]


@dataclass(frozen=True)
class EmulatedAccount:
    emulator: object
    account_id: str
    app_id: str
    token: str

    def cli_args(self, command: str, *more: str) -> list[str]:
        return [
            "--api-base-url",
            self.emulator.base_url,
            command,
            "--account-id",
            self.account_id,
            "--app-id",
            self.app_id,
            *more,
        ]


@pytest.fixture
def emulated_account(account_id: str, api_token: str) -> Iterator[EmulatedAccount]:
    with Emulator(port=0) as emulator:
        emulator.add_app(account_id, DEMO_APP_ID, "token-tests")
        emulator.add_token(api_token)
        yield EmulatedAccount(emulator, account_id, DEMO_APP_ID, api_token)
