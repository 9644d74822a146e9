"""Without a desktop session the window cannot open: say so in one plain sentence.

Qt would otherwise abort (exit 134) with advice about reinstalling xcb libraries.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

# Documented in README's exit codes.
EXIT_NO_DISPLAY = 13
NO_DISPLAY_MESSAGE = (
    "The window needs a desktop session (neither DISPLAY nor WAYLAND_DISPLAY is set); "
    "the commands (livestream-companion --help) work without one."
)
# Platforms that need a display server; others (offscreen, vnc, eglfs) do not.
DISPLAY_PLATFORMS = ("", "xcb", "wayland")


def display_missing(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    if not platform.startswith("linux"):
        return False  # macOS and Windows always have their own window system
    wanted = environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0]
    if wanted not in DISPLAY_PLATFORMS:
        return False
    return not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY")
