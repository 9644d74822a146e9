"""What the window is built from.

Injected, so tests hand in the emulator and an isolated settings file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.ui.controllers.livestream_controller import WATCH_INTERVAL_S, ClientFactory
from app.ui.controllers.token_controller import TokenStoreLike
from app.ui.settings import AppSettings


@dataclass(frozen=True)
class DemoDefaults:
    account_id: str
    app_id: str
    stream_name: str
    token: str

    def __repr__(self) -> str:
        return f"DemoDefaults(account_id={self.account_id!r}, app_id={self.app_id!r})"


@dataclass
class AppContext:
    client_factory: ClientFactory
    # None in demo mode: the demo token never goes near the keyring.
    token_store: TokenStoreLike | None
    settings: AppSettings
    demo: DemoDefaults | None = None
    watch_interval_s: float = WATCH_INTERVAL_S
    # The app's one httpx.AsyncClient, shared with the preview (typed loosely: no
    # httpx import on the widget side).
    http: Any = None
