"""FFmpeg's own log (every playlist reload, every segment opened) stays quiet by default.

The preview's demuxer logs at FFmpeg's default level straight to stderr: about 250 lines a
minute while a stream plays. It stays on with --debug, or when the user set QT_LOGGING_RULES
or QT_FFMPEG_DEBUG to look into the media stack.
"""

from __future__ import annotations

import ctypes
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

AV_LOG_QUIET = -8


def quiet_ffmpeg() -> bool:
    """Silences the libavutil that Qt's FFmpeg plugin uses; True if it did.

    Call it once a media player exists: libavutil loads with Qt's FFmpeg plugin and needs
    symbols that the plugin brings along.
    """
    debug = logging.getLogger().isEnabledFor(logging.DEBUG)
    if debug or "QT_LOGGING_RULES" in os.environ or "QT_FFMPEG_DEBUG" in os.environ:
        return False
    library = _bundled_libavutil()
    if library is None:
        return False
    try:
        # Already loaded by the plugin: this opens that very copy.
        ctypes.CDLL(str(library)).av_log_set_level(AV_LOG_QUIET)
    except (OSError, AttributeError) as error:
        log.debug("could not quiet FFmpeg: %s", error)
        return False
    return True


def _bundled_libavutil() -> Path | None:
    """The libavutil shipped with Qt (beside Qt's own libraries), if any."""
    from PySide6.QtCore import QLibraryInfo

    libraries = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.LibrariesPath))
    found = sorted(libraries.glob("libavutil.so.*"), key=lambda p: len(p.name))
    return found[0] if found else None
