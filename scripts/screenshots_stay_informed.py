#!/usr/bin/env python3
"""Screenshots of the QR code and of a desktop notification, for the README.

    scripts/screenshots_stay_informed.py [--out resources/screenshots]

- The QR code: the window showing a livestream with a Cloudflare-style https playback URL
  (made up, and never fetched: the preview is not started), and the code shown large.
- A notification: the real app in demo mode under Xvfb with dunst serving notifications on a
  private session bus; Create is pressed, another window takes the focus, and the screen is
  captured once dunst shows the notification ("... is live").

Needs: Xvfb, xdotool, xmessage, ImageMagick, dbus-daemon, dunst.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from screenshots import PYTHON, _app, _environment, _press, _xdotool  # noqa: E402

from tests.fixtures.notifications import NotificationDaemon  # noqa: E402

PLAYBACK_URL = (
    "https://customer-x1y2z3.cloudflarestream.com/6f1c2b9e2d4e4c1a9a510d8c3f7e5b21"
    "/manifest/video.m3u8"
)
# The "Your livestream" box of the window at 1400x900 (left column).
LIVESTREAM_BOX = "780x250+0+270"
NOTICE_WAIT_S = 25.0
SCREEN = "1440x900x24"
SHOTS = ("qr-code.png", "qr-code-large.png", "notification.png")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "screenshots")
    parser.add_argument("--render-qr", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.render_qr is not None:
        return render_qr(args.render_qr)
    for tool in ("Xvfb", "xdotool", "xmessage", "import", "convert", "dbus-daemon", "dunst"):
        if shutil.which(tool) is None:
            print(f"missing tool: {tool}", file=sys.stderr)
            return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lc-shots-") as scratch:
        daemon = NotificationDaemon(Path(scratch), screen=SCREEN)
        daemon.start()
        try:
            home = Path(scratch) / "home"
            home.mkdir()
            env = _environment(f":{daemon.display}", home)
            env["DBUS_SESSION_BUS_ADDRESS"] = daemon.bus_address
            _xdotool.env = env
            shoot_qr(env, args.out)
            shoot_notification(env, daemon, args.out / "notification.png")
        finally:
            daemon.stop()
    for png in (args.out / name for name in SHOTS):
        print(f"{png}  {png.stat().st_size // 1024} KiB")
    return 0


def shoot_qr(env: dict[str, str], out: Path) -> None:
    scratch = out / ".qr-render"
    subprocess.run(
        [str(PYTHON), __file__, "--render-qr", str(scratch)], env=env, cwd=ROOT, check=True
    )
    crop(scratch / "window.png", LIVESTREAM_BOX, out / "qr-code.png")
    crop(scratch / "large.png", None, out / "qr-code-large.png")
    shutil.rmtree(scratch)


def render_qr(out: Path) -> int:
    """In a child process under the X server: the window with the code, and the code large."""
    from app.core.models import Livestream
    from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_TOKEN
    from app.ui.bootstrap import create_application
    from app.ui.context import AppContext, DemoDefaults
    from app.ui.main_window import MainWindow
    from app.ui.notify.stay_informed import StayInformed
    from app.ui.settings import AppSettings

    out.mkdir(parents=True, exist_ok=True)
    app = create_application()
    settings = AppSettings.at_path(out / "settings.ini")
    demo = DemoDefaults(DEMO_ACCOUNT_ID, DEMO_APP_ID, "Morning show", DEMO_TOKEN)
    context = AppContext(client_factory=lambda _token: None, settings=settings, demo=demo)
    window = MainWindow(context)
    window.resize(1400, 900)
    window.show()
    stay = StayInformed(window, settings, tray_available=False)
    window.show_livestream(
        Livestream(
            id="6f1c2b9e-2d4e-4c1a-9a51-0d8c3f7e5b21",
            name="Morning show",
            ingest_server="rtmps://live.cloudflare.com:443/live/",
            stream_key="not-a-real-key-0123456789abcdef0123",
            playback_url=PLAYBACK_URL,
            status="INVOKED",
        )
    )
    settle(app)
    window.grab().save(str(out / "window.png"))
    stay.qr_row.show_large()
    settle(app)
    stay.qr_row.dialog.grab().save(str(out / "large.png"))
    return 0


def settle(app) -> None:
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


def shoot_notification(env: dict[str, str], daemon: NotificationDaemon, out: Path) -> None:
    with _app([str(PYTHON), "-m", "app", "--demo"], env) as window:
        time.sleep(1.5)
        _press(window, "alt+c")  # Create
        # The streamer turns to OBS: another window takes the keyboard focus.
        other = subprocess.Popen(
            ["xmessage", "-geometry", "360x80+1040+780", "OBS Studio would be here"], env=env
        )
        try:
            time.sleep(1.0)
            found = subprocess.run(
                ["xdotool", "search", "--sync", "--name", "xmessage"],
                env=env,
                capture_output=True,
                text=True,
                timeout=10,
            )
            _xdotool("windowfocus", "--sync", found.stdout.split()[0])
            deadline = time.monotonic() + NOTICE_WAIT_S
            while not displayed(daemon):
                if time.monotonic() > deadline:
                    raise RuntimeError("no notification arrived")
                time.sleep(0.5)
            time.sleep(1.0)  # dunst draws it
            subprocess.run(["import", "-window", "root", str(out)], env=env, check=True, timeout=30)
            crop(out, None, out)
        finally:
            other.terminate()
            other.wait(timeout=10)


def displayed(daemon: NotificationDaemon) -> int:
    """How many notifications dunst shows now (without closing them, unlike `received`)."""
    done = subprocess.run(
        ["dunstctl", "count", "displayed"],
        env=daemon.env(),
        capture_output=True,
        text=True,
        timeout=10,
    )
    return int(done.stdout.strip() or 0)


def crop(source: Path, geometry: str | None, out: Path) -> None:
    command = ["convert", str(source)]
    if geometry:
        command += ["-crop", geometry, "+repage"]
    # 256 colours without dithering: text stays crisp and the file small.
    command += ["-strip", "-dither", "None", "-colors", "256", f"PNG8:{out}"]
    subprocess.run(command, check=True, timeout=30)


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    sys.exit(main())
