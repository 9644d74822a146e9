"""Preferences and window state in QSettings: never a token or a stream key.

Keys are declared once here with their types; the window reads and writes
through this class only. Tests pass an INI path so the user's settings are
never touched.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from app.core.private_file import make_private_file
from app.ui.clipboard import DEFAULT_CLEAR_AFTER_S

SCHEMA_VERSION = 1
MAX_CLIPBOARD_SECONDS = 600


class AppSettings:
    ACCOUNT_ID = "form/account_id"
    APP_ID = "form/app_id"
    APP_NAME = "form/app_name"  # the name Load apps gave the app ID, shown under it
    STREAM_NAME = "form/stream_name"
    GEOMETRY = "window/geometry"
    SPLITTER = "window/splitter"
    CLIPBOARD_CLEAR_S = "clipboard/clear_after_seconds"
    PREVIEW_AS_VIEWERS = "preview/as_viewers_see_it"
    VERSION = "meta/schema_version"
    NOTIFY = "notify/enabled"
    KEEP_IN_TRAY = "tray/keep_running_while_live"

    def __init__(self, settings: QSettings) -> None:
        self._s = settings
        if self._s.value(self.VERSION) is None:
            self._s.setValue(self.VERSION, SCHEMA_VERSION)

    @classmethod
    def at_path(cls, path: Path) -> AppSettings:
        make_private_file(path)
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    @classmethod
    def default(cls) -> AppSettings:
        """The per-user location; the application names must be set first."""
        settings = QSettings()
        if sys.platform != "win32":  # there the native format is the registry, not a file
            make_private_file(Path(settings.fileName()))
        return cls(settings)

    def _text(self, key: str) -> str:
        value = self._s.value(key, "")
        return value if isinstance(value, str) else ""

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._s.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def account_id(self) -> str:
        return self._text(self.ACCOUNT_ID)

    @account_id.setter
    def account_id(self, value: str) -> None:
        self._s.setValue(self.ACCOUNT_ID, value)

    @property
    def app_id(self) -> str:
        return self._text(self.APP_ID)

    @app_id.setter
    def app_id(self, value: str) -> None:
        self._s.setValue(self.APP_ID, value)

    @property
    def app_name(self) -> str:
        return self._text(self.APP_NAME)

    @app_name.setter
    def app_name(self, value: str) -> None:
        self._s.setValue(self.APP_NAME, value)

    @property
    def stream_name(self) -> str:
        return self._text(self.STREAM_NAME)

    @stream_name.setter
    def stream_name(self, value: str) -> None:
        self._s.setValue(self.STREAM_NAME, value)

    @property
    def geometry(self) -> QByteArray | None:
        return self._bytes(self.GEOMETRY)

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._s.setValue(self.GEOMETRY, value)

    @property
    def splitter_state(self) -> QByteArray | None:
        return self._bytes(self.SPLITTER)

    @splitter_state.setter
    def splitter_state(self, value: QByteArray) -> None:
        self._s.setValue(self.SPLITTER, value)

    @property
    def clipboard_clear_s(self) -> int:
        value = self._s.value(self.CLIPBOARD_CLEAR_S, DEFAULT_CLEAR_AFTER_S)
        if not isinstance(value, int | str):  # a hand-edited file may hold anything
            return DEFAULT_CLEAR_AFTER_S
        try:
            seconds = int(value)
        except (TypeError, ValueError):
            return DEFAULT_CLEAR_AFTER_S
        return min(max(seconds, 0), MAX_CLIPBOARD_SECONDS)

    @clipboard_clear_s.setter
    def clipboard_clear_s(self, value: int) -> None:
        self._s.setValue(self.CLIPBOARD_CLEAR_S, int(value))

    def _flag(self, key: str, default: bool) -> bool:
        value = self._s.value(key, default)
        if isinstance(value, str):  # INI files give text back
            return value.strip().lower() in ("true", "1", "yes")
        return bool(value)

    @property
    def notify(self) -> bool:
        """Desktop notifications of the shown livestream's changes; on unless turned off."""
        return self._flag(self.NOTIFY, True)

    @notify.setter
    def notify(self, value: bool) -> None:
        self._s.setValue(self.NOTIFY, bool(value))

    @property
    def keep_in_tray(self) -> bool:
        """Closing the window while live hides it to the tray; off unless turned on."""
        return self._flag(self.KEEP_IN_TRAY, False)

    @keep_in_tray.setter
    def keep_in_tray(self, value: bool) -> None:
        self._s.setValue(self.KEEP_IN_TRAY, bool(value))

    @property
    def preview_as_viewers(self) -> bool:
        """Start previews where viewers' players start, not at the live edge."""
        return self._flag(self.PREVIEW_AS_VIEWERS, False)

    @preview_as_viewers.setter
    def preview_as_viewers(self, value: bool) -> None:
        self._s.setValue(self.PREVIEW_AS_VIEWERS, bool(value))

    def sync(self) -> None:
        self._s.sync()
