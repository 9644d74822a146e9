"""Settings files readable by their owner only (0600): they say which accounts the user has."""

from __future__ import annotations

import os
import stat
from pathlib import Path

OWNER_ONLY = stat.S_IRUSR | stat.S_IWUSR


def make_private_file(path: Path) -> None:
    """Creates the file empty if missing, and makes it owner-only either way.

    Writers that replace the file through a temporary copy (QSettings' QSaveFile) keep
    the permissions of the file they replace, so this holds after every save.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, OWNER_ONLY)
    try:
        if hasattr(os, "fchmod"):  # POSIX; Windows files follow their folder's ACL
            os.fchmod(fd, OWNER_ONLY)
    finally:
        os.close(fd)
