"""Stores over test backends, closed after each test."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator

import pytest
from keyring.backend import KeyringBackend

from app.core.token_store import TokenStore


@pytest.fixture
def make_store() -> Iterator[Callable[[KeyringBackend], TokenStore]]:
    stores: list[TokenStore] = []

    def make(backend: KeyringBackend) -> TokenStore:
        store = TokenStore(backend)
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def token() -> str:
    """A recognisable token, new for each test (the redaction registry is process-wide)."""
    return "tok-" + secrets.token_urlsafe(30)
