"""The phases of the live preview, on their own so the window can name them before the
preview's machinery (the HLS probe and its imports) loads."""

from __future__ import annotations

import enum


class Phase(enum.Enum):
    IDLE = "idle"
    WAITING = "waiting"
    CONNECTING = "connecting"
    LIVE = "live"
    STALLED = "stalled"
    ENDED = "ended"
    ERROR = "error"
