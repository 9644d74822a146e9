"""A tray icon in a process of its own, for the tray host test: the X clipboard is read by
another process (xclip), which would deadlock against the clipboard's owner in-process.

Reads commands on stdin (server, key, url, quit); answers each on stdout once done.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QSocketNotifier
from PySide6.QtWidgets import QApplication

from app.core.models import Livestream
from app.ui.clipboard import SecretClipboard
from app.ui.notify.tray import StreamTray

LIVESTREAM = Livestream(
    id="ls-tray-host",
    name="Tray show",
    ingest_server="rtmps://live.cloudflare.com:443/live/",
    stream_key="tray-host-stream-key-0123456789abcdef",
    playback_url="https://customer-abc.cloudflarestream.com/0123/manifest/video.m3u8",
    status="LIVE",
)


def wait_for_tray(app: QApplication, timeout: float = 10.0) -> bool:
    """The tray host may still be claiming the tray when this starts."""
    deadline = time.monotonic() + timeout
    while not StreamTray.available() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.1)
    return StreamTray.available()


def main() -> int:
    app = QApplication([sys.argv[0]])
    available = wait_for_tray(app)
    clipboard = SecretClipboard(0)
    tray = StreamTray(clipboard)
    tray.set_livestream(LIVESTREAM)
    tray.show()
    actions = {
        "server": tray.copy_server_action,
        "key": tray.copy_key_action,
        "url": tray.copy_playback_action,
    }

    def on_command() -> None:
        command = sys.stdin.readline().strip()
        if command in actions:
            actions[command].trigger()
            print("copied", flush=True)
        elif command == "geometry":
            geometry = tray.icon.geometry()
            print(f"geometry {geometry.width()} {geometry.height()}", flush=True)
        else:
            app.quit()

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(on_command)
    print(f"available {available}", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
