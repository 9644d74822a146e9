"""A shown preview panel that notes, on the system-wide monotonic clock, when its player is
told to play and when each frame arrives. Imports only the app: the preview benchmarks'
measured processes may run in a user's install."""

from __future__ import annotations

import time
from typing import Any


def timed_panel(http: Any, width: int, height: int) -> tuple[Any, dict, list[float]]:
    """(panel, marks, frame times): marks gets "play" and "first_frame"."""
    from app.ui.preview.panel import PreviewPanel

    panel = PreviewPanel(http=http)
    panel.resize(width, height)
    panel.show()
    marks: dict = {}
    frames: list[float] = []
    real_play = panel.player.play

    def play(address: str) -> None:
        marks.setdefault("play", time.monotonic())
        real_play(address)

    def frame(_w: int, _h: int) -> None:
        frames.append(time.monotonic())
        marks.setdefault("first_frame", frames[0])

    panel.player.play = play
    panel.player.frame_arrived.connect(frame)
    return panel, marks, frames
