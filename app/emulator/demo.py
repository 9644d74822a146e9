"""The fixed account, app and tokens the emulator knows from the start, and demo mode's history.

None of these is a secret: they only open the local emulator, never Cloudflare.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.emulator.server import Emulator

DEMO_ACCOUNT_ID = "2ea9331e8cca6ff4e4e98f2401efeef7"
DEMO_APP_ID = "41dd2e3b-37ee-4e58-8239-a2be45a2c7da"
DEMO_APP_NAME = "livestream-companion-demo"
# Shaped like Cloudflare API tokens (40 characters of [A-Za-z0-9_-]).
DEMO_TOKEN = "Mo_cKfqMhLeRG02wDrI9155afIdvX18VQ3KTPyaU"
# Verifies as active, but lacks the Realtime permission: every RealtimeKit call is refused.
NO_PERMISSION_TOKEN = "btOfod7Z72dpMSTUutGgP0xz0Ls0mFx4832X8SBR"

DEMO_HISTORY_NAME = "weekly-show"
# (days ago, UTC hour, minutes on air, viewer minutes, Cloudflare's error): a weekly show with
# a few extra streams, one refused for its codec, so demo mode has sessions and usage to show.
DEMO_HISTORY = (
    (58, 19, 95, 310, None),
    (51, 19, 110, 420, None),
    (44, 19, 88, 265, None),
    (40, 20, 12, 0, "Unsupported video codec HEVC: send H.264"),
    (40, 21, 64, 140, None),
    (37, 19, 120, 515, None),
    (30, 19, 102, 380, None),
    (26, 17, 45, 60, None),
    (23, 19, 115, 470, None),
    (16, 19, 98, 402, None),
    (12, 20, 30, 25, None),
    (9, 19, 125, 560, None),
    (5, 18, 40, 75, None),
    (2, 19, 105, 455, None),
)


def seed_demo_history(emulator: Emulator, now: float | None = None) -> None:
    """An earlier livestream with two months of sessions, for demo mode."""
    now = time.time() if now is None else now
    midnight = now - now % 86_400
    first_start = midnight - max(days for days, *_ in DEMO_HISTORY) * 86_400
    record = emulator.add_livestream(DEMO_HISTORY_NAME, created_wall=first_start)
    broadcast = record.broadcast
    for days_ago, hour, minutes, viewer_minutes, error in DEMO_HISTORY:
        started = midnight - days_ago * 86_400 + hour * 3600
        broadcast.add_past_session(started, minutes * 60.0, viewer_minutes * 60.0, error)
