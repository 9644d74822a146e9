"""The form's credentials: where the token is kept, which account it belongs to, saving and
forgetting it, and the account's apps.

Keeps that state out of the window: it asks `TokenController` to load, check, save and forget,
and words the outcome under the token field. The window hears only what concerns it: a token
to use (refresh what depends on it), a confirmation, an error for the banner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.core.errors import CompanionError
from app.ui.controllers.livestream_controller import LivestreamController
from app.ui.controllers.token_controller import TokenController, TokenPlace
from app.ui.widgets.credentials_form import CredentialsForm

if TYPE_CHECKING:
    from app.core.models import RealtimeApp


class CredentialsController(QObject):
    token_ready = Signal()  # a token was loaded into the form: requests may use it
    token_works = Signal()  # the API confirmed the token (on Save)
    message = Signal(str)  # a short confirmation for the status bar
    failed = Signal(object)  # CompanionError, for the banner

    def __init__(
        self,
        form: CredentialsForm,
        tokens: TokenController,
        livestreams: LivestreamController,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._form = form
        self._tokens = tokens
        self._livestreams = livestreams
        self.place = TokenPlace.NONE
        self.account = ""  # the account whose saved token is (or is not) in the form
        self.works = False  # the API confirmed the token in the form (on its last Save)
        self._connect_signals()

    def _connect_signals(self) -> None:
        form, tokens = self._form, self._tokens
        form.save_token_requested.connect(self._on_form_save_requested)
        form.forget_token_requested.connect(self._on_form_forget_requested)
        form.token_edited.connect(self._on_form_token_edited)
        tokens.backend_checked.connect(lambda *_: self._render())
        tokens.token_loaded.connect(self._on_token_loaded)
        tokens.token_saved.connect(self._on_token_saved)
        tokens.token_rejected.connect(self._on_token_rejected)
        tokens.token_forgotten.connect(self._on_token_forgotten)
        tokens.token_failed.connect(self.failed)
        form.load_apps_requested.connect(self._on_form_load_apps_requested)
        self._livestreams.apps_loaded.connect(self._on_apps_loaded)
        self._livestreams.apps_failed.connect(self._on_apps_failed)

    def start(self, *, demo_token: str | None = None) -> None:
        if demo_token is not None:
            self._form.set_token(demo_token)
            self._set_place(TokenPlace.DEMO)
        else:
            self._set_place(TokenPlace.NONE)

    def account_settled(self) -> None:
        """The account field stopped changing: load that account's saved token, unless the
        user typed one."""
        account_id = self._form.valid_account_id()
        if (
            account_id
            and not self._tokens.is_demo
            and self.account != account_id
            and self.place is not TokenPlace.UNSAVED
        ):
            self._tokens.request_load(account_id)
        self._render()

    # --- slots ----------------------------------------------------------------------------

    def _on_form_token_edited(self) -> None:
        self._form.offer_save_anyway(False)
        if not self._tokens.is_demo:
            self._set_place(TokenPlace.UNSAVED if self._form.token_text() else TokenPlace.NONE)

    def _on_form_save_requested(self) -> None:
        values = self._form.values(fields=("account_id", "token"))
        if values is not None:
            insist = self._form.save_insists
            self._form.offer_save_anyway(False)
            self._tokens.request_save(values.account_id, values.token, insist=insist)

    def _on_form_forget_requested(self) -> None:
        values = self._form.values(fields=("account_id",))
        if values is not None:
            self._tokens.request_forget(values.account_id)

    def _on_form_load_apps_requested(self) -> None:
        values = self._form.values(fields=("account_id", "token"))
        if values is None:
            return
        self._form.set_loading_apps(True)
        self._livestreams.request_apps(values.account_id, values.token)

    def _on_apps_loaded(self, apps: list[RealtimeApp]) -> None:
        self._form.set_loading_apps(False)
        self._form.set_apps(apps)
        if not apps:
            self.message.emit("This account has no RealtimeKit apps yet.")

    def _on_apps_failed(self, error: CompanionError) -> None:
        self._form.set_loading_apps(False)
        self.failed.emit(error)

    def _on_token_loaded(self, account_id: str, token: str, place: TokenPlace) -> None:
        if account_id != self._form.valid_account_id() or self.place is TokenPlace.UNSAVED:
            return
        self.account = account_id
        self.works = False  # not checked since it was saved
        self._form.set_token(token)
        self._set_place(place)
        self.token_ready.emit()

    def _on_token_saved(self, account_id: str, place: TokenPlace, works: bool) -> None:
        self.account = account_id
        self.works = works
        self._set_place(place)
        if works:
            self.token_works.emit()
        self.message.emit(("Token works. " if works else "") + self._place_text(place))

    def _on_token_rejected(self, account_id: str, error: CompanionError) -> None:
        self.failed.emit(error)
        # Stored only if the user insists: Save becomes "Save anyway" until the token changes.
        self._form.offer_save_anyway(True)

    def _on_token_forgotten(self, account_id: str) -> None:
        self.account = account_id
        self._form.set_token("")
        self._set_place(TokenPlace.NONE)
        self.message.emit("The token was forgotten.")

    # --- rendering ------------------------------------------------------------------------

    def _set_place(self, place: TokenPlace) -> None:
        if place is not self.place and place is not TokenPlace.KEYRING:
            self.works = False
        self.place = place
        self._render()

    def _render(self) -> None:
        place = self.place
        checked = "Token works. " if self.works and place is TokenPlace.KEYRING else ""
        self._form.set_token_place(
            checked + self._place_text(place),
            can_save=place is TokenPlace.UNSAVED and bool(self._form.token_text()),
            can_forget=place in (TokenPlace.KEYRING, TokenPlace.SESSION),
        )

    def _place_text(self, place: TokenPlace) -> str:
        backend = self._tokens.backend_name
        usable = self._tokens.backend_usable
        if place is TokenPlace.DEMO:
            # Whatever is typed over the demo token: demo mode never saves one.
            return "Demo mode: the token stays in memory, never saved."
        if place is TokenPlace.KEYRING:
            return f"Saved in {backend}."
        if place is TokenPlace.SESSION or (place is TokenPlace.UNSAVED and not usable):
            return "Kept for this session only: no keyring available."
        if place is TokenPlace.UNSAVED:
            return f"Not saved: click Save to keep it in {backend}."
        if not usable:
            return "No keyring available: a token you enter is kept for this session only."
        if not self._form.valid_account_id():
            return f"Paste a token; Save keeps it in {backend}."
        return f"No token saved in {backend} for this account."
