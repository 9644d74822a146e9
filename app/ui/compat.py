"""Works around PySide6 6.12.0's lost references to None, True and False on Python 3.11.

Its bindings return these singletons from void and bool methods without taking a
reference (harmless on Python 3.12+, where they are immortal). On 3.11 every such
call lowers their count by one until the interpreter frees None and aborts
("none_dealloc"), typically at exit or after a long session. Raising the counts
far out of reach mimics 3.12's immortality. Remove once PySide6 is pinned to a
fixed release.
"""

from __future__ import annotations

import ctypes
import sys

# Far more calls than any session makes, far from overflowing a Py_ssize_t.
HEADROOM = 1 << 40


def _affected() -> bool:
    if sys.version_info >= (3, 12):
        return False
    import PySide6

    return PySide6.__version_info__[:2] == (6, 12)


_applied = False


def protect_singletons() -> None:
    """Idempotent; does nothing where the bug cannot occur."""
    global _applied
    if _applied or not _affected():
        return
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += HEADROOM
    _applied = True
