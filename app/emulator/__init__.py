"""A local emulator of Cloudflare's RealtimeKit API and its live HLS playback.

For demo mode and tests. No Qt here: it runs in a daemon thread of whatever process starts it.
"""

from app.emulator.assets import demo_hls_dir
from app.emulator.broadcast import Broadcast, BroadcastState
from app.emulator.faults import FaultKind
from app.emulator.server import Emulator

__all__ = ["Broadcast", "BroadcastState", "Emulator", "FaultKind", "demo_hls_dir"]
