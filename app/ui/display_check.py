"""Without a desktop session the window cannot open: say so in one plain sentence.

Qt would otherwise abort (exit 134) with advice about reinstalling xcb libraries: when
neither DISPLAY nor WAYLAND_DISPLAY is set, and when DISPLAY names a local X server that
is not there (a session that ended, an Xvfb that was stopped).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping

from app.core.safe_text import safe_text

# Documented in README's exit codes.
EXIT_NO_DISPLAY = 13
NO_DISPLAY_MESSAGE = (
    "The window needs a desktop session (neither DISPLAY nor WAYLAND_DISPLAY is set); "
    "the commands (livestream-companion --help) work without one."
)
NO_X_SERVER_MESSAGE = (
    "The window needs a desktop session, but no X server answers at DISPLAY={display}; "
    "the commands (livestream-companion --help) work without one."
)
# Platforms that need a display server; others (offscreen, vnc, eglfs) do not.
DISPLAY_PLATFORMS = ("", "xcb", "wayland")
# ":0", ":0.1", "unix:0": a server on this machine, reached through its socket.
LOCAL_DISPLAY = re.compile(r"(?:unix)?:(\d+)(?:\.\d+)?")
X_SOCKET_DIR = "/tmp/.X11-unix"


def x_server_answers_at(display: str) -> bool:
    """False only for a local display whose server is surely gone; a remote or unusual
    DISPLAY (ssh's localhost:10) is left to Qt: nothing is sent over a network to check."""
    local = LOCAL_DISPLAY.fullmatch(display)
    if local is None:
        return True
    path = f"{X_SOCKET_DIR}/X{local.group(1)}"
    if os.path.exists(path):
        return True
    # Servers may listen on Linux's abstract socket only, under the same name.
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        try:
            probe.connect("\0" + path)
        except OSError:
            return False
    return True


def display_problem(
    environ: Mapping[str, str] = os.environ,
    platform: str = sys.platform,
    x_server_answers: Callable[[str], bool] = x_server_answers_at,
) -> str | None:
    """The sentence to show when the window cannot open here, else None."""
    if not platform.startswith("linux"):
        return None  # macOS and Windows always have their own window system
    wanted = environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0]
    if wanted not in DISPLAY_PLATFORMS:
        return None
    display = environ.get("DISPLAY", "")
    wayland = environ.get("WAYLAND_DISPLAY", "")
    if not display and not wayland:
        return NO_DISPLAY_MESSAGE
    uses_x = wanted == "xcb" or (wanted == "" and not wayland)
    if uses_x and display and not x_server_answers(display):
        return NO_X_SERVER_MESSAGE.format(display=safe_text(display))
    return None
