"""Keeps secrets out of memory dumps: the process turns core dumps off as it starts.

The token and stream keys live in this process's memory; a core file would hold them
in plain text wherever the system writes it. Password managers do the same.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

PR_SET_DUMPABLE = 4


def disable_core_dumps() -> None:
    """RLIMIT_CORE 0 on Linux and macOS; on Linux also not dumpable (no core, no ptrace by peers).

    Best effort: a refusal is logged, never fatal.
    """
    if sys.platform == "win32":
        return
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (OSError, ValueError) as error:
        log.info("Could not turn core dumps off: %s", error)
    if sys.platform.startswith("linux"):
        _set_not_dumpable()


def _set_not_dumpable() -> None:
    try:
        # The process's own symbols include libc's prctl; find_library would run ldconfig.
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
            log.info("prctl(PR_SET_DUMPABLE) refused: errno %d", ctypes.get_errno())
    except (OSError, AttributeError) as error:
        log.info("Could not mark the process not dumpable: %s", error)
