"""Typed errors of talking to OBS Studio over obs-websocket, each with a fix the user can make.

None of them ever carries the stream key or the websocket password: the
messages name the host and port at most.
"""

from __future__ import annotations

from app.core.errors import CompanionError

WEBSOCKET_SETTINGS_HINT = (
    "In OBS open Tools > WebSocket Server Settings, tick Enable WebSocket server, "
    "and check the port."
)


class ObsError(CompanionError):
    """Base of every failure to set up OBS; the CLI exits with its code (20-29 are OBS's)."""

    exit_code = 20


class ObsNotReachableError(ObsError):
    """Nothing accepted the connection: OBS is closed, or its websocket server is off."""

    def __init__(self, address: str, *, detail: str | None = None) -> None:
        reason = detail or f"Nothing answered at {address}"
        super().__init__(
            f"{reason}: OBS Studio is not running, or its WebSocket server is off. "
            f"Start OBS. {WEBSOCKET_SETTINGS_HINT}"
        )
        self.address = address


class ObsAuthError(ObsError):
    """OBS refused the password (or asked for one and none is saved)."""

    exit_code = 21

    def __init__(self, *, password_given: bool, for_command_line: bool = False) -> None:
        problem = (
            "OBS refused the WebSocket password."
            if password_given
            else "OBS asks for a WebSocket password and none is saved."
        )
        # Scripts have no settings dialog: they pass the password in the environment.
        target = (
            "$OBS_WEBSOCKET_PASSWORD (or save it in the window's OBS settings)"
            if for_command_line
            else "this app's OBS settings"
        )
        super().__init__(
            f"{problem} Copy it from OBS (Tools > WebSocket Server Settings > Show Connect "
            f"Info) into {target}."
        )
        self.password_given = password_given


class ObsVersionError(ObsError):
    """The peer is not obs-websocket 5 (an OBS older than 28, or something else on the port)."""

    exit_code = 22

    def __init__(self, address: str, detail: str) -> None:
        super().__init__(
            f"{address} is not an obs-websocket 5 server ({detail}). Update to OBS Studio 28 or "
            "newer, which has obs-websocket 5 built in, and check the port in this app's OBS "
            "settings (4455 by default)."
        )
        self.address = address


class ObsTimeoutError(ObsError):
    """OBS accepted the connection (or was being reached) and then did not answer in time."""

    exit_code = 23

    def __init__(self, step: str, seconds: float) -> None:
        super().__init__(
            f"OBS did not answer in time ({step}, {seconds:g} s). If OBS is busy or showing a "
            "dialog, close the dialog and try again."
        )
        self.step = step


class ObsLiveError(ObsError):
    """OBS is streaming: it rejects stream settings changes while live, so nothing was sent."""

    exit_code = 24

    def __init__(self) -> None:
        super().__init__(
            "OBS is streaming right now, and OBS cannot change where it streams while live. "
            "Nothing was changed. Stop streaming in OBS, then send again."
        )


class ObsRequestError(ObsError):
    """OBS answered a request with a failure, or closed the connection in the middle."""

    exit_code = 25

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class ObsVerifyError(ObsError):
    """OBS accepted the settings but reads back something else."""

    exit_code = 25

    def __init__(self, field: str) -> None:
        super().__init__(
            f"OBS accepted the stream settings but reads back a different {field}. Open OBS "
            "Settings > Stream, check Service is Custom, and paste the server and key by hand."
        )
        self.field = field


class ObsTargetChangedError(ObsError):
    """OBS no longer points at the livestream the user asked to start."""

    exit_code = 25

    def __init__(self) -> None:
        super().__init__(
            "OBS no longer points at this livestream (its stream settings changed after they "
            "were sent). Nothing was started. Send to OBS again, then start."
        )
