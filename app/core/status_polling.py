"""How often the app asks Cloudflare about a livestream's status, and the call that asks.

Apart from the preview session, so the window can name them before httpx loads.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.core.models import Livestream


# The shown livestream's status is asked at most this often (the preview does the asking):
# Cloudflare allows 1,200 API calls per 5 minutes per token, so one per 10 s per livestream
# leaves room for everything else the user does, and is fast enough for a badge.
API_MIN_INTERVAL = 10.0

# One status check of one livestream.
StatusFetch = Callable[[], Awaitable["Livestream"]]
