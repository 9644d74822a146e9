"""What the window is built from.

Injected, so tests hand in the emulator and an isolated settings file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from app.core.status_polling import API_MIN_INTERVAL
from app.ui.controllers.token_controller import TokenStoreLike
from app.ui.settings import AppSettings

if TYPE_CHECKING:
    # Types only: the sessions controller loads the API's models, after the first paint.
    from app.core.http import HttpClient
    from app.core.models import TokenVerification
    from app.core.obs_password import ObsPasswordStore
    from app.ui.controllers.livestream_controller import LivestreamApi
    from app.ui.sessions.controller import SessionsApi

    class CompanionApi(LivestreamApi, SessionsApi, Protocol):
        """All the window asks of the API client: livestreams, their sessions, the token check."""

        async def verify_token(self, account_id: str) -> TokenVerification: ...


@dataclass(frozen=True)
class DemoDefaults:
    account_id: str
    app_id: str
    stream_name: str
    token: str
    app_name: str = ""

    def __repr__(self) -> str:
        return f"DemoDefaults(account_id={self.account_id!r}, app_id={self.app_id!r})"


@dataclass
class AppContext:
    # Factories are called on first use, so the window paints before httpx or keyring
    # load; a ready object (token_store=, http=) may be given instead.
    client_factory: Callable[[str], CompanionApi]
    settings: AppSettings
    # No store at all in demo mode: the demo token never goes near the keyring.
    token_store_factory: Callable[[], TokenStoreLike] | None = None
    token_store: TokenStoreLike | None = None
    demo: DemoDefaults | None = None
    watch_interval_s: float = API_MIN_INTERVAL
    # The app's one HTTP client, shared with the preview.
    http_factory: Callable[[], HttpClient] | None = None
    http: HttpClient | None = None
    # Where the Send to OBS row keeps its host and port; None: the per-user default.
    obs_settings_path: Path | None = None
    # Where Send to OBS keeps the obs-websocket password; None: the OS keyring.
    obs_password_store_factory: Callable[[], ObsPasswordStore] | None = None
    # The API base the client uses (None: Cloudflare's); the window says so when it is not.
    api_base_url: str | None = None

    def __post_init__(self) -> None:
        if self.token_store is not None and self.token_store_factory is None:
            store = self.token_store
            self.token_store_factory = lambda: store
        if self.http is not None and self.http_factory is None:
            http = self.http
            self.http_factory = lambda: http
