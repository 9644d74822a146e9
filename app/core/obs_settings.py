"""Where OBS's websocket server is: host and port, saved in a small file both the window and
the CLI read (the CLI runs without Qt, so these are not kept in QSettings).

The password is not here: it lives in the OS keyring (see obs_password).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from app import about
from app.core.errors import InvalidInputError
from app.core.validation import MAX_HOST_LENGTH, checked_server_url

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4455
URL_ENV_VAR = "OBS_WEBSOCKET_URL"
PASSWORD_ENV_VAR = "OBS_WEBSOCKET_PASSWORD"
SETTINGS_FILE_NAME = "obs.json"


@dataclass(frozen=True, slots=True)
class ObsSettings:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    # Off by default: the app never starts a stream unless the user asked for this button.
    offer_start_stream: bool = False

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def url(self) -> str:
        return f"ws://{self.address}"


def validate_host(value: str) -> str:
    host = value.strip().strip("[]")
    if not host:
        raise InvalidInputError(
            "obs_host", "Enter the computer OBS runs on (127.0.0.1 for this one)."
        )
    if len(host) > MAX_HOST_LENGTH or any(c.isspace() or c in "/?#@" for c in host):
        raise InvalidInputError(
            "obs_host", "The OBS host is a name or an IP address only, such as 127.0.0.1."
        )
    return host


def validate_port(value: str | int) -> int:
    try:
        port = int(str(value).strip())
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise InvalidInputError(
            "obs_port", "The OBS WebSocket port is a number from 1 to 65535 (4455 by default)."
        )
    return port


def parse_obs_url(value: str) -> tuple[str, int]:
    """Host and port of a ws://host[:port] address, as in OBS's "Show Connect Info"."""
    text = value.strip()
    parts = checked_server_url(text if "://" in text else f"ws://{text}", "obs_url", URL_ENV_VAR)
    if parts.scheme != "ws" or parts.path not in ("", "/"):
        raise InvalidInputError(
            "obs_url",
            f"{URL_ENV_VAR} must look like ws://127.0.0.1:4455, with no path "
            "(obs-websocket has no wss://).",
        )
    port = DEFAULT_PORT if parts.port is None else parts.port
    return validate_host(parts.hostname or ""), validate_port(port)


def settings_from_environ(
    saved: ObsSettings, environ: Mapping[str, str] = os.environ
) -> ObsSettings:
    """The saved settings, with host and port replaced by $OBS_WEBSOCKET_URL when set."""
    url = environ.get(URL_ENV_VAR, "").strip()
    if not url:
        return saved
    host, port = parse_obs_url(url)
    return ObsSettings(host=host, port=port, offer_start_stream=saved.offer_start_stream)


def default_config_dir(
    environ: Mapping[str, str] = os.environ,
    platform: str = sys.platform,
    home: Path | None = None,
) -> Path:
    home = home or Path.home()
    if platform == "win32":
        base = Path(environ.get("APPDATA") or home / "AppData" / "Roaming")
        return base / about.DISPLAY_NAME
    if platform == "darwin":
        return home / "Library" / "Application Support" / about.DISPLAY_NAME
    xdg = environ.get("XDG_CONFIG_HOME")
    # Beside the window's QSettings file, which Qt keeps under the organization name.
    return (Path(xdg) if xdg else home / ".config") / about.ORGANIZATION_NAME


class ObsSettingsStore:
    """Reads and writes the settings file. Blocking file I/O: the window calls it off the GUI
    thread. A missing or damaged file gives the defaults, never an error."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_config_dir() / SETTINGS_FILE_NAME

    def load(self) -> ObsSettings:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return ObsSettings()
        except (OSError, ValueError) as error:
            log.warning("Ignoring unreadable OBS settings %s: %s", self.path, error)
            return ObsSettings()
        try:
            return ObsSettings(
                host=validate_host(str(data.get("host", DEFAULT_HOST))),
                port=validate_port(data.get("port", DEFAULT_PORT)),
                offer_start_stream=data.get("offer_start_stream") is True,
            )
        except (InvalidInputError, AttributeError) as error:
            log.warning("Ignoring invalid OBS settings in %s: %s", self.path, error)
            return ObsSettings()

    def is_saved(self) -> bool:
        """True once the user has saved settings: OBS is in use here."""
        return self.path.is_file()

    def save(self, settings: ObsSettings) -> None:
        """Writes to a temporary file and renames it, so a crash never leaves half a file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "host": settings.host,
            "port": settings.port,
            "offer_start_stream": settings.offer_start_stream,
        }
        fd, temp_name = tempfile.mkstemp(prefix=".obs-", suffix=".json", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=2)
                handle.write("\n")
            os.replace(temp_name, self.path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
